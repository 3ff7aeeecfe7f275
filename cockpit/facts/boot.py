"""boot facts. STUB: to be filled by the boot work."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BootFacts:
    """Placeholder so the pipeline runs end to end."""

"""reboots facts. STUB: to be filled by the reboots work."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RebootFacts:
    """Placeholder so the pipeline runs end to end."""

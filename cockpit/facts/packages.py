"""packages facts. STUB: to be filled by the packages work."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackageFacts:
    """Placeholder so the pipeline runs end to end."""

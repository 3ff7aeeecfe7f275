"""services facts. STUB: to be filled by the services work."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceFacts:
    """Placeholder so the pipeline runs end to end."""

"""services parser. STUB."""

from __future__ import annotations

from cockpit.facts.services import ServiceFacts
from cockpit.snapshot import Sections


def parse(sections: Sections) -> ServiceFacts:
    return ServiceFacts()

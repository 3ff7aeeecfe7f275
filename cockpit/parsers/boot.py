"""boot parser. STUB."""

from __future__ import annotations

from cockpit.facts.boot import BootFacts
from cockpit.snapshot import Sections


def parse(sections: Sections) -> BootFacts:
    return BootFacts()

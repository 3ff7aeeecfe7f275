"""reboots parser. STUB."""

from __future__ import annotations

from cockpit.facts.reboots import RebootFacts
from cockpit.snapshot import Sections


def parse(sections: Sections) -> RebootFacts:
    return RebootFacts()

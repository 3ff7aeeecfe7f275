"""init parser. STUB."""

from __future__ import annotations

from cockpit.facts.init import InitFacts
from cockpit.snapshot import Sections


def parse(sections: Sections) -> InitFacts:
    return InitFacts()

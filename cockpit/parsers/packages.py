"""packages parser. STUB."""

from __future__ import annotations

from cockpit.facts.packages import PackageFacts
from cockpit.snapshot import Sections


def parse(sections: Sections) -> PackageFacts:
    return PackageFacts()

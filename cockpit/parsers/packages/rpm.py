"""rpm and yum: a yum transaction journal (`transaction-all.<ts>`) left without its done file."""

from __future__ import annotations

import re

from cockpit.parsers.packages.read import RpmRead, names
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads("packages.yum")

_YUM_TS = re.compile(r"^transaction-(all|done)\.(.+)$")


def read(sections: Sections, live: bool) -> RpmRead:
    alls: dict[str, str] = {}
    dones: set[str] = set()
    for name in names(sections.get_section("packages.yum")):
        m = _YUM_TS.match(name)
        if not m:
            continue
        if m.group(1) == "all":
            alls[m.group(2)] = name
        else:
            dones.add(m.group(2))
    unfinished = [f"/var/lib/yum/{clean(alls[ts])}" for ts in sorted(alls) if ts not in dones]
    return RpmRead("rpm", yum_unfinished=tuple(unfinished))

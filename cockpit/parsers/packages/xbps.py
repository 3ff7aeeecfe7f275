"""xbps (Void Linux): packages its database shows caught half-way.

xbps keeps every installed package's `pkgver` and `state` in /var/db/xbps/pkgdb-0.38.plist
(a property list, keys sorted); a state is installed, unpacked (files in place, its
INSTALL script and the kernel hooks not run), half-removed, broken or not-installed
(void-linux/xbps lib/package_state.c). The probe ships only the packages not `installed`,
as `state STATE NAME PKGVER` lines: the healthy host ships nothing. xbps writes no log.
"""

from __future__ import annotations

from cockpit.distros.table import XBPS
from cockpit.facts.packages import PackageState
from cockpit.parsers.packages.read import ManagerRead
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads("packages.xbps-pkgdb")

PKGDB = "/var/db/xbps/pkgdb-0.38.plist"


def parse_states(text: str) -> list[PackageState]:
    """The probe's `state STATE NAME PKGVER` lines; anything else is skipped."""
    out: list[PackageState] = []
    for line in text.splitlines():
        parts = line.split(" ")
        if len(parts) != 4 or parts[0] != "state" or not parts[1] or not parts[2]:
            continue
        _, state, name, pkgver = parts
        version = pkgver[len(name) + 1 :] if pkgver.startswith(name + "-") else None
        out.append(
            PackageState(
                manager="xbps",
                name=clean(name),
                version=clean(version) if version else None,
                state=clean(state),
                essential=XBPS.is_boot_package(name),
                evidence=f"{PKGDB}: {clean(name)}: pkgver {clean(pkgver)}, state {clean(state)}",
            )
        )
    return out


def read(sections: Sections, live: bool) -> ManagerRead:
    sec = sections.get_section("packages.xbps-pkgdb")
    if not sec.ok:
        return ManagerRead("xbps", unreadable=f"{PKGDB}: {sec.state}")
    more = (f"{PKGDB}: more packages mid-change than shown",) if sec.truncated else ()
    return ManagerRead("xbps", mid_change=tuple(parse_states(sec.text)), issues=more)

"""Packages parser: sections of cockpit/probes/packages.py -> PackageFacts.

Total: any section text (garbage, escapes, invalid UTF-8, huge) gives facts, never an
exception. This module finds which managers are present (cockpit/distros names them),
reads the locks, and hands each present manager to its family's reader (`dpkg`,
`portage`, `pacman`, `rpm`, `apk`, `xbps`): each returns a typed ManagerRead (read.py), and the
facts are assembled from those field by field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from cockpit.distros import MANAGERS, manager
from cockpit.facts.packages import PackageFacts
from cockpit.parsers.packages import apk, dpkg, pacman, portage, rpm, xbps
from cockpit.parsers.packages.locks import parse_locks
from cockpit.parsers.packages.read import (
    ApkRead,
    DpkgRead,
    ManagerRead,
    PacmanRead,
    PortageRead,
    RpmRead,
)
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Section, Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads("packages.present", "packages.confmerge")

#: Each manager's reader, in the order their findings are told (dpkg first: its
#: transaction is apt's, the one most hosts have).
READERS: dict[str, Callable[[Sections, bool], ManagerRead]] = {
    "dpkg": dpkg.read,
    "portage": portage.read,
    "pacman": pacman.read,
    "rpm": rpm.read,
    "apk": apk.read,
    "xbps": xbps.read,
}

R = TypeVar("R", bound=ManagerRead)


def _present(sections: Sections) -> tuple[tuple[str, ...], Section]:
    sec = sections.get_section("packages.present")
    known = {m.name for m in MANAGERS}
    present: list[str] = []
    for line in sec.lines():
        name = line.split(" ", 1)[0]
        if name in known and name not in present:
            present.append(name)
    return tuple(present), sec


def _one(found: Sequence[ManagerRead], kind: type[R]) -> R | None:
    return next((r for r in found if isinstance(r, kind)), None)


def _db_state(managers: tuple[str, ...], unreadable: list[str]) -> str:
    """read | absent | unreadable: every database cockpit reads content from failed, and
    no manager is there whose state comes from elsewhere."""
    if not managers:
        return "absent"
    entries = [m for m in (manager(name) for name in managers) if m is not None]
    by_content = [m for m in entries if m.reads_database]
    if unreadable and len(unreadable) >= len(by_content) and len(by_content) == len(entries):
        return "unreadable"
    return "read"


def parse(sections: Sections) -> PackageFacts:
    managers, present = _present(sections)
    if not present.ok:
        return PackageFacts(
            db_state="unknown",
            issues=(f"packages.present: {present.state}: the collector did not report",),
        )
    locks_sec = sections.get_section("packages.locks")
    live = locks_sec.state not in ("offline", "missing")
    locks, locks_checked, issues = parse_locks(locks_sec)

    found = [read(sections, live) for name, read in READERS.items() if name in managers]
    installed: set[str] | None = None
    for r in found:
        if r.installed is not None:
            installed = (installed or set()) | r.installed
    issues += [issue for r in found for issue in r.issues]
    unreadable = [r.unreadable for r in found if r.unreadable is not None]
    issues += unreadable
    d, p, a = _one(found, DpkgRead), _one(found, PortageRead), _one(found, PacmanRead)
    yum, trig = _one(found, RpmRead), _one(found, ApkRead)
    merges = sections.get_section("packages.confmerge")
    leftovers = tuple(clean(x) for x in merges.entries() if x.startswith("/"))
    merges_cut = merges.cut_note("/etc", "config merges") if merges.cut else None
    return PackageFacts(
        managers=managers,
        db_state=_db_state(managers, unreadable),
        live=live,
        mid_change=tuple(s for r in found for s in r.mid_change),
        dpkg_journal=d.journal if d else (),
        unincorp_triggers=d.unincorp if d else (),
        locks=(*locks, *(lock for r in found for lock in r.locks)),
        locks_checked=locks_checked,
        transactions=tuple(r.transaction for r in found if r.transaction is not None),
        removals=tuple(x for r in found for x in r.removals),
        installed_keys=frozenset(installed) if installed is not None else None,
        resume=p.resume if p else None,
        emerge_running=p.running if p else None,
        pacman_running=a.running if a else None,
        yum_unfinished=yum.yum_unfinished if yum else (),
        apk_triggers=trig.triggers if trig else (),
        leftovers=leftovers,
        leftovers_cut=merges_cut,
        uu_progress=d.uu_progress if d else None,
        issues=tuple(issues),
    )

"""Shared by the per-init services parsers: `svc_ls` listings and ifupdown's interfaces.

All functions are total: odd lines are skipped, never raised on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Section, Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "services.ifaces",
    "services.ifaces.d",
)

#: Listing states that tell something definite: the directory was read, or does not exist.
DEFINITE = ("ok", "absent")


@dataclass(frozen=True)
class Entry:
    """One `svc_ls` line: kind l|d|f|?, flag x|f|!|e|. (see probes/services.py)."""

    kind: str
    flag: str
    name: str
    target: str | None = None

    @property
    def runnable(self) -> bool:
        return self.flag == "x"


@dataclass(frozen=True)
class Listing:
    """A directory the init reads. A listing cut at its cap (state `cut`) keeps what it
    listed (true) but is not definite: a name it does not list may be beyond the cut."""

    path: str
    state: str
    entries: tuple[Entry, ...] = ()
    note: str | None = None  # a cut listing: `/etc/rc2.d: 450 entries, 400 read`

    @property
    def definite(self) -> bool:
        return self.state in DEFINITE

    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.entries)

    def get(self, name: str) -> Entry | None:
        for entry in self.entries:
            if entry.name == name:
                return entry
        return None

    def shown(self, limit: int = 24) -> str:
        """`/etc/rc2.d: S01cron S01ssh` (what the init reads), for evidence."""
        if self.state == "absent":
            return f"{self.path}: (no such directory)"
        if self.state not in ("ok", "cut"):
            return f"{self.path}: ({self.state})"
        names = [clean(n) for n in self.names()]
        cut = f" ({self.note}: the rest not listed)" if self.note else ""
        if not names:
            return f"{self.path}: (empty){cut}"
        more = f" ... (+{len(names) - limit})" if len(names) > limit else ""
        return f"{self.path}: {' '.join(names[:limit])}{more}{cut}"

    def entry_shown(self, entry: Entry) -> str:
        link = f" -> {clean(entry.target)}" if entry.target else ""
        return f"{self.path}/{clean(entry.name)}{link}"


def parse_listing(text: str) -> tuple[Entry, ...]:
    out: list[Entry] = []
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) != 3 or len(parts[0]) != 1 or len(parts[1]) != 1 or not parts[2]:
            continue
        name, target = parts[2], None
        if " -> " in name:
            name, _, target = name.partition(" -> ")
        out.append(Entry(parts[0], parts[1], name, target))
    return tuple(out)


def _of(sec: Section, path: str) -> Listing:
    note = sec.cut_note(path) if sec.cut else None
    return Listing(path, sec.state, parse_listing("\n".join(sec.entries())), note)


def listing(sections: Sections, section: str, path: str) -> Listing:
    return _of(sections.get_section(section), path)


def prefixed_listings(sections: Sections, prefix: str) -> list[Listing]:
    """Every `prefix:<path>` section as a Listing (e.g. each /etc/runlevels/<level>)."""
    return [_of(sec, sec.name[len(prefix) + 1 :]) for sec in sections.prefixed(prefix)]


@dataclass(frozen=True)
class Ifupdown:
    """What ifupdown (`networking`) would bring up: interfaces marked auto/allow-hotplug.

    `configured`: True (a non-loopback interface is brought up), False (only lo, or the
    file is absent), None (could not tell: unreadable, or `source`d from elsewhere).
    """

    configured: bool | None
    interfaces: tuple[str, ...]
    evidence: tuple[str, ...]


_AUTO = re.compile(r"^\s*(auto|allow-auto|allow-hotplug)\s+(.+)$")
_SOURCE = re.compile(r"^\s*(source|source-directory)\s+(\S+)")
_IFACES_D = "/etc/network/interfaces.d"


def ifupdown(sections: Sections) -> Ifupdown:
    main = sections.get_section("services.ifaces")
    if main.state == "absent":
        return Ifupdown(False, (), ("/etc/network/interfaces: (no such file)",))
    if not main.ok:
        return Ifupdown(None, (), (f"/etc/network/interfaces: ({main.state})",))
    files = [("/etc/network/interfaces", main.text)]
    files += [(s.name.split(":", 1)[1], s.text) for s in sections.prefixed("services.ifaces.d")]
    up: list[str] = []
    evidence: list[str] = []
    elsewhere: list[str] = []
    for path, text in files:
        for line in text.splitlines():
            auto = _AUTO.match(line)
            if auto:
                names = [n for n in auto.group(2).split() if n != "lo"]
                if names:
                    up.extend(names)
                    evidence.append(f"{path}: {clean(line.strip())}")
                continue
            src = _SOURCE.match(line)
            if src and not src.group(2).startswith(_IFACES_D):
                elsewhere.append(f"{path}: {clean(line.strip())}")
    if up:
        return Ifupdown(True, tuple(dict.fromkeys(up)), tuple(evidence[:6]))
    if elsewhere:
        return Ifupdown(None, (), tuple(elsewhere[:4]))
    return Ifupdown(False, (), ("/etc/network/interfaces: no auto/allow-hotplug interface but lo",))

"""What one host said in one round trip: raw sections, kept verbatim.

A Snapshot is the unit that is recorded and replayed, so it holds text, never parsed
facts: tomorrow's parsers and rules re-judge today's recordings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from cockpit.words import Mode

#: Section states written by the collector's shell helpers. `missing` is added by the
#: client when a section it expected never arrived (killed run, cut stream).
SECTION_STATES = (
    "ok",  # read or ran; text is the (capped) content, possibly empty
    "absent",  # the file or directory does not exist
    "denied",  # it exists but this user may not read it
    "notfile",  # expected a file, found something else (a directory, a socket...)
    "timeout",  # the command hit its time bound
    "error",  # the command failed (rc says how)
    "offline",  # not run: offline mode never describes the machine running the collector
    "nocmd",  # the command does not exist on the host
    "dangling",  # a symlink chain ends nowhere
    "loop",  # a symlink chain never ends (more than 40 links)
    "foreign",  # offline: it leads into a mount of the viewing machine (/proc, /sys, /dev,
    #             /run mounted into the root): refused, never read
    "cut",  # a listing left entries out (its cap, or names that cannot be framed): it ends
    #         with `cut TOTAL KEPT`; what it lists is true, what it does not is unknown
    "missing",  # never arrived (set by the client, not the collector)
    "cached",  # the client asked the host to skip it: the previous copy stands in
)


@dataclass(frozen=True)
class Section:
    """One named piece of collector output.

    `state` keeps absent, unreadable and empty apart: the three mean different things
    ("no reboot scheduled" only follows from a crontab that was read and was empty).
    """

    name: str
    state: str
    rc: int = 0
    text: str = ""
    truncated: bool = False
    probe: str = ""  # the probe that emitted it (from the collector's PROBE markers)

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    @property
    def known(self) -> bool:
        """True when the section tells us something definite (content, or true absence)."""
        return self.state in ("ok", "absent")

    def lines(self) -> list[str]:
        return self.text.splitlines() if self.ok else []

    @property
    def cut(self) -> tuple[int, int] | None:
        """A listing that left entries out (state `cut`): (TOTAL there, KEPT listed or
        read), from its last line `cut TOTAL KEPT`; (0, 0) if that line is damaged."""
        if self.state != "cut":
            return None
        last = self.text.rstrip("\n").rpartition("\n")[2].split()
        if len(last) == 3 and last[0] == "cut" and last[1].isdigit() and last[2].isdigit():
            return int(last[1]), int(last[2])
        return 0, 0

    def entries(self) -> list[str]:
        """A listing's lines, whole (`ok`) or cut (`cut`: the lines before its `cut` line,
        each true, but not all there is). Empty for any other state."""
        if self.state == "ok":
            return self.text.splitlines()
        if self.state == "cut":
            lines = self.text.rstrip("\n").split("\n")
            return lines[:-1] if lines and lines[-1].startswith("cut ") else lines
        return []

    def cut_note(self, what: str, unit: str = "entries") -> str:
        """`cron.d: 250 files, 200 read` for a cut listing: the words a reader is shown."""
        total, kept = self.cut or (0, 0)
        if not total:
            return f"{what}: cut (more {unit} than the collector lists)"
        return f"{what}: {total} {unit}, {kept} read"


MISSING_STATE = "missing"

#: States of a file or listing that is there, or may be, but was not read (or not read
#: whole): what it holds is unknown. Never "absent", never "none". `dangling` is a link
#: whose target leads nowhere: for what it names that is a fact, but a reader told only
#: "not there" would drop the link itself, so parsers that list problems name it too.
UNREAD_STATES = (
    "denied",
    "error",
    "notfile",
    "dangling",
    "loop",
    "foreign",
    "timeout",
    "cut",
)


@dataclass(frozen=True)
class Sections(Mapping[str, Section]):
    """Read-only view of a snapshot's sections with the lookups parsers need."""

    by_name: Mapping[str, Section] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Section:
        return self.by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_name)

    def __len__(self) -> int:
        return len(self.by_name)

    def get_section(self, name: str) -> Section:
        """The section, or a `missing` one: parsers never need to test for None."""
        found = self.by_name.get(name)
        return found if found is not None else Section(name=name, state=MISSING_STATE)

    def prefixed(self, prefix: str) -> list[Section]:
        """Sections named `prefix:<something>`, in collector order (per-file sections)."""
        return self.starting(prefix + ":")

    def starting(self, start: str) -> list[Section]:
        """Sections whose name starts with `start`, in collector order."""
        return [s for n, s in self.by_name.items() if n.startswith(start)]


@dataclass(frozen=True)
class Snapshot:
    """One refresh of one host: the raw sections plus when and how it was taken."""

    host: str
    mode: Mode
    sections: Sections
    started: datetime  # client clock, aware
    duration_s: float
    root: str = "/"
    #: Set when the stream itself was damaged (missing end marker, stray output).
    framing_issues: tuple[str, ...] = ()
    #: Sections taken from an earlier refresh (slow checks on a slower cadence).
    carried: tuple[str, ...] = ()

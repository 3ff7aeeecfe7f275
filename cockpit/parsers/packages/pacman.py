"""pacman (Arch): pacman.log transactions and removals, key packages in the local db."""

from __future__ import annotations

import re

from cockpit.distros.table import PACMAN
from cockpit.facts.packages import Lock, Removal, Transaction
from cockpit.parsers.packages.read import PacmanRead, pidof
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "packages.pacman", "packages.pacman-log", "packages.pacman-key", "packages.pidof-pacman"
)

LOG = "/var/log/pacman.log"
_LINE = re.compile(r"^\[([^\]]{1,40})\]\s+(?:\[([A-Za-z-]{1,20})\]\s+)?(.*)$")
_REMOVED = re.compile(r"^removed (\S+) \(([^)]*)\)")
_RUNNING = re.compile(r"^Running '(.*)'$")
_ENDS = ("transaction completed", "transaction failed", "transaction interrupted")


def parse_log(text: str, truncated: bool) -> tuple[list[Removal], Transaction | None]:
    lines = text.splitlines()
    if truncated and lines:
        lines = lines[1:]
    removals: list[Removal] = []
    command: str | None = None
    command_line: str | None = None
    start: tuple[str, str] | None = None  # (timestamp, raw line) of an open transaction
    last: Transaction | None = None
    touched: list[str] = []
    for raw in lines:
        match = _LINE.match(raw.rstrip())
        if not match:
            continue
        when, _tag, msg = match.groups()
        msg = msg.strip()
        run = _RUNNING.match(msg)
        if run:
            command, command_line = clean(run.group(1)), raw.rstrip()
            continue
        if msg == "transaction started":
            start = (when, raw.rstrip())
            touched = []
            continue
        if msg in _ENDS and start is not None:
            last = Transaction(
                manager="pacman",
                started=clean(start[0]),
                command=command,
                complete=True,
                evidence=(f"{LOG}: {clean(start[1])}", f"{LOG}: {clean(raw.rstrip())}"),
            )
            start = None
            continue
        if start is not None and msg.startswith(
            ("upgraded ", "installed ", "removed ", "reinstalled ", "downgraded ")
        ):
            touched.append(raw.rstrip())
        removed = _REMOVED.match(msg)
        if removed:
            removals.append(
                Removal(
                    manager="pacman",
                    package=clean(removed.group(1)),
                    version=clean(removed.group(2)),
                    when=clean(when),
                    evidence=f"{LOG}: {clean(raw.rstrip())}",
                )
            )
    if start is not None:
        evidence = []
        if command_line:
            evidence.append(f"{LOG}: {clean(command_line)}")
        evidence.append(f"{LOG}: {clean(start[1])}")
        evidence.extend(f"{LOG}: {clean(t)}" for t in touched[-3:])
        last = Transaction(
            manager="pacman",
            started=clean(start[0]),
            command=command,
            complete=False,
            evidence=tuple(evidence),
        )
    return removals, last


def key_names(listing: list[str]) -> set[str]:
    """`systemd-255.4-1` (a local db directory) -> `systemd`."""
    out = set()
    for entry in listing:
        parts = entry.rsplit("-", 2)
        if len(parts) == 3 and parts[0]:
            out.add(parts[0])
    return out


def read(sections: Sections, live: bool) -> PacmanRead:
    """pacman's sections: db.lck (its existence is the lock), pacman.log, key packages
    in the local database, whether pacman runs (live, only when db.lck exists)."""
    listing = ls_entries(sections.get_section("packages.pacman").text)
    running, pids = pidof(sections.get_section("packages.pidof-pacman"))
    locks: tuple[Lock, ...] = ()
    lock = PACMAN.exists_lock
    if lock is not None and lock.rsplit("/", 1)[-1] in listing:
        locks = (
            Lock(
                lock,
                "exists",
                running if live else None,
                pid=pids[0] if pids else None,
                comm="pacman" if pids else None,
                evidence=f"{lock} exists",
            ),
        )
    log = sections.get_section("packages.pacman-log")
    removals, run = parse_log(log.text, log.truncated) if log.ok else ([], None)
    key = sections.get_section("packages.pacman-key")
    return PacmanRead(
        "pacman",
        installed=frozenset(key_names(key.lines())) if key.ok else None,
        removals=tuple(removals),
        transaction=run,
        locks=locks,
        running=running,
    )

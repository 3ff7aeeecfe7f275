"""What one package manager's sections said, typed: the shape every family's reader fills,
and the few things only one family has.

Each family's `read(sections, live)` returns one of these; parsers/packages/__init__.py
assembles PackageFacts from them field by field, so mypy sees every field and nothing
travels in an untyped dict.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.facts.packages import Lock, PackageState, Removal, ResumeList, Transaction
from cockpit.parsers.text import ls_entries
from cockpit.snapshot import Section


@dataclass(frozen=True)
class ManagerRead:
    """The part every family shares. `installed` is the key packages (init, libc...) seen
    installed, None when not looked at; `unreadable` says its database could not be read."""

    manager: str
    mid_change: tuple[PackageState, ...] = ()
    installed: frozenset[str] | None = None
    removals: tuple[Removal, ...] = ()
    transaction: Transaction | None = None
    locks: tuple[Lock, ...] = ()
    unreadable: str | None = None
    issues: tuple[str, ...] = ()


@dataclass(frozen=True)
class DpkgRead(ManagerRead):
    journal: tuple[str, ...] = ()  # /var/lib/dpkg/updates/<digits>
    unincorp: tuple[str, ...] = ()  # /var/lib/dpkg/triggers/Unincorp lines
    uu_progress: str | None = None


@dataclass(frozen=True)
class PortageRead(ManagerRead):
    resume: ResumeList | None = None
    running: bool | None = None  # `pidof emerge`, live only


@dataclass(frozen=True)
class PacmanRead(ManagerRead):
    running: bool | None = None  # `pidof pacman`, live only


@dataclass(frozen=True)
class RpmRead(ManagerRead):
    yum_unfinished: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApkRead(ManagerRead):
    triggers: tuple[str, ...] = ()


def names(section: Section) -> list[str]:
    """An `emit_ls` listing's names; none when it was not read."""
    return list(ls_entries(section.text)) if section.ok else []


def pidof(section: Section) -> tuple[bool | None, list[int]]:
    """`pidof` output: True with PIDs, False when it ran and found none, None when not run."""
    if section.state == "ok":
        pids = [int(p) for p in section.text.split() if p.isdigit()]
        return bool(pids), pids
    if section.state == "error" and section.rc == 1 and not section.text.strip():
        return False, []
    return None, []

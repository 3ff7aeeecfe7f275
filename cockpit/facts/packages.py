"""Packages facts: package managers present, locks and holders, changes in flight.

Unknown stays explicit: `db_state` says whether the package database was read, and each
optional part (lock holders, logs) is None when it could not be looked at (offline mode,
unreadable file), which is different from "looked and found nothing".
"""

from __future__ import annotations

from dataclasses import dataclass

#: States of a dpkg package that mean "caught between two steps".
MID_STATES = ("half-installed", "unpacked", "half-configured", "reinstreq")
TRIGGER_STATES = ("triggers-awaited", "triggers-pending")


@dataclass(frozen=True)
class PackageState:
    """A package the database shows in a non-final state (dpkg's Status field, xbps's
    pkgdb `state`)."""

    manager: str  # dpkg | xbps
    name: str
    version: str | None
    state: str  # half-installed | unpacked | half-configured | reinstreq | triggers-*
    essential: bool  # the boot depends on it (init, libc, kernel, udev, bootloader...)
    evidence: str  # verbatim: "/var/lib/dpkg/status: Package: libc6 / Status: ..."
    triggers: str | None = None  # Triggers-Pending / Triggers-Awaited value, if any


@dataclass(frozen=True)
class Lock:
    """A package-manager lock and what we know of its holder.

    `held` is True when a live process holds it (in /proc/locks, or the PID in a PID
    file is alive), False when we could look and nobody does, None when we could not
    look (offline mode, /proc/locks unreadable).
    """

    path: str
    kind: str  # fcntl | pidfile | exists (pacman's db.lck: existence is the lock)
    held: bool | None
    pid: int | None = None
    comm: str | None = None  # the holder's /proc/<pid>/comm
    evidence: str = ""


@dataclass(frozen=True)
class Transaction:
    """The last transaction a package manager's log shows, complete or not."""

    manager: str  # apt | pacman | yum | emerge
    started: str | None  # as the log writes it
    command: str | None
    complete: bool
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Removal:
    """A package removed by an explicit removal (not replaced by a newer version)."""

    manager: str  # dpkg | pacman | portage
    package: str  # name, e.g. sys-apps/sysvinit, sysvinit-core
    version: str | None
    when: str | None  # as the log writes it (or ISO time for epoch logs)
    evidence: str  # the verbatim log line
    epoch: int | None = None  # when the log gives seconds (emerge.log): shown in host time


@dataclass(frozen=True)
class ResumeList:
    """Portage's resume list: merges emerge was asked for and has not done yet."""

    entries: tuple[str, ...]  # cat/pkg-ver, in merge order
    source: str  # resume | resume_backup
    fmt: str  # json | pickle
    evidence: str


@dataclass(frozen=True)
class PackageFacts:
    """What the package area learned from one snapshot.

    `db_state`: read | absent (no package database at all) | unreadable | unknown (the
    collector's sections never arrived). `installed_keys` is the set of key packages
    (init systems, libc, kernel) known installed, by name; None when not looked at.
    """

    managers: tuple[str, ...] = ()
    db_state: str = "unknown"
    live: bool = False
    mid_change: tuple[PackageState, ...] = ()
    dpkg_journal: tuple[str, ...] = ()  # /var/lib/dpkg/updates/<digits>
    unincorp_triggers: tuple[str, ...] = ()  # /var/lib/dpkg/triggers/Unincorp lines
    locks: tuple[Lock, ...] = ()
    locks_checked: bool = False  # /proc/locks and PID files were looked at (live)
    transactions: tuple[Transaction, ...] = ()
    removals: tuple[Removal, ...] = ()
    installed_keys: frozenset[str] | None = None
    resume: ResumeList | None = None
    emerge_running: bool | None = None
    pacman_running: bool | None = None
    yum_unfinished: tuple[str, ...] = ()  # transaction-all.<ts> with no transaction-done
    #: /lib/apk/db/triggers lines: a package's checksum, then the paths whose change makes
    #: apk re-run its trigger (mkinitfs watches the kernels: the initramfs follows them).
    apk_triggers: tuple[str, ...] = ()
    leftovers: tuple[str, ...] = ()  # config merges pending, paths under /etc
    #: The listing of merges was cut at its cap: `/etc: 250 config merges, 200 read`.
    leftovers_cut: str | None = None
    uu_progress: str | None = None
    issues: tuple[str, ...] = ()

    def running(self, manager: str) -> bool | None:
        """Was `manager` seen running (live `pidof`, where cockpit asks)? None: not asked."""
        return {"pacman": self.pacman_running, "portage": self.emerge_running}.get(manager)

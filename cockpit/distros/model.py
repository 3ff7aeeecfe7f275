"""The shape of a distribution family's entry and of a package manager's (see table.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class PidFile:
    """A PID file that is a lock: held while the PID lives AND is one of `comms` (PIDs are
    reused; the kernel cuts comm to 15 characters). No comms: any live process holds it."""

    path: str
    comms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConfigMerge:
    """A new config file a package manager left beside the admin's: `glob` matches its file
    name, `original` (a regex on the file name) gives back the name of the file it is for."""

    glob: str
    original: str

    def base(self, path: str) -> str | None:
        """The path of the config file this leftover is for, if `path` is one."""
        head, _, name = path.rpartition("/")
        if not fnmatchcase(name, self.glob):
            return None
        match = re.fullmatch(self.original, name)
        return f"{head}/{match.group(1)}" if match else None


def suffix(text: str) -> ConfigMerge:
    """A leftover named FILE<text> (`.dpkg-new`, `.rpmnew`...)."""
    return ConfigMerge("*" + text, r"(.+)" + re.escape(text))


@dataclass(frozen=True)
class PackageManager:
    """One package manager, as cockpit reads it.

    `database`: paths whose existence says it is installed (packages.present). `locks`:
    files it holds an fcntl/flock lock on while it works; `frontend_locks` are the ones of
    them only its front end takes (apt's), which say a run is going but not that the
    manager itself is mid-change. `exists_lock`: a lock that is held by existing (pacman).
    `reads_database`: cockpit parses its database's content, so an unreadable one makes
    the package state unreadable. `boot_names`/`boot_prefixes`: the packages the next boot
    depends on (init, libc, kernel, initramfs tools, bootloader, udev): one caught
    half-way is a risk to finish before any reboot.
    """

    name: str
    home: str  # the directory a user must be able to read
    database: tuple[str, ...]
    locks: tuple[str, ...] = ()
    frontend_locks: tuple[str, ...] = ()
    pidfiles: tuple[PidFile, ...] = ()
    exists_lock: str | None = None
    reads_database: bool = False
    #: Beyond presence, cockpit reads its state (what the "no database" remedy lists).
    understood: bool = True
    boot_names: frozenset[str] = frozenset()
    boot_prefixes: tuple[str, ...] = ()
    init_packages: frozenset[str] = frozenset()
    libc_packages: frozenset[str] = frozenset()
    config_merges: tuple[ConfigMerge, ...] = ()
    #: The word its log gives a run (Transaction.manager), and what to type when one never
    #: finished. Never the run's own command line: that is host text (a log line), quoted
    #: in the evidence, never put in a command to paste.
    run_name: str | None = None
    finish_run: str | None = None
    run_command: str = "the command"
    #: A package caught half-way (PackageState): what to type, for one the boot needs and
    #: for any other.
    finish_essential: str | None = None
    finish_other: str | None = None
    #: The last init or libc package removed and none installed: what to type.
    reinstall_essential: Mapping[str, str] = field(default_factory=dict)

    def is_boot_package(self, name: str) -> bool:
        return name in self.boot_names or name.startswith(self.boot_prefixes)

    def working_locks(self) -> tuple[str, ...]:
        """Locks (and PID files) whose live holder means the manager itself is working."""
        own = tuple(p for p in self.locks if p not in self.frontend_locks)
        return own + tuple(p.path for p in self.pidfiles)

    def run_locks(self) -> tuple[str, ...]:
        """Locks whose live holder means a run of it (or of its front end) is going."""
        exists = (self.exists_lock,) if self.exists_lock else ()
        return self.locks + tuple(p.path for p in self.pidfiles) + exists


@dataclass(frozen=True)
class Family:
    """One distribution family, as HostInfo.family names it."""

    name: str
    os_ids: tuple[str, ...]  # os-release ID / ID_LIKE words (a prefix matches too)
    managers: tuple[str, ...]  # PackageManager names
    usual_init: str | None = None  # the init family it boots unless told otherwise
    #: init family -> the command that puts it back
    reinstall_init: Mapping[str, str] = field(default_factory=dict)
    find_owner: str | None = None  # which package owns `{lib}`
    restore_kernel: str | None = None  # kernel or initrd gone: how to get them back
    busybox_init: bool = False  # busybox's init is a real boot init here (Alpine)
    systemd_initrd: bool = False  # dracut's systemd initrd execs systemd without init=
    debian_run_parts: bool = False  # run-parts and cron.d skip names with dots
    sshd_unit: str = "sshd.service"
    sysv_enable: str = "update-rc.d {script} defaults   (/etc/init.d/{script} must be executable)"
    openrc_net_lo: bool = False  # networking is net.lo symlinks (netifrc), not ifupdown
    #: Config merges left on this family's hosts: what to type, when it is not the
    #: generic sentence every family shared before it had its own.
    merge_remedy: str | None = None

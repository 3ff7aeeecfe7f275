"""Init-system facts: what runs as PID 1, and what the next boot will exec.

The four contract fields (`running_family`, `boot_family`, `running_label`, `boot_label`)
are what other areas and the JSON `init` object read; the rest is the evidence the init
rules quote. Unknown stays explicit: a state string or None, never a guessed default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Programs whose presence says an init system is installed (evidence for remedies).
INSTALLED_PATHS: tuple[str, ...] = (
    "/lib/systemd/systemd",
    "/usr/lib/systemd/systemd",
    "/lib/sysvinit/init",
    "/sbin/openrc",
    "/sbin/openrc-init",
    "/sbin/runit-init",
    "/sbin/runit",
    "/bin/busybox",
    "/bin/s6-svscan",
    "/usr/bin/s6-svscan",
    "/sbin/initctl",  # upstart's: tells its real /sbin/init binary from sysvinit's
)

#: Families the contract knows. `missing` is for the boot side only: nothing to exec.
FAMILIES = ("systemd", "sysvinit", "openrc", "runit", "busybox", "s6", "unknown", "missing")


@dataclass(frozen=True)
class Resolution:
    """A path followed through its symlinks inside the host's root (`emit_resolve`).

    `state`: ok | absent (nothing there) | dangling (a link on the way points nowhere) |
    loop | or the section's own state when it could not be read (denied, missing...).
    """

    path: str
    state: str
    hops: tuple[str, ...] = ()  # "A -> T", verbatim from the host
    resolved: str | None = None
    kind: str | None = None  # f | d | ? (only when state is ok)
    executable: bool | None = None
    nonempty: bool | None = None

    @property
    def found(self) -> bool:
        return self.state == "ok"

    @property
    def masked(self) -> bool:
        """A link to /dev/null: systemd's mask (there need be no /dev/null in an offline
        root for the link to say so)."""
        return self.resolved == "/dev/null" or any(h.endswith(" -> /dev/null") for h in self.hops)

    def chain(self) -> str:
        """`/sbin/init -> /lib/systemd/systemd -> (absent)`: the evidence line."""
        parts = [self.path]
        for hop in self.hops:
            _, _, target = hop.partition(" -> ")
            parts.append(target or "?")
        if self.resolved and self.resolved != parts[-1]:
            parts.append(self.resolved)
        tail = {
            "ok": "",
            "absent": " (absent)",
            "dangling": " (does not exist)",
            "loop": " (symlink loop)",
        }
        return " -> ".join(parts) + tail.get(self.state, f" ({self.state})")


@dataclass(frozen=True)
class ElfInfo:
    """`emit_elf` of one program. `state` is the section's (ok, denied, nocmd, missing...)."""

    state: str
    is_elf: bool | None = None
    #: e_machine (62 x86-64, 3 i386, 183 aarch64, ...): the kernel execs only its own.
    machine: int | None = None
    static: bool = False
    interp: str | None = None
    interp_found: str | None = None  # resolved path inside ROOT
    interp_missing: bool = False
    needed_found: tuple[tuple[str, str], ...] = ()
    needed_missing: tuple[str, ...] = ()
    bad: str | None = None  # our reader could not follow the headers (not the kernel's view)


@dataclass(frozen=True)
class ExecCheck:
    """Can this program be exec'd as PID 1? One per candidate (/sbin/init, each init=).

    `state`: ok | missing | dangling | loop | not-executable | interpreter-missing |
    library-missing | exec-target-broken (a wrapper's final `exec` cannot run) | unknown
    (could not be read or checked).
    """

    path: str
    resolution: Resolution
    state: str
    reason: str  # one line saying why, for titles
    family: str = "unknown"
    elf: ElfInfo | None = None
    shebang: str | None = None  # first line of a #! script
    interpreter: Resolution | None = None  # the #! interpreter, resolved
    #: A wrapper script's final `exec /path`: the program PID 1 becomes (one level).
    execs: ExecCheck | None = None


@dataclass(frozen=True)
class Pid1:
    """What runs as PID 1 now. None = not known (offline root, unreadable)."""

    comm: str | None = None
    comm_state: str = "missing"
    cmdline: tuple[str, ...] = ()
    exe: str | None = None  # readlink /proc/1/exe without the ' (deleted)' suffix
    exe_state: str = "missing"  # ok | denied (root only) | absent | missing ...
    deleted: bool = False


@dataclass(frozen=True)
class Inittab:
    """/etc/inittab as sysvinit reads it. `state` is the section's; `lines` verbatim."""

    state: str = "missing"
    initdefault: str | None = None  # runlevel chars of the `initdefault` entry
    initdefault_line: str | None = None
    sysinit: tuple[str, ...] = ()  # verbatim `sysinit` lines
    entries: tuple[tuple[str, str, str, str], ...] = ()  # (id, levels, action, process)
    empty: bool = False


@dataclass(frozen=True)
class TargetUnit:
    """A default target systemd does not ship, as read: `pulls` are the units it starts
    with itself (Requires=, Wants=... and its .wants/.requires links)."""

    path: str
    state: str
    pulls: tuple[str, ...] = ()


@dataclass(frozen=True)
class InitFacts:
    """`running_family` / `boot_family`: systemd | sysvinit | openrc | runit | busybox | s6 |
    unknown (could not tell) | missing (boot only: nothing to exec)."""

    running_family: str = "unknown"
    boot_family: str = "unknown"
    running_label: str = "unknown"
    boot_label: str = "unknown"
    pid1: Pid1 = field(default_factory=Pid1)
    running_evidence: tuple[str, ...] = ()  # markers seen in /run, /dev (verbatim)
    current_init_arg: str | None = None  # init= of the CURRENT boot (/proc/cmdline)
    current_cmdline_state: str = "missing"
    sbin_init: ExecCheck | None = None  # /sbin/init: what the kernel runs without init=
    usr_sbin_init: ExecCheck | None = None
    candidates: tuple[ExecCheck, ...] = ()  # each init= value found in boot configs
    installed: tuple[tuple[str, str], ...] = ()  # (family, path) of init programs present
    installed_known: bool = False  # the installed-inits probe ran to its end
    inittab: Inittab = field(default_factory=Inittab)
    default_targets: tuple[Resolution, ...] = ()  # /etc, /lib, /usr/lib default.target
    #: /etc/systemd/system/<target> for the targets multi-user needs (absent: not masked).
    target_overrides: tuple[Resolution, ...] = ()
    target_unit: TargetUnit | None = None  # the default target's file, when not systemd's
    systemd_state: str | None = None  # systemctl is-system-running (live, systemd PID 1)
    runlevel: str | None = None  # `runlevel` output (live, sysvinit PID 1)
    #: The default entry's `init=` that the initramfs (initramfs-tools) will skip because
    #: it cannot run, falling back to /sbin/init; None when none is skipped.
    init_arg_skipped: str | None = None
    #: /etc/runit as listed (section state) and its stage scripts: name -> runnable
    #: (executable and not empty). runit-init runs 1, then 2 (runsvdir), 3 at shutdown.
    runit_dir_state: str = "missing"
    runit_stages: tuple[tuple[str, bool], ...] = ()
    issues: tuple[str, ...] = ()

    def candidate(self, path: str) -> ExecCheck | None:
        """The check made for an `init=` value, by the value as written."""
        for check in self.candidates:
            if check.path == path:
                return check
        return None

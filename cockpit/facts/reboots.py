"""reboots facts: what may reboot the host, when, and what says a reboot is needed.

Times are kept as the host wrote them (cron specs, epoch values, calendar expressions):
the rules compute the next run at `now`, in the host's zone, so one snapshot can be
re-judged at any time (replay, `--at`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CronReboot:
    """A cron job (or a script run-parts runs) whose command reboots or powers off.

    `spec` is five cron fields or an `@daily`-style word, None when the schedule is
    unknown (a cron.daily script with no line that runs its directory). `via` is the
    line that runs the script's directory, for run-parts scripts.
    """

    source: str  # "root's crontab", "/etc/crontab", "/etc/cron.d/x", "/etc/cron.daily/x"
    path: str
    line: str  # verbatim line that reboots
    user: str | None
    spec: str | None
    zone: str | None  # CRON_TZ (or TZ) in effect for the line, None = host zone
    kind: str  # reboot | poweroff | halt | kexec
    delay_min: int = 0  # `shutdown -r +N` adds N minutes to the run time
    via: str | None = None  # "/etc/crontab: 25 6 * * * root ... run-parts /etc/cron.daily"
    anacron_days: int | None = None  # period of the anacrontab line that runs it
    #: For a script a cron job line runs (not a run-parts one): the crontab holding that
    #: line. Disarming is then the admin's edit of the script or the job, never cockpit's.
    job_crontab: str | None = None


@dataclass(frozen=True)
class SourceState:
    """How a place reboots can hide in was read: ok, absent, denied, missing, offline..."""

    path: str
    state: str
    what: str  # "system crontab" | "user crontabs" | "at jobs" | ...
    #: For a listing cut at its cap: `cron.d: 250 files, 200 read`.
    note: str | None = None

    @property
    def known(self) -> bool:
        """Read whole (or truly absent): only then does "no reboot here" hold."""
        return self.state in ("ok", "absent")

    def said(self) -> str:
        """`/etc/cron.d: denied (system crontabs)`, or a cut listing's note."""
        if self.note:
            return f"{self.note}: reboots unknown"
        return f"{self.path}: {self.state} ({self.what})"


@dataclass(frozen=True)
class ScheduledShutdown:
    """A shutdown already requested: systemd's schedule file, a waiting `shutdown`."""

    source: str  # "systemd scheduled shutdown" | "sysvinit shutdown" | "openrc-shutdown"
    path: str
    epoch: float | None  # when it fires (seconds), None = unknown
    kind: str  # reboot | poweroff | halt | kexec | soft-reboot | unknown
    evidence: tuple[str, ...]
    message: str | None = None
    when: str | None = None  # shutdown's time argument: "now", "+5", "03:15"
    live: bool = True  # False: a pid file on an offline disk (a leftover, nothing waits)
    #: When the waiting process started (epoch seconds): sysvinit shutdown and
    #: openrc-shutdown count their minutes from there. None when not read.
    started: float | None = None


@dataclass(frozen=True)
class AtReboot:
    """An at job whose script reboots. The run time is in the spool file's name."""

    path: str
    queue: str
    job: int | None
    epoch: int | None
    line: str
    kind: str


@dataclass(frozen=True)
class TimerReboot:
    """A systemd timer that starts reboot.target (or a service whose command reboots)."""

    timer: str
    path: str | None
    calendars: tuple[str, ...]  # OnCalendar= values
    monotonic: tuple[str, ...]  # OnBootSec= / OnUnitActiveSec= ... (time unknown offline)
    unit: str
    kind: str
    evidence: tuple[str, ...]
    next_text: str | None = None  # NEXT column of `systemctl list-timers` (live)
    enabled: bool | None = None  # linked in timers.target.wants; transient: True


@dataclass(frozen=True)
class AutoReboot:
    """A package updater configured to reboot by itself (unattended-upgrades, dnf-automatic).

    `enabled` is None when we could not tell whether the updater runs at all.
    """

    tool: str
    reboot: str  # "true" (u-u) | "when-needed" | "when-changed"
    enabled: bool | None
    time: str | None  # Automatic-Reboot-Time (u-u), None = "now"
    with_users: bool | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class RebootFlag:
    """A file that says a reboot is required, and the packages that asked for it."""

    path: str
    text: str
    packages: tuple[str, ...] = ()


@dataclass(frozen=True)
class RebootFacts:
    cron: tuple[CronReboot, ...] = ()
    sources: tuple[SourceState, ...] = ()
    shutdowns: tuple[ScheduledShutdown, ...] = ()
    nologin: tuple[tuple[str, str], ...] = ()  # (path, first line)
    at_jobs: tuple[AtReboot, ...] = ()
    timers: tuple[TimerReboot, ...] = ()
    auto: tuple[AutoReboot, ...] = ()
    flags: tuple[RebootFlag, ...] = ()
    issues: tuple[str, ...] = ()

    @property
    def unread(self) -> tuple[SourceState, ...]:
        """The places reboots hide in that were not read whole: "none armed" cannot be
        said while any is left."""
        return tuple(s for s in self.sources if not s.known)

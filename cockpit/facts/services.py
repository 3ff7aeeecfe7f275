"""Service facts: what each rc system will start at the next boot, and runtime health.

The parser cannot know which init will boot (that is the init area's verdict), so it
computes the next-boot view of *every* rc system whose configuration it read: what
systemd would start, what sysv-rc would start, what OpenRC (or Gentoo's baselayout-1)
would start, what runit would start. The rules pick the view of the rc system that will
really run, so leftovers kept for other inits (an rc2.d link on a systemd host) never
count as "enabled".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.facts.sshd import SshdFacts

#: Rc systems a next-boot view can be computed for. `baselayout1` is Gentoo's pre-OpenRC
#: rc (runlevels in /etc/runlevels like OpenRC, scripts run by /sbin/runscript.sh).
RC_SYSTEMS = ("systemd", "sysv-rc", "openrc", "baselayout1", "runit")


@dataclass(frozen=True)
class Enablement:
    """Whether one role (remote access, network) comes up at the next boot under one rc.

    `state`:
    - `enabled`: a unit/link/service the rc system reads names it, and what it starts exists;
    - `disabled`: the rc system's boot set does not name it (evidence: the listing read);
    - `masked`: systemd mask (a link to /dev/null) overrides any enablement;
    - `broken`: named in the boot set, but what it starts is missing or cannot run;
    - `unconfigured`: the network service is enabled but has nothing to bring up;
    - `unknown`: the configuration could not be read (denied, missing section).
    `what` names the unit/script that decided it; `evidence` quotes what was read.
    """

    state: str
    what: str | None = None
    evidence: tuple[str, ...] = ()
    note: str | None = None


UNKNOWN_ENABLEMENT = Enablement("unknown")


@dataclass(frozen=True)
class RcView:
    """The next-boot view of one rc system, computed from the files that rc system reads.

    `present` is False when this rc system's configuration does not exist on the host at
    all (no /etc/runlevels, no rc2.d...): the view is then meaningless, not "disabled".
    """

    rc: str
    present: bool
    sshd: Enablement = UNKNOWN_ENABLEMENT
    network: Enablement = UNKNOWN_ENABLEMENT
    #: Runlevel/target directories this view read, for evidence (`path: a b c`).
    listings: tuple[str, ...] = ()
    #: OpenRC/baselayout-1: the `boot` runlevel's entries (None: unreadable or absent).
    boot_runlevel: tuple[str, ...] | None = None
    boot_runlevel_state: str = "missing"
    #: OpenRC: the `sysinit` runlevel's entries. Debian's openrc puts every rcS.d script
    #: (mountall.sh, checkroot.sh, networking) there and leaves `boot` empty.
    sysinit_runlevel: tuple[str, ...] = ()
    #: The installed service a remedy should name, in this rc's terms (`ssh.service`,
    #: `sshd`, `net.eth0`...), or None when none is installed.
    sshd_service: str | None = None
    network_service: str | None = None


@dataclass(frozen=True)
class Inittab:
    """What /etc/inittab says about the rc system it starts (sysvinit and busybox init)."""

    state: str  # section state: ok | absent | denied | missing ...
    default_runlevel: str | None = None  # `id:N:initdefault:`
    sysinit: str | None = None  # the `sysinit` action's command
    #: openrc | baselayout1-or-openrc | sysv-rc | busybox-rcS | None (no sysinit line)
    rc_hint: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class InitScriptProblem:
    """An init script that cannot start its service on this host, and why."""

    script: str  # /etc/init.d/proftpd
    reason: str  # one line
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Runtime:
    """Service health now. `source` says which signal it rests on.

    `state`: `ok` (read), `offline` (offline root without running-state files: nothing
    runs on a disk), `not-booted` (systemctl says PID 1 is not systemd), `unavailable`
    (no cheap signal for this init), or a section state (`denied`, `timeout`, `error`,
    `nocmd`, `missing`).
    """

    source: str | None  # systemd | openrc | None
    state: str
    system_state: str | None = None  # systemd is-system-running answer
    failed: tuple[str, ...] = ()
    crashed: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceFacts:
    """Everything the services rules need.

    `views` holds one next-boot view per rc system in RC_SYSTEMS (see `view()`). `sshd_installed` is
    None when the paths could not be checked. `openrc_installed` / `baselayout1` are the
    markers that tell OpenRC from Gentoo's older rc (same /etc/runlevels layout).
    """

    views: tuple[RcView, ...] = ()
    inittab: Inittab = Inittab("missing")
    sshd_installed: bool | None = None
    sshd_paths: tuple[str, ...] = ()
    sshd_config_present: bool | None = None
    openrc_installed: bool = False
    baselayout1: bool = False
    systemd_units_present: bool = False
    systemd_booted: bool | None = None  # /run/systemd/system exists (sd_booted)
    initscript_problems: tuple[InitScriptProblem, ...] = ()
    runtime: Runtime = Runtime(None, "missing")
    issues: tuple[str, ...] = ()
    #: Will sshd start: its configuration, host keys and key generation (facts/sshd.py).
    sshd: SshdFacts = field(default_factory=SshdFacts)
    #: /etc/ssh/sshd_not_to_be_run exists (Debian's units and scripts then skip sshd).
    sshd_stop_file: bool | None = None

    def view(self, rc: str) -> RcView:
        """The view of `rc`, or a not-present one (never None: rules stay simple)."""
        for candidate in self.views:
            if candidate.rc == rc:
                return candidate
        return RcView(rc, present=False)

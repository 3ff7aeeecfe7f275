"""services parser: sections -> ServiceFacts (next-boot views per rc system, health now).

Per-init logic lives in `systemd` / `sysv` / `openrc` / `runit`; this module
reads what they share (installed paths, /etc/inittab, runtime state) and assembles them.
Total: any section may be missing, denied or garbage; the result says so, never raises.
"""

from __future__ import annotations

import re

from cockpit.facts.services import Inittab, Runtime, ServiceFacts
from cockpit.parsers.reads import reads
from cockpit.parsers.services import openrc, runit, sshd, systemd, sysv
from cockpit.parsers.services.listing import ifupdown, listing
from cockpit.parsers.text import clean
from cockpit.snapshot import Section, Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "services.paths",
    "services.inittab",
    "services.initd-rc",
    "services.sd.booted",
    "services.sd.running",
    "services.sd.failed",
    "services.sd.units",
    "services.orc.started",
    "services.orc.failed",
    "services.orc.crashed",
    "services.pidfiles",
    "init.runlevel",
    "init.openrc.softlevel",
)

SSHD_BINARIES = (
    "/usr/sbin/sshd",
    "/usr/bin/sshd",
    "/sbin/sshd",
    "/usr/local/sbin/sshd",
    "/usr/sbin/dropbear",
    "/usr/bin/dropbear",
    "/usr/sbin/tinysshd",
    "/usr/bin/tinysshd",
)
_UNIT = re.compile(
    r"^[A-Za-z0-9:_.@\\-]+\.(service|socket|mount|swap|target|timer|path|scope|slice|device|automount)$"
)


def _paths(sections: Sections) -> dict[str, str] | None:
    """services.paths: {path: 'f x'...} of the candidates that exist; None if unread."""
    sec = sections.get_section("services.paths")
    if not sec.ok:
        return None
    out: dict[str, str] = {}
    for line in sec.text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[0] != "dangling" and parts[2].startswith("/"):
            out[parts[2]] = f"{parts[0]} {parts[1]}"
    return out


def parse_inittab(sections: Sections) -> Inittab:
    sec = sections.get_section("services.inittab")
    if not sec.ok:
        return Inittab(sec.state)
    default = sysinit = None
    evidence: list[str] = []
    has_rc_levels = False
    for raw in sec.text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(":", 3)
        if len(fields) != 4:
            continue
        _id, levels, action, process = fields
        if action == "initdefault" and default is None:
            default = levels.strip() or None
            evidence.append(f"/etc/inittab: {clean(line)}")
        elif action == "sysinit" and sysinit is None:
            sysinit = process.strip()
            evidence.append(f"/etc/inittab: {clean(line)}")
        if re.search(r"/etc/init\.d/rc\s+[0-6]", process):
            has_rc_levels = True
    hint = None
    if sysinit:
        if "openrc" in sysinit:
            hint = "openrc"
        elif re.search(r"(^|/)rc(\s|$)", sysinit):
            hint = "gentoo-rc"
        elif "/etc/init.d/rcS" in sysinit:
            hint = "sysv-rc" if has_rc_levels else "busybox-rcS"
    if hint == "sysv-rc":
        # Debian's openrc package replaces sysv-rc's /etc/init.d/rc with a wrapper that
        # runs `/sbin/openrc default`: the rc2.d links are then leftovers.
        for raw in sections.get_section("services.initd-rc").lines():
            line = raw.strip()
            if not line.startswith("#") and _OPENRC_CALL.search(line):
                hint = "openrc"
                evidence.append(f"/etc/init.d/rc: {clean(line)}")
                break
    return Inittab("ok", default, sysinit, hint, tuple(evidence))


_OPENRC_CALL = re.compile(r"(^|[\s/])openrc\s+default\b")


def _failed_units(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for line in text.splitlines():
        words = line.replace("\u25cf", " ").replace("*", " ", 1).split()
        if words and _UNIT.match(words[0]):
            out.append(words[0])
    return tuple(dict.fromkeys(out))


def parse_runtime(sections: Sections) -> Runtime:
    booted = sections.get_section("services.sd.booted")
    running = sections.get_section("services.sd.running")
    failed = sections.get_section("services.sd.failed")
    if booted.ok and booted.text.strip() == "yes":
        if running.state == "offline":
            return Runtime("systemd", "offline")
        state_word = running.text.strip().splitlines()[0].strip() if running.text.strip() else None
        if state_word == "offline" or (state_word is None and running.state == "error"):
            # `systemctl` answers but PID 1 is not systemd (or the bus is gone)
            return Runtime(
                "systemd", "not-booted", evidence=("systemctl is-system-running: offline",)
            )
        if running.state in ("timeout", "nocmd", "missing", "denied"):
            return Runtime("systemd", running.state)
        if state_word is not None and not re.fullmatch(r"[a-z-]+", state_word):
            return Runtime(
                "systemd",
                "error",
                evidence=(f"systemctl is-system-running: {clean(state_word[:80])}",),
            )
        evidence = [f"systemctl is-system-running: {state_word}"]
        if failed.ok:
            units = _failed_units(failed.text)
            return Runtime("systemd", "ok", state_word, units, (), tuple(evidence))
        # the state alone is still a signal (degraded), the list is unknown
        return Runtime(
            "systemd", "ok", state_word, (), (), (*evidence, f"failed-units list: {failed.state}")
        )
    started = listing(sections, "services.orc.started", "/run/openrc/started")
    if started.state == "ok":
        failed_dir = listing(sections, "services.orc.failed", "/run/openrc/failed")
        crashed_sec = sections.get_section("services.orc.crashed")
        crashed = _rc_status_names(crashed_sec.text) if crashed_sec.ok else ()
        evidence = [failed_dir.shown()]
        if crashed_sec.state not in ("ok", "missing"):
            evidence.append(f"rc-status --crashed: {crashed_sec.state}")
        # LSB scripts (Debian's, under OpenRC) start daemons with dpkg's start-stop-daemon:
        # OpenRC never learns their pid, so only their pid files tell one died.
        dead, pid_ev = dead_pidfiles(sections.get_section("services.pidfiles"))
        crashed = tuple(dict.fromkeys((*crashed, *dead)))
        soft = sections.get_section("init.openrc.softlevel")
        softlevel = clean(soft.text.strip()[:40]) if soft.ok else ""
        now_in = f"runlevel {softlevel}" if softlevel else None
        down, down_ev = _stopped_in(sections, softlevel, started.names())
        not_up = tuple(dict.fromkeys((*failed_dir.names(), *down)))
        return Runtime("openrc", "ok", now_in, not_up, crashed, (*evidence, *pid_ev, *down_ev))
    if booted.ok and booted.text.strip() == "no":
        level = sections.get_section("init.runlevel")
        if level.state != "missing":
            return sysv_runtime(level, sections.get_section("services.pidfiles"))
        return Runtime(None, "unavailable", evidence=("/run/systemd/system: (no such directory)",))
    return Runtime(None, booted.state if not booted.ok else "unavailable")


def _stopped_in(
    sections: Sections, level: str, started: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Services of the runlevel OpenRC is in that are not started: Debian's OpenRC records
    no failure for an LSB script that failed to start (/run/openrc/failed stays empty),
    it is only absent from /run/openrc/started while its runlevel lists it."""
    if not level or "/" in level:
        return (), ()
    path = f"/etc/runlevels/{level}"
    wanted = listing(sections, f"services.rl:{path}", path)
    if wanted.state != "ok":
        return (), ()
    have = set(started)
    down = tuple(n for n in wanted.names() if n not in have)
    return down, tuple(f"{path}: {n}, not in /run/openrc/started" for n in down[:6])


#: Pid files a healthy host keeps after their process exits on purpose (a marker that the
#: one-shot ran): nfs-common's sm-notify writes /run/sm-notify.pid and exits.
_ONE_SHOT_PIDFILES = ("/run/sm-notify.pid",)


def sysv_runtime(level: Section, pidfiles: Section) -> Runtime:
    """sysvinit's cheap health: the runlevel it recorded in utmp (`runlevel`: "N 2"), and
    daemons dead with their pid file kept (LSB status 1, probes/pidfiles.py)."""
    if level.state == "offline":
        return Runtime("sysvinit", "offline")
    words = level.text.split() if level.ok else []
    current = words[-1] if len(words) == 2 and len(words[-1]) == 1 else None
    if current is None:
        shown = clean(level.text.strip()[:40]) or f"({level.state})"
        return Runtime("sysvinit", "error", evidence=(f"runlevel: {shown}",))
    dead, pid_ev = dead_pidfiles(pidfiles)
    evidence = (f"runlevel: {clean(' '.join(words))} (utmp)", *pid_ev)
    return Runtime("sysvinit", "ok", f"runlevel {current}", dead, (), evidence)


def dead_pidfiles(pidfiles: Section) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(names, evidence) of daemons gone with their pid file kept (probes/pidfiles.py)."""
    dead: list[str] = []
    evidence: list[str] = []
    for line in pidfiles.lines():
        state, _, rest = line.partition(" ")
        pid, _, path = rest.partition(" ")
        if state == "dead" and path not in _ONE_SHOT_PIDFILES:
            name = path.rsplit("/", 1)[-1].removesuffix(".pid")
            dead.append(clean(name))
            evidence.append(f"{clean(path)}: pid {clean(pid)} is gone (LSB status 1)")
    if pidfiles.state not in ("ok", "missing"):
        evidence.append(f"pid files: ({pidfiles.state})")
    elif pidfiles.ok:
        alive = sum(1 for ln in pidfiles.lines() if ln.startswith("alive "))
        evidence.append(f"pid files: {alive} alive, {len(dead)} dead")
    return tuple(dict.fromkeys(dead)), tuple(evidence)


def _rc_status_names(text: str) -> tuple[str, ...]:
    """`rc-status --crashed` prints one name a line; the table form `name [ crashed ]`
    (rc-status -a) is accepted too, keeping only rows marked crashed."""
    out: list[str] = []
    for line in text.splitlines():
        words = line.split()
        if not words or line.startswith(("Runlevel:", "Dynamic Runlevel:", "[")):
            continue
        if "[" in line:
            if "crashed" in line:
                out.append(words[0])
        elif len(words) == 1:
            out.append(words[0])
    return tuple(clean(n) for n in dict.fromkeys(out))


def parse(sections: Sections) -> ServiceFacts:
    """Raises only on a bug: the guard in parsers/__init__.py turns that into unknown."""
    paths = _paths(sections)
    known = paths or {}
    inittab = parse_inittab(sections)
    ifup = ifupdown(sections)
    views = (
        systemd.view(sections, ifup),
        sysv.view(sections, inittab, ifup, known),
        openrc.view("openrc", sections, ifup, known),
        openrc.view("baselayout1", sections, ifup, known),
        runit.view(sections, known, ifup),
    )
    sshd_paths = tuple(p for p in SSHD_BINARIES if p in known)
    sd_units = any(
        line.split(" ", 2)[1].rsplit("/", 1)[-1] in systemd.SSHD_UNITS
        for line in sections.get_section("services.sd.units").lines()
        if line.count(" ") >= 1
    )
    other_sshd = any(
        p in known
        for p in (
            "/etc/init.d/ssh",
            "/etc/init.d/sshd",
            "/etc/init.d/dropbear",
            "/etc/sv/sshd",
            "/etc/sv/ssh",
        )
    )
    booted = sections.get_section("services.sd.booted")
    return ServiceFacts(
        views=views,
        inittab=inittab,
        sshd_installed=None if paths is None else bool(sshd_paths or sd_units or other_sshd),
        sshd_paths=sshd_paths,
        sshd_config_present=None if paths is None else "/etc/ssh/sshd_config" in known,
        openrc_installed=any(p in known for p in openrc.OPENRC_MARKERS),
        baselayout1=any(p in known for p in openrc.BASELAYOUT1_MARKERS),
        systemd_units_present=sd_units,
        systemd_booted=None if not booted.ok else booted.text.strip() == "yes",
        initscript_problems=openrc.script_problems(sections, known),
        runtime=parse_runtime(sections),
        sshd=sshd.parse(sections),
        sshd_stop_file=sshd.stop_file(sections),
    )

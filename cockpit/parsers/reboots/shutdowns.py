"""Shutdowns already requested, and the files that say a reboot is due.

These are not schedules but state left by a command someone ran: systemd's schedule
file, the pid file of a waiting sysvinit `shutdown` or `openrc-shutdown`, /run/nologin,
and the reboot-required flags package managers drop. A pid file on an offline disk is a
leftover (nothing waits on it), so liveness is recorded, not assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cockpit.facts.reboots import RebootFlag, ScheduledShutdown
from cockpit.parsers.reads import reads
from cockpit.parsers.reboots.sections import per_file
from cockpit.parsers.text import clean, key_values
from cockpit.snapshot import Section, Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "reboots.sd.scheduled",
    "reboots.sysv.pid",
    "reboots.sysv.pid.cmdline",
    "reboots.openrc.pid",
    "reboots.openrc.pid.cmdline",
    "reboots.nologin.run",
    "reboots.nologin.etc",
    "reboots.flag",
    "reboots.sdtime",
)

_NOLOGIN = (
    ("reboots.nologin.run", "/run/nologin"),
    ("reboots.nologin.etc", "/etc/nologin"),
)


def _unescape(value: str) -> str:
    try:
        return value.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except Exception:
        return value


def shutdowns(sections: Sections, mode_live: bool) -> list[ScheduledShutdown]:
    """Pending shutdowns; `mode_live` says whether a pid file means a waiting process."""
    out: list[ScheduledShutdown] = []
    sd = sections.get_section("reboots.sd.scheduled")
    if sd.ok and sd.text.strip():
        kv = key_values(sd.text)
        usec = kv.get("USEC", "")
        if kv.get("DRY_RUN") != "1":
            out.append(
                ScheduledShutdown(
                    "systemd scheduled shutdown",
                    "/run/systemd/shutdown/scheduled",
                    int(usec) / 1e6 if usec.isdigit() else None,
                    kv.get("MODE") or "unknown",
                    tuple(
                        f"/run/systemd/shutdown/scheduled: {ln}" for ln in sd.text.splitlines()[:6]
                    ),
                    _unescape(kv["WALL_MESSAGE"]) if kv.get("WALL_MESSAGE") else None,
                )
            )
    for prefix, source in (
        ("reboots.sysv.pid", "sysvinit shutdown"),
        ("reboots.openrc.pid", "openrc-shutdown"),
    ):
        for path, sec in per_file(sections, prefix):
            if not sec.ok:
                continue
            evidence = [f"{path}: {sec.text.strip()[:40]}"]
            kind, when, live, started = "unknown", None, mode_live, None
            for cpath, csec in per_file(sections, prefix + ".cmdline"):
                if not csec.ok:
                    continue
                args = [a for a in csec.text.split("\x00") if a]
                evidence.append(f"{cpath}: {clean(' '.join(args))[:200]}")
                read = shutdown_argv(args, openrc=prefix == "reboots.openrc.pid")
                kind, when = read.kind, read.when
                live = True
            timing = start_time(sections.get_section(f"reboots.sdtime:{path}"))
            if timing is not None:
                started = timing[0]
                evidence.append(timing[1])
            out.append(
                ScheduledShutdown(
                    source, path, None, kind, tuple(evidence), None, when, live, started
                )
            )
    return out


@dataclass(frozen=True)
class ShutdownArgs:
    """What a waiting `shutdown` / `openrc-shutdown` was asked: `kind` reboot | halt |
    poweroff | kexec | single-user | warn-only | cancel | dry-run | unknown; `when` the time
    argument as given (`now`, `+N`, `N`, `hh:mm`)."""

    kind: str
    when: str | None


_SYSV_WITH_ARG = frozenset("tgi")  # getopt "HPacqkrhnfFyt:g:i:" (sysvinit src/shutdown.c)
_OPENRC_LONG = {
    "--halt": "H",
    "--kexec": "K",
    "--poweroff": "p",
    "--reboot": "r",
    "--single": "s",
    "--cancel": "c",
    "--dry-run": "D",
    "--reexec": "R",
    "--write-only": "w",
    "--no-write": "d",
}


def shutdown_argv(argv: list[str], openrc: bool = False) -> ShutdownArgs:
    """Read a shutdown command line the way its getopt does (options anywhere, `--` ends
    them, the first operand is the time). Total: odd input gives kind `unknown`."""
    flags: list[str] = []
    operands: list[str] = []
    given_time: str | None = None
    args = list(argv[1:])
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            operands.extend(args[i:])
            break
        if openrc and arg.startswith("--"):
            flags.append(_OPENRC_LONG.get(arg.split("=")[0], "?"))
            continue
        if arg.startswith("-") and len(arg) > 1:
            letters = arg[1:]
            for j, letter in enumerate(letters):
                if not openrc and letter in _SYSV_WITH_ARG:
                    value = letters[j + 1 :] or (args[i] if i < len(args) else "")
                    if not letters[j + 1 :]:
                        i += 1
                    if letter == "g":
                        given_time = value
                    elif letter == "i":
                        flags.append("i" + value[:1])
                    break
                flags.append(letter)
            continue
        operands.append(arg)
    when = given_time or (operands[0] if operands else None)
    if when is not None and not re.fullmatch(r"(?i:now)|\+?\d{1,6}|\d{1,2}:\d{1,2}", when):
        when = None
    return ShutdownArgs(_kind(flags, openrc), when)


def _kind(flags: list[str], openrc: bool) -> str:
    if "c" in flags:
        return "cancel"
    if openrc:
        if "D" in flags:
            return "dry-run"
        for flag, kind in (("r", "reboot"), ("K", "kexec"), ("p", "poweroff"), ("H", "halt")):
            if flag in flags:
                return kind
        return "single-user" if "s" in flags else "unknown"
    if "k" in flags:
        return "warn-only"  # sysvinit -k: "don't really shutdown, only warn"
    level = next((f[1:] for f in reversed(flags) if f.startswith("i")), None)
    if "r" in flags or level == "6":
        return "reboot"
    if "h" in flags or level == "0":
        return "halt" if "H" in flags else "poweroff" if "P" in flags else "halt"
    return "single-user"  # sysvinit's default down_level is "1"


_HZ = (100, 250, 300, 1000, 1024)


def start_time(sec: Section) -> tuple[float, str] | None:
    """(epoch the waiting process started, evidence) from the probe's
    `reboots.sdtime:PIDFILE` section, or None when it cannot be computed."""
    if not sec.ok:
        return None
    try:
        fields = dict(line.split(" ", 1) for line in sec.text.splitlines() if " " in line)
        stat = fields.get("stat", "")
        rest = stat[stat.rindex(")") + 2 :].split()
        ticks = int(rest[19])  # field 22 of /proc/PID/stat, after pid and (comm)
        btime = int(fields["btime"].split()[0])
        hz, how = _hz(fields)
        if hz is None:
            return None
        started = btime + ticks / hz
        return started, f"started {ticks} ticks after boot (btime {btime}, {hz} Hz {how})"
    except (ValueError, KeyError, IndexError):
        return None


def _hz(fields: dict[str, str]) -> tuple[int | None, str]:
    hz = fields.get("hz", "").strip()
    if hz.isdigit() and int(hz) > 0:
        return int(hz), "from getconf CLK_TCK"
    try:  # the collector shell itself started just now: its ticks / uptime
        own = fields["self"]
        ticks = int(own[own.rindex(")") + 2 :].split()[19])
        uptime = float(fields["uptime"].split()[0])
        guess = min(_HZ, key=lambda h: abs(ticks / uptime - h))
        if uptime > 60 and abs(ticks / uptime - guess) < guess * 0.02:
            return guess, "from the collector's own start time"
    except (ValueError, KeyError, IndexError, ZeroDivisionError):
        pass
    return None, ""


def nologin(sections: Sections) -> tuple[tuple[str, str], ...]:
    """(path, first line) of each nologin file present: logins blocked, shutdown near."""
    return tuple(
        (path, sec.text.strip().splitlines()[0][:200] if sec.text.strip() else "")
        for name, path in _NOLOGIN
        if (sec := sections.get_section(name)).ok
    )


def flags(sections: Sections) -> list[RebootFlag]:
    """reboot-required style flags, with the packages the `.pkgs` file lists."""
    found: dict[str, Section] = dict(per_file(sections, "reboots.flag"))
    out: list[RebootFlag] = []
    pkgs: tuple[str, ...] = ()
    for path, sec in found.items():
        if path.endswith(".pkgs") and sec.ok:
            pkgs = tuple(dict.fromkeys(p.strip() for p in sec.text.splitlines() if p.strip()))
    for path, sec in found.items():
        if sec.ok and not path.endswith(".pkgs"):
            packages = pkgs if path.endswith("reboot-required") else ()
            out.append(RebootFlag(path, sec.text.strip()[:500], packages))
    return out

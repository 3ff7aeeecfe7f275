"""Shutdowns already requested, and the files that say a reboot is due.

These are not schedules but state left by a command someone ran: systemd's schedule
file, the pid file of a waiting sysvinit `shutdown` or `openrc-shutdown`, /run/nologin,
and the reboot-required flags package managers drop. A pid file on an offline disk is a
leftover (nothing waits on it), so liveness is recorded, not assumed.
"""

from __future__ import annotations

import re

from cockpit.facts.reboots import RebootFlag, ScheduledShutdown
from cockpit.parsers.reads import reads
from cockpit.parsers.reboots import cron
from cockpit.parsers.reboots.sections import per_file
from cockpit.parsers.text import key_values
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
            kind, when, live = "unknown", None, mode_live
            for cpath, csec in per_file(sections, prefix + ".cmdline"):
                if not csec.ok:
                    continue
                args = [a for a in csec.text.split("\x00") if a]
                evidence.append(f"{cpath}: {' '.join(args)[:200]}")
                found = cron.reboot_kind(" ".join(args))
                kind = found[0] if found else "unknown"
                times = [
                    a for a in args[1:] if a == "now" or re.fullmatch(r"\+\d+|\d{1,2}:\d\d", a)
                ]
                when = times[0] if times else None
                live = True
            out.append(
                ScheduledShutdown(source, path, None, kind, tuple(evidence), None, when, live)
            )
    return out


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

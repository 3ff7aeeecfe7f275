"""systemd timers that reboot the host: reboot.target directly, or a service that reboots.

Unit files are read from disk (so offline roots work); whether a timer is enabled comes
from timers.target.wants, and `systemctl list-timers` (live only) adds the NEXT time
systemd itself computed, which beats any OnCalendar evaluation of ours.
"""

from __future__ import annotations

import re

from cockpit.facts.reboots import TimerReboot
from cockpit.parsers.reads import reads
from cockpit.parsers.reboots import cron
from cockpit.parsers.reboots.sections import basename, ini, per_file
from cockpit.parsers.text import ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "reboots.units",
    "reboots.tunits",
    "reboots.timers",
    "reboots.ttimers",
    "reboots.timers.wants",
    "reboots.list-timers",
)

_Ini = dict[str, list[tuple[str, str, str]]]
_LIST_TIMERS_NEXT = re.compile(r"^(?:[A-Z][a-z]{2} )?(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")


def _exec_kind(service: _Ini) -> tuple[str, str] | None:
    """(kind, raw Exec line) if the service's commands reboot the host."""
    for key, value, raw in service.get("Service", []):
        if key in ("ExecStart", "ExecStartPre", "ExecStartPost", "ExecStop"):
            found = cron.reboot_kind(value.lstrip("-@:+!"))
            if found:
                return found[0], raw
    return None


def _list_timers(sections: Sections) -> dict[str, str | None]:
    """`systemctl list-timers --all --no-legend`: timer unit -> NEXT (None for n/a, -)."""
    sec = sections.get_section("reboots.list-timers")
    out: dict[str, str | None] = {}
    for line in sec.lines():
        words = line.split()
        timers = [w for w in words if w.endswith(".timer")]
        if not timers:
            continue
        match = _LIST_TIMERS_NEXT.match(line.strip())
        out[timers[-1]] = match.group(1) if match else None
    return out


def timers(sections: Sections) -> list[TimerReboot]:
    """Timers (persistent and transient) whose unit reboots, with enabled state and NEXT."""
    units: dict[str, tuple[str, _Ini]] = {}
    for prefix in ("reboots.units", "reboots.tunits"):
        for path, sec in per_file(sections, prefix):
            if sec.ok:
                units.setdefault(basename(path), (path, ini(sec.text)))
    wants = sections.get_section("reboots.timers.wants")
    enabled_names = set(ls_entries(wants.text)) if wants.ok else None
    next_times = _list_timers(sections)
    out: list[TimerReboot] = []
    for prefix, transient in (("reboots.timers", False), ("reboots.ttimers", True)):
        for path, sec in per_file(sections, prefix):
            if not sec.ok:
                continue
            name = basename(path)
            timer = ini(sec.text).get("Timer", [])
            unit = next(
                (v for k, v, _ in timer if k == "Unit"), name[: -len(".timer")] + ".service"
            )
            evidence = [f"{path}: {raw}" for k, _, raw in timer if k in ("Unit", "OnCalendar")]
            kind = cron.target_kind(unit)
            if kind is None and unit in units:
                found = _exec_kind(units[unit][1])
                if found:
                    kind = found[0]
                    evidence.append(f"{units[unit][0]}: {found[1]}")
            if kind is None:
                continue
            calendars = tuple(v for k, v, _ in timer if k == "OnCalendar" and v)
            monotonic = tuple(
                f"{k}={v}" for k, v, _ in timer if k.startswith("On") and k != "OnCalendar" and v
            )
            if transient or name in next_times:
                enabled: bool | None = True
            elif enabled_names is None:
                enabled = None
            else:
                enabled = name in enabled_names
            out.append(
                TimerReboot(
                    name,
                    path,
                    calendars,
                    monotonic,
                    unit,
                    kind,
                    tuple(evidence),
                    next_times.get(name),
                    enabled,
                )
            )
    return out

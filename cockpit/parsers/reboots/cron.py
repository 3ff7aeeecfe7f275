"""Cron parsing for the reboots area: which lines reboot the host, and when they run.

Line syntax (fields, user column, specials, `%`) is python-crontab's; next runs are
croniter's, on aware datetimes in the host's zone (or the line's CRON_TZ), so DST and
day-of-month OR day-of-week behave as cron does. Odd input gives no job, never an
exception; a bug in the reboot matcher does raise (see `reboot_kind`), for the guard.

Only lines that could matter are handed to python-crontab (a prefilter regex), so a 1 MB
crontab costs a regex scan, not thirty thousand CronItem objects.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from crontab import CronItem, CronTab

from cockpit.parsers.reboots.matcher import command_lines, reboot_kind, run_paths, target_kind

# python-crontab logs malformed lines at ERROR; a hostile crontab must not spray stderr.
logging.getLogger("crontab").setLevel(logging.CRITICAL)

_SYSTEM_TAB = CronTab(user=False, tab="")  # 6-field format: minute .. weekday, user, cmd
_USER_TAB = CronTab(user=None, tab="")  # 5-field format: minute .. weekday, cmd

SPECIALS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_PREFILTER = re.compile(
    r"reboot|shutdown|poweroff|halt|kexec|sysrq|init|run-parts|cron\.(?:hourly|daily|weekly|monthly)"
)
_ENV = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
_RUN_PARTS_DIR = re.compile(r"/etc/cron\.(hourly|daily|weekly|monthly)\b")


@dataclass(frozen=True)
class CronLine:
    """One job line that reboots, or that runs a run-parts directory."""

    line: str
    user: str | None
    spec: str | None
    zone: str | None
    command: str


__all__ = ["CronLine", "reboot_kind", "run_paths", "target_kind"]


def _is_comment(stripped: str) -> bool:
    return not stripped or stripped.startswith("#")


def _env_assignment(stripped: str) -> tuple[str, str] | None:
    if stripped[:1].isdigit() or stripped[:1] in "*@":
        return None
    match = _ENV.match(stripped)
    if not match:
        return None
    value = match.group(2)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return match.group(1), value


def _item(line: str, system: bool) -> tuple[str | None, str, str] | None:
    """(user, spec, command) of an active job line, via python-crontab; None otherwise."""
    stripped = line.strip()
    spec_word = stripped.split(None, 1)[0] if stripped else ""
    if spec_word.startswith("@"):
        five = SPECIALS.get(spec_word.lower())
        if five is None:  # @reboot runs AT boot: it is not a reboot
            return None
        stripped = five + " " + stripped[len(spec_word) :].lstrip()
    try:
        item = CronItem.from_line(stripped, cron=_SYSTEM_TAB if system else _USER_TAB)
    except Exception:
        return None
    if not item.is_valid() or not item.is_enabled() or not item.command:
        return None
    try:
        spec = item.slices.clean_render()
    except Exception:
        return None
    user = item.user if system else None
    return (str(user) if user else None), str(spec), str(item.command)


def job_lines(text: str, system: bool, every: bool = False) -> Iterator[CronLine]:
    """Active job lines that reboot or run a run-parts directory, with their CRON_TZ;
    with `every`, all active job lines (the scripts they run may reboot)."""
    zone: str | None = None
    tz: str | None = None
    for raw in command_lines(text):
        stripped = raw.strip(" \t")
        if _is_comment(stripped):
            continue
        env = _env_assignment(stripped)
        if env is not None:
            if env[0] == "CRON_TZ":
                zone = env[1] or None
            elif env[0] == "TZ":
                tz = env[1] or None
            continue
        if not every and not _PREFILTER.search(stripped):
            continue
        parsed = _item(stripped, system)
        if parsed is None:
            continue
        user, spec, command = parsed
        yield CronLine(raw.rstrip("\r"), user, spec, zone or tz, command)


def run_parts_dir(command: str) -> str | None:
    """`/etc/cron.daily` if the command runs that directory with run-parts."""
    if "run-parts" not in command:
        return None
    match = _RUN_PARTS_DIR.search(command)
    return f"/etc/cron.{match.group(1)}" if match else None


@dataclass(frozen=True)
class AnacronLine:
    line: str
    days: int | None
    command: str


def anacron_lines(text: str) -> Iterator[AnacronLine]:
    """anacrontab job lines: `period delay job-id command` (period in days or @word)."""
    periods = {"@daily": 1, "@weekly": 7, "@monthly": 30, "@yearly": 365, "@annually": 365}
    for raw in command_lines(text):
        stripped = raw.strip(" \t")
        if _is_comment(stripped) or _env_assignment(stripped) is not None:
            continue
        parts = stripped.split(None, 3)
        if len(parts) < 4:
            continue
        period = parts[0]
        days = periods.get(period) if period.startswith("@") else None
        if days is None and period.isdigit():
            days = int(period)
        yield AnacronLine(raw.rstrip("\r"), days, parts[3])


def script_reboots(text: str) -> Iterator[tuple[str, str, int]]:
    """(line, kind, delay) for each line of a shell script that reboots, lines as sh
    splits them (at `\n` only)."""
    for raw in command_lines(text):
        stripped = raw.strip(" \t")
        if _is_comment(stripped):
            continue
        found = reboot_kind(stripped)
        if found:
            yield raw.rstrip("\r"), found[0], found[1]


def zone_or(name: str | None, default: tzinfo) -> tzinfo:
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except Exception:
        return default


def next_run(spec: str, after: datetime, zone: tzinfo | None = None) -> datetime | None:
    """The first run strictly after `after` (aware), computed in `zone`; None if never."""
    try:
        from croniter import croniter

        start = after.astimezone(zone) if zone is not None else after
        nxt = croniter(spec, start, ret_type=datetime).get_next(datetime)
        return nxt.astimezone(after.tzinfo)
    except Exception:
        return None


_DOW = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe(spec: str) -> str:
    """Human words for common specs: `daily at 03:15`, `weekly on Sun at 06:47`."""
    fields = spec.split()
    if len(fields) != 5:
        return f"on schedule '{spec}'"
    minute, hour, dom, month, dow = fields
    if minute.isdigit() and hour.isdigit():
        at = f"{int(hour):02d}:{int(minute):02d}"
        if dom == "*" and month == "*" and dow == "*":
            return f"daily at {at}"
        if dom == "*" and month == "*" and dow.isdigit() and int(dow) <= 7:
            return f"weekly on {_DOW[int(dow)]} at {at}"
        if dom.isdigit() and month == "*" and dow == "*":
            return f"monthly on day {dom} at {at}"
    if minute.isdigit() and hour == "*" and dom == "*" and month == "*" and dow == "*":
        return f"hourly at :{int(minute):02d}"
    return f"on schedule '{spec}'"


def delay(minutes: int) -> timedelta:
    return timedelta(minutes=minutes)

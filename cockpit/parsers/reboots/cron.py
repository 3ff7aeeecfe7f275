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
_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*")
_SEGMENT_SPLIT = re.compile(r"&&|\|\||\$\(|[;&|()`{}\n]")
_WRAPPERS = {"sudo", "exec", "nohup", "nice", "ionice", "env", "command", "busybox", "time"}
_WRAPPERS_WITH_ARG = {"timeout"}
_KEYWORDS = {"then", "do", "else", "elif", "if", "while", "until", "!"}
_SHELLS = {"sh", "bash", "dash", "ash", "ksh", "zsh", "su"}
_SYSTEMCTL_VERBS = {
    "reboot": "reboot",
    "poweroff": "poweroff",
    "halt": "halt",
    "kexec": "kexec",
    "soft-reboot": "soft-reboot",
}
_TARGETS = {f"{k}.target": v for k, v in _SYSTEMCTL_VERBS.items()}
_SYSRQ = re.compile(r"""echo\s+(?:-n\s+)?["']?([bo])["']?\s*>\s*/proc/sysrq-trigger""")
_RUN_PARTS_DIR = re.compile(r"/etc/cron\.(hourly|daily|weekly|monthly)\b")


@dataclass(frozen=True)
class CronLine:
    """One job line that reboots, or that runs a run-parts directory."""

    line: str
    user: str | None
    spec: str | None
    zone: str | None
    command: str


def _words(segment: str) -> list[str]:
    return segment.replace('"', " ").replace("'", " ").split()


def _strip_prefix(words: list[str]) -> list[str]:
    """Drop assignments, shell keywords and wrappers (sudo, nohup, sh -c ...)."""
    i = 0
    while i < len(words):
        word = words[i]
        base = word.rsplit("/", 1)[-1]
        if word in _KEYWORDS or _ASSIGN.fullmatch(word):
            i += 1
        elif base in _WRAPPERS:
            i += 1
            while i < len(words) and (words[i].startswith("-") or "=" in words[i]):
                i += 1
                if base in ("nice", "ionice", "sudo") and i < len(words) and words[i].isdigit():
                    i += 1
        elif base in _WRAPPERS_WITH_ARG:
            i += 1
            while i < len(words) and words[i].startswith("-"):
                i += 1
            i += 1  # the duration
        elif base in _SHELLS and i + 1 < len(words) and words[i + 1].startswith("-"):
            # `sh -c 'reboot'`, `su -c reboot root`: the command follows -c
            j = i + 1
            while j < len(words) and words[j].startswith("-"):
                j += 1
            i = j
        else:
            break
    return words[i:]


def _shutdown_kind(args: list[str]) -> tuple[str, int] | None:
    """shutdown / openrc-shutdown options: -r reboots, -P/-p powers off, -h/-H halts;
    -c (cancel), -k (warn only) do nothing. Without any, systemd's shutdown powers off."""
    reboot = poweroff = halt = False
    minutes = 0
    for arg in args:
        if arg in ("--cancel", "--help", "--show"):
            return None
        if arg == "--reboot":
            reboot = True
        elif arg in ("--poweroff", "--power-off"):
            poweroff = True
        elif arg == "--halt":
            halt = True
        elif arg.startswith("-") and not arg.startswith("--"):
            letters = set(arg[1:])
            if letters & {"c", "k"}:
                return None
            reboot |= "r" in letters
            poweroff |= bool(letters & {"P", "p"})
            halt |= bool(letters & {"h", "H"})
        elif re.fullmatch(r"\+\d{1,5}", arg):
            minutes = int(arg[1:])
    kind = "reboot" if reboot else "poweroff" if poweroff else "halt" if halt else "poweroff"
    return kind, minutes


def _segment_kind(words: list[str]) -> tuple[str, int] | None:
    words = _strip_prefix(words)
    if not words:
        return None
    name = words[0].rsplit("/", 1)[-1]
    args = words[1:]
    if name == "reboot":
        if any(a in ("--help", "-w", "--wtmp-only") for a in args):
            return None
        return ("poweroff" if "-p" in args else "reboot"), 0
    if name in ("poweroff", "halt"):
        if any(a in ("--help", "-w", "--wtmp-only") for a in args):
            return None
        return name, 0
    if name in ("shutdown", "openrc-shutdown"):
        return _shutdown_kind(args)
    if name in ("init", "telinit") and args:
        if args[0] == "6":
            return "reboot", 0
        if args[0] == "0":
            return "poweroff", 0
        return None
    if name == "systemctl":
        verbs = [a for a in args if not a.startswith("-")]
        if verbs and verbs[0] in _SYSTEMCTL_VERBS:
            return _SYSTEMCTL_VERBS[verbs[0]], 0
        if len(verbs) >= 2 and verbs[0] in ("start", "isolate") and verbs[1] in _TARGETS:
            return _TARGETS[verbs[1]], 0
        return None
    if name == "kexec" and ("-e" in args or "--exec" in args):
        return "kexec", 0
    return None


def target_kind(unit: str) -> str | None:
    """The kind of shutdown a systemd unit name means (`reboot.target` -> reboot), or None."""
    return _TARGETS.get(unit)


def reboot_kind(command: str) -> tuple[str, int] | None:
    """(kind, delay minutes) if running `command` reboots/powers off the host, else None.

    Commands are matched as words at command position (after `;`, `&&`, `||`, `|`, `(`,
    `then`, wrappers like sudo/nohup/`sh -c`), with or without a path: `/sbin/reboot`,
    `sleep 60 && shutdown -r now`. `echo reboot` or `check-reboot-required` are not.

    Never swallows its own errors: None means "not a reboot", so a matcher bug must raise
    and reach the reboots parser's guard (the source becomes unknown), never erase an
    armed reboot.
    """
    sysrq = _SYSRQ.search(command)
    if sysrq:
        return ("reboot" if sysrq.group(1) == "b" else "poweroff"), 0
    for segment in _SEGMENT_SPLIT.split(command):
        found = _segment_kind(_words(segment))
        if found:
            return found
    return None


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


def job_lines(text: str, system: bool) -> Iterator[CronLine]:
    """Active job lines that reboot or run a run-parts directory, with their CRON_TZ."""
    zone: str | None = None
    tz: str | None = None
    for raw in text.splitlines():
        stripped = raw.strip()
        if _is_comment(stripped):
            continue
        env = _env_assignment(stripped)
        if env is not None:
            if env[0] == "CRON_TZ":
                zone = env[1] or None
            elif env[0] == "TZ":
                tz = env[1] or None
            continue
        if not _PREFILTER.search(stripped):
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
    for raw in text.splitlines():
        stripped = raw.strip()
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
    """(line, kind, delay) for each line of a shell script that reboots."""
    for raw in text.splitlines():
        stripped = raw.strip()
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

"""When each kind of armed reboot fires next, and how a time is shown to the admin.

Both the findings (titles with a countdown) and the verdict (the armed list) need the
same next times; computing them in one place keeps the two from ever disagreeing. All
times are aware, in the host's zone (`now.tzinfo`), or in a cron line's CRON_TZ.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from cockpit.facts.reboots import AtReboot, CronReboot
from cockpit.parsers.reboots import cron
from cockpit.rules.when import countdown as _wall_countdown
from cockpit.rules.when import stamp

__all__ = ["at_job_time", "countdown", "cron_next", "next_hhmm", "shutdown_at", "stamp"]


def countdown(at: datetime, now: datetime) -> str:
    """Elapsed time, not wall-clock difference: two datetimes sharing one ZoneInfo subtract
    as naive wall times in Python, which is an hour off across a DST change."""
    return _wall_countdown(at.astimezone(timezone.utc), now.astimezone(timezone.utc))


def cron_next(job: CronReboot, now: datetime) -> datetime | None:
    """The job's next run (plus its `shutdown +N` delay); None when it has no schedule."""
    if job.spec is None:
        return None
    nxt = cron.next_run(job.spec, now, cron.zone_or(job.zone, now.tzinfo))  # type: ignore[arg-type]
    return nxt + timedelta(minutes=job.delay_min) if nxt else None


def at_job_time(job: AtReboot, now: datetime) -> datetime | None:
    return datetime.fromtimestamp(job.epoch, tz=now.tzinfo) if job.epoch is not None else None


def next_hhmm(text: str, after: datetime) -> datetime | None:
    """The first `HH:MM` wall time after `after` (today or tomorrow); None if not HH:MM."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    cand = after.replace(
        hour=int(match.group(1)), minute=int(match.group(2)), second=0, microsecond=0
    )
    return cand if cand > after else cand + timedelta(days=1)


def shutdown_at(
    kind_when: str | None, epoch: float | None, now: datetime, started: float | None = None
) -> datetime | None:
    """A pending shutdown's time: systemd's epoch; else, for a waiting sysvinit `shutdown`
    or openrc-shutdown whose start time is known, that start plus the minutes it counts
    (see `minutes_from_start`); else `now` / the next `HH:MM` wall time."""
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=now.tzinfo)
    if started is not None and kind_when is not None:
        start = datetime.fromtimestamp(started, tz=now.tzinfo)
        minutes = minutes_from_start(kind_when, start)
        if minutes is not None:
            return start + timedelta(minutes=minutes)
    if kind_when is not None and kind_when.lower() == "now":
        return now
    return next_hhmm(kind_when, now) if kind_when else None


def minutes_from_start(when: str, start: datetime) -> int | None:
    """How many minutes a shutdown started at `start` (host zone) waits: sysvinit
    src/shutdown.c and openrc-shutdown.c both turn `now` into 0, `+N`/`N` into N, and
    `hh:mm` into the minutes from the start's local hh:mm (+1440 when already past),
    then sleep 60 s per minute."""
    text = when.strip().lower()
    if text == "now":
        return 0
    match = re.fullmatch(r"\+?(\d{1,6})", text)
    if match:
        return int(match.group(1))
    match = re.fullmatch(r"(\d{1,2}):(\d{1,2})", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    wait = int(match.group(1)) * 60 + int(match.group(2)) - (start.hour * 60 + start.minute)
    return wait + 1440 if wait < 0 else wait

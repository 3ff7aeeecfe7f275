"""Times in words, and titles that speak of a time, said again at any "now".

A finding judged at 22:59:00 that says "in 4h16m" is wrong a minute later, and a screen
that ticks its countdowns while its findings stay frozen shows two clocks. So a finding
that speaks of a time keeps that time as data (`Timed`): its title is a template, said
again from the screen's one "now" at draw time (`Timed.say`). The judged `title` is the
same template said at judge time, so JSON, text output and goldens read as before.

A one-shot schedule whose time has passed (a shutdown file left from 2024, judged in
2026) is never a countdown ("in now", "due now"): it is said as overdue or stale, with
its date (`Timed.past`). Pure: no terminal library, no clock of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: Placeholders inside a `Timed` template. NUL never survives `clean()` (it is shown as
#: a picture), so host text inside a template can never be taken for a placeholder.
AT, IN, AGO = "\x00at\x00", "\x00in\x00", "\x00ago\x00"


def countdown(at: datetime, now: datetime) -> str:
    """`4h15m`, `2d3h`, `45s`; `now` if due or past (callers say a past time apart).

    Elapsed time, not wall-clock difference: Python subtracts two datetimes that share a
    ZoneInfo as wall times, which is an hour off across a DST change.
    """
    seconds = int(at.timestamp() - now.timestamp())
    if seconds <= 0:
        return "now"
    return span(seconds)


def span(seconds: int, years: bool = False) -> str:
    """A duration the way the countdowns say it: `4h15m`, `2d3h`, `9m05s`, `45s`; with
    `years`, a year or more is said in years (how long ago a stale file was written)."""
    days, rest = divmod(max(0, seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if years and days >= 365:
        n = days // 365
        return f"{n} year{'s' if n > 1 else ''}"
    if days:
        return f"{days}d{hours}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s" if minutes < 10 else f"{minutes}m"
    return f"{secs}s"


def is_past(at: datetime, now: datetime) -> bool:
    """Strictly before `now` (a time equal to now is due, not past)."""
    return at.timestamp() < now.timestamp()


def ago(at: datetime, now: datetime) -> str:
    """`30s ago`, `4h05m ago`, `2 years ago`."""
    return f"{span(int(now.timestamp() - at.timestamp()), years=True)} ago"


def stamp(at: datetime, zone: object = None) -> str:
    """`2011-09-30 03:15 CDT`, in `zone` (a tzinfo) when given, else in `at`'s own."""
    shown = at.astimezone(zone) if zone is not None else at  # type: ignore[arg-type]
    return shown.strftime("%Y-%m-%d %H:%M %Z").strip()


def order_key(at: datetime | None, now: datetime) -> tuple[int, float]:
    """Soonest future time first, then a time unknown, then times already past (oldest
    last): a stale schedule is never the next thing to happen."""
    if at is None:
        return (1, 0.0)
    if is_past(at, now):
        return (2, -at.timestamp())
    return (0, at.timestamp())


@dataclass(frozen=True)
class Timed:
    """A title that speaks of `at`. `ahead` is said while `at` is ahead of now (or due),
    `past` once it has passed; each may hold AT (the time, in now's zone, with its
    abbreviation), IN (the countdown) and AGO ("2 years ago")."""

    at: datetime
    ahead: str
    past: str

    def say(self, now: datetime) -> str:
        """The title at `now`. AT is said in `at`'s own zone: the producer puts it in the
        host's (or a cron line's CRON_TZ, which that title names)."""
        template = self.past if is_past(self.at, now) else self.ahead
        return (
            template.replace(AT, stamp(self.at))
            .replace(IN, countdown(self.at, now))
            .replace(AGO, ago(self.at, now))
        )

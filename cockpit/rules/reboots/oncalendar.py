"""Next run of a systemd timer that reboots: list-timers' NEXT, else its OnCalendar.

We evaluate OnCalendar by translating the common forms to a cron spec and reusing cron's
next-run code, rather than writing a second calendar engine; forms we cannot translate
leave the time unknown (the timer is still armed), never guessed.
"""

from __future__ import annotations

import re
from datetime import datetime

from cockpit.facts.reboots import TimerReboot
from cockpit.parsers.reboots import cron

_CAL_SHORT = {
    "minutely": "* * * * *",
    "hourly": "0 * * * *",
    "daily": "0 0 * * *",
    "weekly": "0 0 * * mon",
    "monthly": "0 0 1 * *",
    "yearly": "0 0 1 1 *",
    "annually": "0 0 1 1 *",
    "quarterly": "0 0 1 1,4,7,10 *",
    "semiannually": "0 0 1 1,7 *",
}
_NUM_LIST = re.compile(r"^(\*|\d{1,2}(,\d{1,2})*)$")
_DOW = re.compile(r"^[A-Za-z]{3,9}((,|\.\.)[A-Za-z]{3,9})*$")


def calendar_to_cron(expr: str) -> str | None:
    """The common OnCalendar forms as a cron spec; None for what we do not support.

    Supported: the shorthands (daily, weekly, ...), `[DOW] *-*-* HH:MM[:00]`,
    `[DOW] *-MM-DD HH:MM`, and `HH:MM` alone. Anything else (steps, years, seconds other
    than 0, ~ last days, time zones) -> None: the timer is armed, time unknown.
    """
    text = expr.strip()
    if text.lower() in _CAL_SHORT:
        return _CAL_SHORT[text.lower()]
    parts = text.split()
    dow = "*"
    if parts and _DOW.match(parts[0]) and not parts[0][0].isdigit():
        dow = parts.pop(0).lower().replace("..", "-")
        dow = (
            ",".join(d[:3] for d in dow.split(","))
            if "-" not in dow
            else "-".join(d[:3] for d in dow.split("-"))
        )
    date, time = "*-*-*", "00:00:00"
    if len(parts) == 2:
        date, time = parts
    elif len(parts) == 1:
        if "-" in parts[0]:
            date = parts[0]
        else:
            time = parts[0]
    elif parts:
        return None
    dparts = date.split("-")
    tparts = time.split(":")
    if len(dparts) != 3 or dparts[0] != "*" or len(tparts) not in (2, 3):
        return None
    if len(tparts) == 3 and tparts[2] not in ("0", "00"):
        return None
    month, day = dparts[1], dparts[2]
    hour, minute = tparts[0], tparts[1]
    if not all(_NUM_LIST.match(x) for x in (month, day, hour, minute)):
        return None
    return f"{minute} {hour} {day} {month} {dow}"


def timer_next(timer: TimerReboot, now: datetime) -> datetime | None:
    """The timer's next elapse at `now`; None when it depends on boot time or odd syntax."""
    if timer.next_text:
        try:
            # list-timers prints host wall time (LC_ALL=C); the zone word may be ambiguous
            return datetime.strptime(timer.next_text + " +0000", "%Y-%m-%d %H:%M:%S %z").replace(
                tzinfo=now.tzinfo
            )
        except ValueError:
            pass
    if timer.monotonic or not timer.calendars:
        return None  # OnBootSec= etc. need the boot time; unknown
    times = []
    for expr in timer.calendars:
        spec = calendar_to_cron(expr)
        nxt = cron.next_run(spec, now) if spec else None
        if nxt is None:
            return None
        times.append(nxt)
    return min(times) if times else None

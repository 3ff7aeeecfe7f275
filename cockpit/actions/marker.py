"""The comment that replaces a disarmed cron line, and says who, when, why and what.

`# cockpit: disarmed 2011-09-29T23:05:00-05:00 by jh: host unbootable :: 15 3 * * * reboot`

Everything after the first ` :: ` is the original line, verbatim (cron never runs a
comment), so re-arming restores it exactly. The user and reason are sanitized so that
neither can hold ` :: ` or a line break: the split point stays unambiguous whatever was
typed, and the comment stays one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

PREFIX = "# cockpit: disarmed "
SEPARATOR = " :: "
_MARKER = re.compile(r"^# cockpit: disarmed (\S+) by (.*?): (.*?) :: (.*)$", re.DOTALL)
_UNSAFE_USER = re.compile(r"[^A-Za-z0-9._@+-]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Marker:
    """A parsed marker line: when (as written), by whom, why, and the original line."""

    at: str
    user: str
    reason: str
    original: str


def clean_user(user: str) -> str:
    """A login-ish name: anything else would make the marker ambiguous or multi-line."""
    return _UNSAFE_USER.sub("_", user)[:64] or "unknown"


def clean_reason(reason: str) -> str:
    """One line, no control characters, no `::` (the separator), at most 200 characters."""
    text = _CONTROL.sub(" ", reason)
    while "::" in text:
        text = text.replace("::", ":")
    text = " ".join(text.split())[:200].strip()
    return text or "no reason given"


def make(original: str, at: datetime, user: str, reason: str) -> str:
    """The marker comment for `original` (a job line without its line terminator)."""
    stamp = at.replace(microsecond=0).isoformat()
    return f"{PREFIX}{stamp} by {clean_user(user)}: {clean_reason(reason)}{SEPARATOR}{original}"


def parse(content: str) -> Marker | None:
    """The marker in one line's content (no terminator), or None if it is not ours."""
    if not content.startswith(PREFIX):
        return None
    match = _MARKER.match(content)
    if match is None:
        return None
    return Marker(*match.groups())

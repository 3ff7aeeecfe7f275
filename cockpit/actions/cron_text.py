"""Disarm and re-arm one job line in a crontab's text, leaving every other byte alone.

python-crontab decides what a line *is* (an enabled, valid job in the 5-field user format
or the 6-field system format) exactly as the reboots parser does; but its `render()`
rewrites the whole table (it moves environment lines, drops blank lines and odd spacing),
so the splice is done here, line by line: the file is split on "\\n" only (as cron reads
it), each line keeps its own terminator and trailing carriage returns, and only the one
line's content changes. Text is str decoded with `surrogateescape` (see `decode`), so a
file that is not UTF-8 round-trips byte for byte too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from crontab import CronItem, CronTab

from cockpit.actions import marker

logging.getLogger("crontab").setLevel(logging.CRITICAL)

_SYSTEM_TAB = CronTab(user=False, tab="")
_USER_TAB = CronTab(user=None, tab="")


class EditError(Exception):
    """The edit cannot be made on this text (the line is gone, or not a job any more)."""


@dataclass(frozen=True)
class Line:
    """One line as cron reads it: content, trailing CRs, and "\\n" (or "" at EOF)."""

    content: str
    cr: str
    end: str

    @property
    def text(self) -> str:
        return self.content + self.cr + self.end


@dataclass(frozen=True)
class Edit:
    """The new text, and the one line that changed (without terminators), for display."""

    text: str
    index: int  # 0-based line number
    before: str
    after: str


def decode(data: bytes) -> str:
    """Bytes -> str that encodes back to the same bytes (undecodable bytes kept)."""
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def split(text: str) -> list[Line]:
    """Lines as cron reads them; "".join(l.text for l in split(t)) == t always."""
    out: list[Line] = []
    parts = text.split("\n")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if last and part == "":
            break
        body = part.rstrip("\r")
        out.append(Line(body, part[len(body) :], "" if last else "\n"))
    return out


def join(lines: list[Line]) -> str:
    return "".join(line.text for line in lines)


def is_job(content: str, system: bool) -> bool:
    """True for an enabled, valid cron job line (python-crontab's reading, @words too)."""
    stripped = content.strip()
    if not stripped or stripped.startswith("#"):
        return False
    try:
        item = CronItem.from_line(stripped, cron=_SYSTEM_TAB if system else _USER_TAB)
    except Exception:
        return False
    return bool(item.is_valid() and item.is_enabled() and item.command)


def _find(lines: list[Line], want: str, occurrence: int, pick: str) -> int:
    """Index of the `occurrence`-th line whose content (CRs aside) is `want`."""
    seen = -1
    for i, line in enumerate(lines):
        if line.content == want:
            seen += 1
            if seen == occurrence:
                return i
    found = "no line" if seen < 0 else f"only {seen + 1} such line(s)"
    raise EditError(f"{pick} not found ({found}): {want!r}")


def disarm(
    text: str,
    line: str,
    at: datetime,
    user: str,
    reason: str,
    system: bool,
    occurrence: int = 0,
    check_job: bool = True,
) -> Edit:
    """Comment out the `occurrence`-th job line equal to `line` with a cockpit marker.

    `check_job=False` is for anacrontab, whose lines python-crontab does not read.
    """
    lines = split(text)
    want = line.rstrip("\r")
    i = _find(lines, want, occurrence, "job line")
    if check_job and not is_job(lines[i].content, system):
        raise EditError(f"line {i + 1} is not an active cron job any more: {want!r}")
    old = lines[i]
    new = marker.make(old.content, at, user, reason)
    lines[i] = Line(new, old.cr, old.end)
    return Edit(join(lines), i, old.content, new)


def disarmed(text: str) -> list[tuple[int, marker.Marker]]:
    """(line index, marker) of every line cockpit disarmed in this text."""
    out: list[tuple[int, marker.Marker]] = []
    for i, line in enumerate(split(text)):
        found = marker.parse(line.content)
        if found is not None:
            out.append((i, found))
    return out


def rearm(text: str, marker_line: str, occurrence: int = 0) -> Edit:
    """Put back the original line of the `occurrence`-th marker line equal to `marker_line`."""
    lines = split(text)
    i = _find(lines, marker_line.rstrip("\r"), occurrence, "disarmed line")
    old = lines[i]
    found = marker.parse(old.content)
    if found is None:
        raise EditError(f"line {i + 1} is not a cockpit marker: {old.content!r}")
    lines[i] = Line(found.original, old.cr, old.end)
    return Edit(join(lines), i, old.content, found.original)

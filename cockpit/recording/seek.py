"""Finding lines in a recording by byte offset, without reading the whole file.

A 24-hour recording of 50 hosts is ~860k lines and hundreds of MB. Every event line
starts `{"t":...,"e":...,"h":...` (format.py), so a line's time, kind and host come from
its first bytes: a seek is a binary search on byte offsets (lines are in time order, the
writer keeps "t" from going backwards), then a scan back to each host's last keyframe.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from cockpit.recording.format import parse_time

_STR = rb'"(?:[^"\\]|\\.)*"'
_HEAD = re.compile(
    rb'\{"t":(' + _STR + rb'),"e":(' + _STR + rb'),"h":(null|' + _STR + rb")"
    rb'(?:,"k":(true|false))?'
)
_WINDOW = 1 << 16
_CHUNK = 1 << 20


@dataclass(frozen=True)
class LineHead:
    """What the first bytes of an event line say: enough to seek without parsing it."""

    t: datetime
    e: str
    h: str | None
    k: bool  # a keyframe (snapshot events only)


def line_head(line: bytes) -> LineHead | None:
    """The head of an event line, or None when it is not one (corrupt, cut, foreign)."""
    m = _HEAD.match(line)
    try:
        if m is not None:
            t, e, h, k = m.groups()
            host = json.loads(h)
            return LineHead(parse_time(json.loads(t)), json.loads(e), host, k == b"true")
        # Another writer's spacing or key order: the slow way, still correct.
        obj = json.loads(line)
    except ValueError:
        return None
    if not isinstance(obj, dict) or not isinstance(obj.get("e"), str):
        return None
    host = obj.get("h")
    try:
        t = parse_time(obj.get("t"))
    except ValueError:
        return None
    return LineHead(t, obj["e"], host if isinstance(host, str) else None, obj.get("k") is True)


class Lines:
    """The event lines of one open file between `start` (after the header) and `end`
    (after the last newline seen when the recording was opened)."""

    def __init__(self, f: BinaryIO, start: int, end: int) -> None:
        self.f = f
        self.start = start
        self.end = end

    def forward(self, offset: int) -> Iterator[tuple[int, bytes]]:
        """(offset, line without its newline) from the line starting at `offset`."""
        f = self.f
        f.seek(offset)
        pos = offset
        while pos < self.end:
            line = f.readline(self.end - pos)
            if not line:
                return
            start, pos = pos, pos + len(line)
            yield start, line.rstrip(b"\n")

    def backward(self, offset: int) -> Iterator[tuple[int, bytes]]:
        """(offset, line) for the lines before the line boundary `offset`, newest first."""
        f = self.f
        pos = offset
        carry = b""  # the start of a line whose beginning is in an earlier chunk
        while pos > self.start:
            size = min(_CHUNK, pos - self.start)
            pos -= size
            f.seek(pos)
            block = f.read(size) + carry
            # Every line in [start, offset) ends with a newline: drop the last one.
            if block.endswith(b"\n"):
                block = block[:-1]
            parts = block.split(b"\n")
            carry = parts[0] + b"\n"
            starts = [pos]
            for part in parts[:-1]:
                starts.append(starts[-1] + len(part) + 1)
            for i in range(len(parts) - 1, 0, -1):
                yield starts[i], parts[i]
        if carry != b"\n" and offset > self.start:
            yield self.start, carry[:-1]

    def line_start(self, pos: int) -> int:
        """The start of the line that holds byte `pos`."""
        f = self.f
        high = pos
        while high > self.start:
            low = max(self.start, high - _WINDOW)
            f.seek(low)
            block = f.read(high - low)
            cut = block.rfind(b"\n")
            if cut >= 0:
                return low + cut + 1
            high = low
        return self.start

    def bisect(self, past: Callable[[datetime], bool]) -> int:
        """The offset of the first line whose time is `past` the target (or `end`):
        lines before it are all before it. Lines without a readable head are decided by
        the next line that has one."""
        lo, hi = self.start, self.end
        while lo < hi:
            s = self.line_start((lo + hi) // 2)
            decided = False
            for start, line in self.forward(s):
                if start >= hi:
                    break
                head = line_head(line)
                if head is None:
                    continue
                if past(head.t):
                    hi = s
                else:
                    lo = start + len(line) + 1
                decided = True
                break
            if not decided:
                hi = s
        return lo

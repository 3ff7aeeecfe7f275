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

from cockpit.recording.format import MAX_LINE_BYTES, loads, parse_time

_STR = rb'"(?:[^"\\]|\\.)*"'
_HEAD = re.compile(
    rb'\{"t":(' + _STR + rb'),"e":(' + _STR + rb'),"h":(null|' + _STR + rb")"
    rb'(?:,"k":(true|false))?'
)
_WINDOW = 1 << 16
_CHUNK = 1 << 20
#: What is kept of a line longer than MAX_LINE_BYTES: enough for its head (time, kind,
#: host), so seeking still works past it.
_KEPT = 1 << 12


class Overlong(bytes):
    """The first bytes of a line longer than MAX_LINE_BYTES, which is never held whole:
    readers skip it and say so (`size` is its full length)."""

    size: int

    def __new__(cls, head: bytes, size: int) -> Overlong:
        self = super().__new__(cls, head[:_KEPT])
        self.size = size
        return self


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
        if isinstance(line, Overlong):
            return None
        # Another writer's spacing or key order: the slow way, still correct.
        obj = loads(line)
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
        """(offset, line without its newline) from the line starting at `offset`; a line
        longer than MAX_LINE_BYTES comes as an `Overlong` (its head), read past in chunks."""
        f = self.f
        f.seek(offset)
        pos = offset
        while pos < self.end:
            line = f.readline(min(self.end - pos, MAX_LINE_BYTES + 1))
            if not line:
                return
            start, pos = pos, pos + len(line)
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                rest, newline = self._skip_line(pos)
                pos += rest + newline
                yield start, Overlong(line, len(line) + rest)
                continue
            yield start, line.rstrip(b"\n")

    def _skip_line(self, pos: int) -> tuple[int, int]:
        """Read past the rest of a line from `pos` (a chunk at a time, nothing kept):
        its length, and 1 if a newline ended it (0 at the end of the data)."""
        f = self.f
        skipped = 0
        while pos + skipped < self.end:
            chunk = f.read(min(_CHUNK, self.end - pos - skipped))
            if not chunk:
                break
            cut = chunk.find(b"\n")
            if cut >= 0:
                f.seek(pos + skipped + cut + 1)
                return skipped + cut, 1
            skipped += len(chunk)
        return skipped, 0

    def backward(self, offset: int) -> Iterator[tuple[int, bytes]]:
        """(offset, line) for the lines before the line boundary `offset`, newest first;
        a line longer than MAX_LINE_BYTES comes as an `Overlong`."""
        f = self.f
        pos = offset
        # The part of a line whose beginning is in an earlier chunk: whole while the line
        # is within the limit, else only its first bytes (a prefix stays contiguous).
        carry = b""
        carried = 0  # that part's real length
        while pos > self.start:
            size = min(_CHUNK, pos - self.start)
            pos -= size
            f.seek(pos)
            block = f.read(size)
            if pos + size == offset:
                block = block.removesuffix(b"\n")  # `offset` is the end of a line
            parts = block.split(b"\n")
            if len(parts) == 1:  # all of this chunk is inside one line
                carried += len(block)
                carry = block + carry
                if carried > MAX_LINE_BYTES:
                    carry = carry[:_CHUNK]
                continue
            starts = [pos]
            for part in parts[:-1]:
                starts.append(starts[-1] + len(part) + 1)
            yield starts[-1], self._line(parts[-1] + carry, len(parts[-1]) + carried)
            for i in range(len(parts) - 2, 0, -1):
                yield starts[i], parts[i]
            carry, carried = parts[0], len(parts[0])
        if offset > self.start and carried:
            yield self.start, self._line(carry, carried)

    @staticmethod
    def _line(data: bytes, size: int) -> bytes:
        """`data` (a whole line), or its head as an `Overlong` past the limit."""
        return Overlong(data, size) if size > MAX_LINE_BYTES else data

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

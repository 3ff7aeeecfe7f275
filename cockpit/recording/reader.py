"""Reading a recording: open lazily, iterate typed events, ask what was known at a time.

Opening reads the header and the tail only, so a day-long fleet recording opens at once;
`events(start)` and `state_at(t)` binary-search the file by time and scan back to each
host's last keyframe (seek.py). What cannot be trusted (a cut last line, a corrupt line,
a delta whose base was lost) is skipped and listed in `issues`, never guessed at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from cockpit.input_files import InputFileError, open_regular
from cockpit.recording.events import ErrorEvent, Event, SnapshotEvent
from cockpit.recording.format import (
    ERROR,
    MAX_LINE_BYTES,
    SNAPSHOT,
    Header,
    RecordedHost,
    RecordingError,
    loads,
    parse_header,
)
from cockpit.recording.rebuild import Rebuilder
from cockpit.recording.seek import Lines, line_head

HostEvent = SnapshotEvent | ErrorEvent
_HEADER_MAX = 16 << 20


class Recording:
    """An open recording. Holds no file open between calls: each `events()` iterator
    has its own handle, so a screen may run several (timeline, report) at once."""

    def __init__(self, path: Path, header: Header, data_start: int, data_end: int) -> None:
        self.path = path
        self.header = header
        self._start = data_start
        self._end = data_end
        self._issues: dict[int, str] = {}
        self.end: datetime = header.started

    @property
    def hosts(self) -> tuple[RecordedHost, ...]:
        return self.header.hosts

    @property
    def start(self) -> datetime:
        return self.header.started

    @property
    def issues(self) -> tuple[str, ...]:
        """What was skipped so far, in file order. Opening finds a cut last line; lines
        in the middle are found (and added here) as events are read."""
        return tuple(self._issues[k] for k in sorted(self._issues))

    def events(self, start: datetime | None = None) -> Iterator[Event]:
        """Every event in file order, from the first one at or after `start`; snapshot
        events carry full snapshots (the deltas before `start` are resolved)."""
        with self._open() as f:
            lines = Lines(f, self._start, self._end)
            rebuilder = Rebuilder(self._report)
            if start is None:
                offset, line_no = self._start, 2
            else:
                offset, line_no = lines.bisect(lambda t: t >= start), 0
                self._prime(lines, rebuilder, offset)
            for at, line in lines.forward(offset):
                where = f"line {line_no}" if line_no else f"byte {at}"
                event = rebuilder.feed(at, line, where)
                if line_no:
                    line_no += 1
                if event is not None:
                    yield event

    def state_at(self, t: datetime) -> dict[str, HostEvent]:
        """The last snapshot (full) or error of each host at time `t`, inclusive. A host
        with nothing recorded by then is absent from the dict: unknown."""
        with self._open() as f:
            lines = Lines(f, self._start, self._end)
            offset = lines.bisect(lambda x: x > t)
            return self._prime(lines, Rebuilder(self._report), offset)

    # -- internals ----------------------------------------------------------------

    def _prime(self, lines: Lines, rebuilder: Rebuilder, offset: int) -> dict[str, HostEvent]:
        """Scan back from `offset` to each host's last keyframe (or error), feed those
        lines to `rebuilder` oldest first; return each host's last event."""
        wanted = {h.name for h in self.header.hosts}
        chains: dict[str, list[tuple[int, bytes]]] = {}
        done: set[str] = set()
        for at, line in lines.backward(offset):
            head = line_head(line)
            if head is None or head.h is None or head.h in done:
                continue
            if head.e not in (SNAPSHOT, ERROR):
                continue
            chains.setdefault(head.h, []).append((at, line))
            if head.e == ERROR or head.k:
                done.add(head.h)
                if wanted <= done and done.issuperset(chains):
                    break
        last: dict[str, HostEvent] = {}
        for host, chain in chains.items():
            for at, line in reversed(chain):
                event = rebuilder.feed(at, line, f"byte {at}")
                if isinstance(event, (SnapshotEvent, ErrorEvent)):
                    last[host] = event
        return last

    def _report(self, offset: int, message: str) -> None:
        # The same line may be met by a seek (byte offset) and by a full read (line
        # number): keep one entry, preferring the line number.
        if offset not in self._issues or message.startswith("line "):
            self._issues[offset] = message

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """(offset, line) of every event line in file order, heads only past the limit
        (see seek.Lines): for scans that need no snapshot decoded."""
        with self._open() as f:
            yield from Lines(f, self._start, self._end).forward(self._start)

    def _open(self) -> BinaryIO:
        try:
            return open_regular(self.path)  # closed by the caller's with
        except InputFileError as exc:
            raise RecordingError(f"{self.path}: cannot read it any more ({exc.reason})") from None


def open_recording(path: Path | str) -> Recording:
    """Read the header and the tail; RecordingError with what to do if it is not one."""
    p = Path(path)
    try:
        f = open_regular(p)  # a FIFO or a device is refused, never opened to block
    except InputFileError as exc:
        if exc.kind is not None:
            raise RecordingError(f"{p} is {exc.kind}, not a recording") from None
        raise RecordingError(str(exc)) from None
    with f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise RecordingError(
                f"{p} is empty: nothing was recorded (the session stopped before its "
                "first line was written); there is nothing to replay"
            )
        first = f.readline(_HEADER_MAX)
        header = parse_header(first.rstrip(b"\n"), str(p))
        data_start = len(first)
        data_end, cut = _complete_end(f, data_start, size)
        recording = Recording(p, header, data_start, data_end)
        if cut:
            recording._report(
                data_end,
                f"the last line (byte {data_end}, {cut} bytes) is cut off: the recording "
                "was interrupted while writing it; skipped",
            )
        for _, line in Lines(f, data_start, data_end).backward(data_end):
            head = line_head(line)
            if head is not None:
                recording.end = max(head.t, header.started)
                break
    return recording


def _complete_end(f: BinaryIO, data_start: int, size: int) -> tuple[int, int]:
    """Where the complete lines end, and how many bytes of a cut last line follow."""
    if size <= data_start:
        return data_start, 0
    f.seek(size - 1)
    if f.read(1) == b"\n":
        return size, 0
    cut_at = Lines(f, data_start, size).line_start(size)
    if size - cut_at > MAX_LINE_BYTES:
        return cut_at, size - cut_at  # too long to be a line: cut, and never read whole
    f.seek(cut_at)
    tail = f.read(size - cut_at)
    try:
        loads(tail)
    except ValueError:
        return cut_at, size - cut_at
    return size, 0  # a whole line that only lacks its newline (an editor's doing)

"""A replay cursor: where in a recording the screen is, and how it moves.

Pure and clock-free: it never reads the time. The replay source calls `advance(real_s)`
with the real seconds that passed, and the cursor moves the recorded clock by
`real_s * speed` and hands back the events it crossed. Jumps (to a time, a step back,
the next verdict change) hand back each host's last event at the new position, from
the reader's keyframe seek, so a jump costs the same wherever it lands.

Judging is the live path's: each recorded snapshot goes back through the replay
transport (collector framing and splitting), then `judge_snapshot` with one ParseMemo
per host, exactly as a live refresh loop judges.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from cockpit.budget import within_budget
from cockpit.engine import judge_snapshot
from cockpit.parsers import ParseMemo
from cockpit.recording.events import ErrorEvent, Event, SnapshotEvent
from cockpit.recording.format import SNAPSHOT, RecordingError
from cockpit.recording.reader import HostEvent, Recording
from cockpit.recording.replayed import replayed_snapshot
from cockpit.recording.seek import Overlong, line_head
from cockpit.state import HostState
from cockpit.words import Mode

#: The speeds + and - step through (DESIGN: 1x to 1000x).
SPEEDS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1000.0)
MIN_SPEED, MAX_SPEED = SPEEDS[0], SPEEDS[-1]
#: How far `next_verdict_change` reads before it gives up (and says so): ~8 ms an event
#: (re-frame + judge), so ~25 s at worst on a loaded box; a day of 50
#: hosts at 5 s is ~860k events; judging them all would freeze the screen for minutes.
SCAN_LIMIT = 3_000
#: step_prev looks back through growing windows so a dense recording reads little.
_BACK_WINDOWS = (
    timedelta(minutes=1),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)


@dataclass(frozen=True)
class Judged:
    """A host's state from a recorded event, and the client time its data was taken
    (`taken_at`: the host's clock ticks on from there on the recorded clock)."""

    host: str
    state: HostState
    taken_at: datetime | None


@dataclass(frozen=True)
class VerdictChange:
    t: datetime
    host: str
    before: str  # the host's verdict just before (unknown if never read)
    after: str


@dataclass(frozen=True)
class ScanResult:
    """What `next_verdict_change` found: a change, or why it stopped without one."""

    change: VerdictChange | None
    scanned: int  # events read
    reason: str  # found | end | limit


class Judge:
    """Judges recorded host events as live did: one ParseMemo per host."""

    def __init__(self, recording: Recording) -> None:
        self._modes = {h.name: h.mode for h in recording.hosts}
        self._memos: dict[str, ParseMemo] = {}

    def __call__(self, event: HostEvent) -> Judged:
        if isinstance(event, ErrorEvent):
            mode = self._modes.get(event.host, Mode.LIVE)
            failed = HostState.failed(event.host, mode, event.category, event.message)
            return Judged(event.host, failed, None)
        memo = self._memos.setdefault(event.host, ParseMemo())
        snapshot = within_budget(replayed_snapshot(event))  # as live judged it
        return Judged(event.host, judge_snapshot(snapshot, memo=memo), snapshot.started)


class ReplayCursor:
    """Position, play state and speed over one open Recording."""

    def __init__(
        self, recording: Recording, *, start: datetime | None = None, speed: float = 1.0
    ) -> None:
        self.recording = recording
        self.position = self._clamp(start or recording.start)
        self.playing = False
        self.speed = min(max(speed, MIN_SPEED), MAX_SPEED)
        self._stream: Iterator[Event] | None = None
        self._peeked: Event | None = None

    # -- bounds and play state -----------------------------------------------------

    @property
    def start(self) -> datetime:
        return self.recording.start

    @property
    def end(self) -> datetime:
        return self.recording.end

    @property
    def at_end(self) -> bool:
        return self.position >= self.end

    def _clamp(self, t: datetime) -> datetime:
        return min(max(t, self.recording.start), self.recording.end)

    def toggle(self) -> bool:
        """Play or pause; playing at the end starts again from the start."""
        if not self.playing and self.at_end:
            return self.playing
        self.playing = not self.playing
        return self.playing

    def faster(self) -> float:
        self.speed = next((s for s in SPEEDS if s > self.speed), MAX_SPEED)
        return self.speed

    def slower(self) -> float:
        self.speed = next((s for s in reversed(SPEEDS) if s < self.speed), MIN_SPEED)
        return self.speed

    # -- moving forward: the events crossed ---------------------------------------

    def _next_event(self) -> Event | None:
        """The first event strictly after the position (kept until consumed)."""
        if self._peeked is not None:
            return self._peeked
        if self._stream is None:
            self._stream = self.recording.events(start=self.position)
        for event in self._stream:
            if event.t > self.position:
                self._peeked = event
                return event
        return None

    def _take(self) -> Event:
        event = self._peeked
        assert event is not None
        self._peeked = None
        return event

    def advance(self, real_s: float) -> list[Event]:
        """Playing: move the recorded clock by `real_s * speed`; the events crossed, in
        order. Stops (pauses) at the end of the recording."""
        if not self.playing or real_s <= 0:
            return []
        target = self._clamp(self.position + timedelta(seconds=real_s * self.speed))
        crossed: list[Event] = []
        while (event := self._next_event()) is not None and event.t <= target:
            crossed.append(self._take())
        self.position = target
        if self.at_end:
            self.playing = False
        return crossed

    def step_next(self) -> list[Event]:
        """To the next event's time; every event at that time (a refresh of several
        hosts shares one time only by chance, but a keyframe burst may)."""
        first = self._next_event()
        if first is None:
            self.position = self.end
            return []
        crossed = [self._take()]
        self.position = first.t
        while (event := self._next_event()) is not None and event.t <= first.t:
            crossed.append(self._take())
        return crossed

    # -- jumps: each host's last event at the new position ------------------------

    def jump(self, t: datetime) -> dict[str, HostEvent]:
        self.position = self._clamp(t)
        self._stream, self._peeked = None, None
        return self.recording.state_at(self.position)

    def state(self) -> dict[str, HostEvent]:
        """Each host's last event at the position (what the screen shows now)."""
        return self.recording.state_at(self.position)

    def step_prev(self) -> dict[str, HostEvent]:
        """To the latest event before the position (bounded look-back windows)."""
        for window in (*_BACK_WINDOWS, None):
            since = self.start if window is None else max(self.start, self.position - window)
            last: datetime | None = None
            for event in self.recording.events(start=since):
                if event.t >= self.position:
                    break
                last = event.t
            if last is not None:
                return self.jump(last)
            if since <= self.start:
                break
        return self.jump(self.start)

    def next_verdict_change(self, limit: int = SCAN_LIMIT) -> ScanResult:
        """Read forward judging snapshots until some host's verdict differs from what
        it was at the position; jump there. At most `limit` events are read."""
        judge = Judge(self.recording)
        verdicts = {h.name: "unknown" for h in self.recording.hosts}
        for name, last in self.state().items():
            verdicts[name] = judge(last).state.verdict
        scanned = 0
        for event in self.recording.events(start=self.position):
            if event.t <= self.position or not isinstance(event, (SnapshotEvent, ErrorEvent)):
                continue
            scanned += 1
            host = event.host
            after = judge(event).state.verdict
            before = verdicts.get(host, "unknown")
            if after != before:
                self.jump(event.t)
                found = VerdictChange(event.t, host, before, after)
                return ScanResult(found, scanned, "found")
            verdicts[host] = after
            if scanned >= limit:
                return ScanResult(None, scanned, "limit")
        return ScanResult(None, scanned, "end")


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_jump(text: str, position: datetime, zone: tzinfo | None = None) -> datetime | None:
    """A time to jump to, as an admin types it; None if it is not one.

    `+10m`, `-1h`, `+90s` move from the position; `21:30` or `21:30:15` is the first such
    wall time at or after the position (tomorrow's if today's has passed), in `zone`
    (the zone the screen shows times in; default the position's own); a full ISO-8601
    time is taken as is (a naive one in that zone).
    """
    text = text.strip()
    if len(text) >= 2 and text[0] in "+-" and text[-1] in _UNITS:
        try:
            amount = float(text[1:-1])
        except ValueError:
            return None
        seconds = amount * _UNITS[text[-1]] * (1 if text[0] == "+" else -1)
        return position + timedelta(seconds=seconds)
    zone = zone or position.tzinfo
    parts = text.split(":")
    if 2 <= len(parts) <= 3 and all(p.isdigit() for p in parts):
        h, m, s = (int(p) for p in (*parts, "0")[:3])
        if h > 23 or m > 59 or s > 59:
            return None
        here = position.astimezone(zone)
        for days in range(3):  # today's, else tomorrow's (a DST gap may skip one)
            day = (here + timedelta(days=days)).date()
            wall = datetime(day.year, day.month, day.day, h, m, s, tzinfo=zone)
            if wall.timestamp() >= position.timestamp():
                return wall
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def jump_target(
    text: str, position: datetime, start: datetime, end: datetime, zone: tzinfo | None = None
) -> tuple[datetime | None, str]:
    """(target, "") or (None, why): a jump lands inside the recording or not at all."""
    target = parse_jump(text, position, zone)
    if target is None:
        return None, f"not a time: {text.strip()[:40]!r} (21:30, +10m, -1h or ISO-8601)"
    shown = zone or position.tzinfo
    if not start <= target <= end:
        span = (
            f"{start.astimezone(shown):%Y-%m-%d %H:%M:%S %Z} to "
            f"{end.astimezone(shown):%Y-%m-%d %H:%M:%S %Z}".replace("  ", " ")
        )
        return (
            None,
            f"{target.astimezone(shown):%Y-%m-%d %H:%M:%S %Z} is outside the recording ({span})",
        )
    return target, ""


@dataclass(frozen=True)
class Mark:
    """An event worth a mark on the timeline: anything but a routine snapshot."""

    t: datetime
    kind: str  # error | note | quit-refused | quit-override | session-lost | action
    host: str | None


def _whole(line: bytes) -> bool:
    """Does the line end where a JSON object ends? A line cut after its head (a crash
    mid-write, a truncated copy) does not; an overlong line keeps only its head on purpose."""
    return isinstance(line, Overlong) or line.rstrip().endswith(b"}")


def event_marks(recording: Recording, limit: int = 10_000) -> list[Mark]:
    """The recording's non-snapshot events, from each line's head only (no snapshot is
    decoded: only its head is matched, so a day-long file is scanned at disk speed); at
    most `limit` marks. A line that is not an event (corrupt) is a `damaged` mark at the
    last good line's time, so damage is known (and said) before replay reaches it."""
    marks: list[Mark] = []
    last_t = recording.start
    try:
        for _, line in recording.lines():
            head = line_head(line)
            if head is None or not _whole(line):
                if line.strip():
                    marks.append(Mark(last_t, "damaged", None))
                continue
            last_t = head.t
            if head.e == SNAPSHOT:
                continue
            marks.append(Mark(head.t, head.e, head.h))
            if len(marks) >= limit:
                break
    except (OSError, RecordingError):
        pass  # the file went away: the bar shows no marks, replay goes on from memory
    return marks

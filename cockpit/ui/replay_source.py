"""Replay in the app: a source that plays a recording into the same screens as live.

`ReplaySource` stands where the live refresh workers stand: it posts the same
`HostUpdated` / `HostPhase` messages, with states judged from the recorded snapshots by
the live path (cursor.Judge), and its `clock()` is the recorded clock, so the screens'
countdowns tick as they did that night. `ReplayApp` (replay_app.py) is CockpitApp with
the timeline's keys and bar.

Besides the hosts' states it knows the session's story: the marks on the bar (notes,
the quit guard, actions, errors, damaged lines, reboots that fired), which `]` / `[`
walk, and, from the post-mortem's own timeline (the report's logic, run once in a
thread), when an armed reboot fired and each host's reboot watch at the cursor: the
screens show it as live did.

Reading and judging run in a thread (`asyncio.to_thread`), one step at a time under a
lock: a 1000x burst or a long verdict-change scan never freezes the keys.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from cockpit.hostspec import HostSpec
from cockpit.recording.cursor import Judge, Judged, Mark, ReplayCursor, event_marks
from cockpit.recording.events import (
    ActionEvent,
    ErrorEvent,
    Event,
    GuardEvent,
    NoteEvent,
    SnapshotEvent,
)
from cockpit.recording.reader import HostEvent, Recording
from cockpit.state import HostState
from cockpit.ui.messages import HostPhase, HostUpdated
from cockpit.ui.replay_events import ReplayStory, story_of
from cockpit.ui.timeline_bar import TimelineView

#: Real seconds between play steps: smooth enough to watch, cheap at 1000x.
TICK_S = 0.25
#: Real seconds a status message stays on the bar's second line.
STATUS_S = 8.0
KINDS = ("local", "offline", "ssh")


def replay_specs(recording: Recording) -> list[HostSpec]:
    """The recorded hosts as the app's book wants them (how they were reached)."""
    return [
        HostSpec(
            name=h.name,
            kind=h.kind if h.kind in KINDS else "local",
            root=h.root or "/",
            address=h.address,
        )
        for h in recording.hosts
    ]


_GUARD = {
    "quit-refused": "quit refused",
    "quit-override": "left on the record",
    "session-lost": "session lost",
}


def describe(event: Event) -> str | None:
    """A session event in words for the bar, with its time (host snapshots say nothing
    here): the admin's own words first, so a cut line still says what happened."""
    at = event.t.strftime("%H:%M:%S")
    if isinstance(event, NoteEvent):
        about = f" ({event.host})" if event.host else ""
        return f"{at} note{about}: {event.text}"
    if isinstance(event, GuardEvent):
        hosts = ", ".join(f"{h.name} {h.verdict.upper()}" for h in event.hosts) or "?"
        typed = f", typed {event.typed!r}" if event.typed else ""
        return f"{at} {_GUARD.get(event.kind, event.kind)} (via {event.via}{typed}): {hosts}"
    if isinstance(event, ActionEvent):
        return f"{at} action {event.kind} on {event.host}: {'ok' if event.ok else 'failed'}"
    if isinstance(event, ErrorEvent):
        return f"{at} {event.host}: {event.category}: {event.message}"
    return None


class ReplaySource:
    """Plays a recording: the app's UpdateSource (run) and clock (clock)."""

    def __init__(
        self,
        recording: Recording,
        *,
        start: datetime | None = None,
        speed: float = 1.0,
        play: bool = False,
    ) -> None:
        self.recording = recording
        self.cursor = ReplayCursor(recording, start=start, speed=speed)
        self._first_event = start is None
        self._judge = Judge(recording)
        self._modes = {h.name: h.mode for h in recording.hosts}
        self._autoplay = play
        self._lock = asyncio.Lock()
        self._post: Callable[[Any], object] | None = None
        self.marks: tuple[Mark, ...] = ()
        self.story = ReplayStory()
        self._status = ("", 0.0)
        self._warned = False
        #: The app sets these: redraw its timeline bars; warn about damage, once.
        self.on_view: Callable[[TimelineView], None] = lambda view: None
        self.on_damage: Callable[[str], None] = lambda text: None

    @property
    def status(self) -> str:
        """The last thing worth saying, while it is fresh (messages expire)."""
        text, said = self._status
        return text if text and time.monotonic() - said < STATUS_S else ""

    @status.setter
    def status(self, text: str) -> None:
        self._status = (text, time.monotonic())

    def clock(self) -> datetime:
        """The app's clock during replay: the recorded client time at the position."""
        return self.cursor.position

    def view(self) -> TimelineView:
        c = self.cursor
        damaged = sum(1 for m in self.marks if m.kind == "damaged")
        return TimelineView(
            c.position, c.start, c.end, c.speed, c.playing, self.marks, self.status,
            self.recording.issues, damaged,
        )  # fmt: skip

    def _publish(self) -> None:
        self.on_view(self.view())

    # -- the app's UpdateSource ------------------------------------------------------

    async def run(self, post: Callable[[Any], object]) -> None:
        self._post = post
        async with self._lock:
            if self._first_event:
                await asyncio.to_thread(self.cursor.step_next)
            await self._show_state(await asyncio.to_thread(self.cursor.state))
        self.cursor.playing = self._autoplay and not self.cursor.at_end
        self._publish()
        self.marks = tuple(await asyncio.to_thread(event_marks, self.recording))
        self._warn_damage()
        self._publish()
        self.story = await asyncio.to_thread(story_of, self.recording)
        self.marks = tuple(sorted((*self.marks, *self.story.marks), key=lambda m: m.t))
        self._warn_damage()  # reading the whole story may have found more
        if self.story.scanned:  # the hosts as shown again, now with their reboot watches
            async with self._lock:
                await self._show_state(await asyncio.to_thread(self.cursor.state))
        self._publish()
        last = time.monotonic()
        while True:
            await asyncio.sleep(TICK_S)
            now = time.monotonic()
            elapsed, last = now - last, now
            if self.cursor.playing and not self._lock.locked():
                async with self._lock:
                    crossed = await asyncio.to_thread(self.cursor.advance, elapsed)
                    await self._show_events(crossed)
            self._publish()

    def _warn_damage(self) -> None:
        """Said up front, before replay reaches the gap: what the file could not tell
        (once; the bar's second line keeps saying it while nothing else is said)."""
        damaged = sum(1 for m in self.marks if m.kind == "damaged")
        issues = self.recording.issues
        if (damaged or issues) and not self._warned:
            self._warned = True
            first = issues[0] if issues else f"{damaged} line(s) are not readable events"
            self.on_damage(
                f"recording damaged: {max(damaged, len(issues))} line(s) skipped, "
                f"marked # on the bar; first: {first}"
            )

    # -- what the keys do ------------------------------------------------------------

    def toggle(self) -> None:
        self.cursor.toggle()
        self._publish()

    def faster(self) -> None:
        self.cursor.faster()
        self._publish()

    def slower(self) -> None:
        self.cursor.slower()
        self._publish()

    async def step_next(self) -> None:
        async with self._lock:
            self.cursor.playing = False
            await self._show_events(await asyncio.to_thread(self.cursor.step_next))
        self._publish()

    async def step_prev(self) -> None:
        async with self._lock:
            self.cursor.playing = False
            await self._show_state(await asyncio.to_thread(self.cursor.step_prev))
        self._publish()

    async def jump(self, t: datetime, said: str | None = None) -> None:
        async with self._lock:
            self.cursor.playing = False
            await self._show_state(await asyncio.to_thread(self.cursor.jump, t))
        self.status = said or f"jumped to {t.strftime('%Y-%m-%d %H:%M:%S %Z')}"
        self._publish()

    def key_marks(self) -> list[Mark]:
        """The marks `]` / `[` stop at: a run of failed refreshes of one host is one stop
        (its first), every other mark is its own."""
        out: list[Mark] = []
        failing: set[str | None] = set()
        for mark in self.marks:
            if mark.kind == "error":
                if mark.host in failing:
                    continue
                failing.add(mark.host)
            elif mark.host is not None:
                failing.discard(mark.host)
            out.append(mark)
        return out

    async def next_mark(self, forward: bool = True) -> str:
        """`]` (forward) / `[`: jump to the next / previous marked event and say it."""
        here = self.cursor.position
        stops = self.key_marks()
        if forward:
            found = next((m for m in stops if m.t > here), None)
        else:
            found = next((m for m in reversed(stops) if m.t < here), None)
        if found is None:
            self.status = f"no marked event {'after' if forward else 'before'} the cursor"
            self._publish()
            return self.status
        said = await asyncio.to_thread(self._event_words, found)
        await self.jump(found.t, said or self.story.mark_words(found))
        return self.status

    def _event_words(self, mark: Mark) -> str | None:
        """The marked event itself, described (who, which verdicts, what was typed)."""
        if mark.kind in ("reboot-fired", "damaged"):
            return None
        for event in self.recording.events(start=mark.t):
            if event.t > mark.t:
                break
            if event.t == mark.t and not isinstance(event, SnapshotEvent):
                return describe(event)
        return None

    async def next_verdict_change(self) -> str:
        """Scan forward (paused) to the next verdict change; returns what it found."""
        async with self._lock:
            self.cursor.playing = False
            self.status = "scanning for the next verdict change…"
            self._publish()
            result = await asyncio.to_thread(self.cursor.next_verdict_change)
            if result.change is not None:
                await self._show_state(await asyncio.to_thread(self.cursor.state))
                c = result.change
                self.status = f"{c.host}: {c.before.upper()}→{c.after.upper()}"
            elif result.reason == "end":
                self.status = "no verdict changes before the end of the recording"
            else:
                self.status = f"no verdict change in the next {result.scanned} events"
        self._publish()
        return self.status

    # -- into the app ----------------------------------------------------------------

    def _send(self, judged: Iterable[Judged]) -> None:
        post = self._post
        if post is None:
            return
        at = self.cursor.position
        for j in judged:
            post(HostUpdated(j.host, j.state, j.taken_at, self.story.watch_at(j.host, at)))
            post(HostPhase(j.host, "error" if j.state.error else "ok"))

    async def _show_state(self, state: dict[str, HostEvent]) -> None:
        """Every host as it was at the position; a host not yet recorded is unknown."""
        events = list(state.values())
        judged = await asyncio.to_thread(lambda: [self._judge(e) for e in events])
        for name, mode in self._modes.items():
            if name not in state:
                message = "nothing recorded for this host by this time"
                judged.append(Judged(name, HostState.failed(name, mode, "no-data", message), None))
        self._send(judged)

    async def _show_events(self, crossed: list[Event]) -> None:
        """The crossed events: each host's last one is judged (the screen shows only
        the latest), session events become the bar's status line."""
        latest: dict[str, HostEvent] = {}
        for event in crossed:
            if isinstance(event, (SnapshotEvent, ErrorEvent)):
                latest[event.host] = event
            words = describe(event)
            if words is not None:
                self.status = words
        if latest:
            events = list(latest.values())
            self._send(await asyncio.to_thread(lambda: [self._judge(e) for e in events]))

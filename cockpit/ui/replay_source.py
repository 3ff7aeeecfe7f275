"""Replay in the app: a source that plays a recording into the same screens as live.

`ReplaySource` stands where the live refresh workers stand: it posts the same
`HostUpdated` / `HostPhase` messages, with states judged from the recorded snapshots by
the live path (cursor.Judge), and its `clock()` is the recorded clock, so the screens'
countdowns tick as they did that night. `ReplayApp` is CockpitApp with the timeline's
keys and a TimelineBar above the footer of every screen; it has no quit guard and no
actions (CockpitApp turns both off when a source is given).

Reading and judging run in a thread (`asyncio.to_thread`), one step at a time under a
lock: a 1000x burst or a long verdict-change scan never freezes the keys.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from cockpit.hostspec import HostSpec
from cockpit.parsers.text import clean
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
from cockpit.ui.app import CockpitApp
from cockpit.ui.messages import HostPhase, HostUpdated
from cockpit.ui.timeline_bar import JumpScreen, TimelineBar, TimelineView

#: Real seconds between play steps: smooth enough to watch, cheap at 1000x.
TICK_S = 0.25
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


def describe(event: Event) -> str | None:
    """A session event in words for the bar (host snapshots say nothing here)."""
    if isinstance(event, NoteEvent):
        about = f" ({event.host})" if event.host else ""
        return f"note{about}: {event.text}"
    if isinstance(event, GuardEvent):
        names = ", ".join(h.name for h in event.hosts) or "?"
        typed = f", typed {event.typed!r}" if event.typed else ""
        return f"{event.kind} via {event.via}{typed}: {names}"
    if isinstance(event, ActionEvent):
        return f"action {event.kind} on {event.host}: {'ok' if event.ok else 'failed'}"
    if isinstance(event, ErrorEvent):
        return f"{event.host}: {event.category}: {event.message}"
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
        self.status = "; ".join(recording.issues[:1])  # what was skipped, said first
        #: The app sets this to redraw its timeline bars.
        self.on_view: Callable[[TimelineView], None] = lambda view: None

    def clock(self) -> datetime:
        """The app's clock during replay: the recorded client time at the position."""
        return self.cursor.position

    def view(self) -> TimelineView:
        c = self.cursor
        return TimelineView(
            c.position, c.start, c.end, c.speed, c.playing, self.marks, self.status,
            self.recording.issues,
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

    async def jump(self, t: datetime) -> None:
        async with self._lock:
            await self._show_state(await asyncio.to_thread(self.cursor.jump, t))
        self.status = f"jumped to {t.isoformat(timespec='seconds')}"
        self._publish()

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
        for j in judged:
            post(HostUpdated(j.host, j.state, j.taken_at))
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


class ReplayApp(CockpitApp):
    """CockpitApp on the recorded clock, with the timeline bar and its keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "replay_toggle", "Play/pause"),
        Binding("full_stop", "replay_next", "Next event", key_display="."),
        Binding("comma", "replay_prev", "Prev event", key_display=",", show=False),
        Binding("plus,equals_sign", "replay_faster", "Faster", key_display="+"),
        Binding("minus", "replay_slower", "Slower", key_display="-", show=False),
        Binding("g", "replay_jump", "Jump to time"),
        # "v" is the host view's raw sections: the verdict jump takes shift+v.
        Binding("V", "replay_verdict", "Next verdict change", key_display="V"),
    ]

    def __init__(self, recording: Recording, source: ReplaySource, **kwargs: Any) -> None:
        super().__init__(replay_specs(recording), clock=source.clock, source=source, **kwargs)
        self.recording = recording
        self.replay_source = source
        source.on_view = self._show_view

    def header_text(self) -> str:
        name = clean(Path(self.recording.path).name)
        return f"REPLAY {name} — read-only, no quit guard (the host is not ours to save any more)"

    def on_mount(self) -> None:
        # Textual runs CockpitApp.on_mount too (handlers are called along the MRO):
        # calling super() here would start a second replay source.
        self.screen_change_signal.subscribe(self, self._add_bar)
        self._add_bar(self.screen)

    def _add_bar(self, screen: Screen[Any]) -> None:
        if isinstance(screen, ModalScreen) or screen.query(TimelineBar):
            return
        screen.mount(TimelineBar(self.replay_source.view()))

    def _show_view(self, view: TimelineView) -> None:
        for screen in self.screen_stack:
            for bar in screen.query(TimelineBar):
                bar.update_from(view)

    # -- the keys --------------------------------------------------------------------

    def action_replay_toggle(self) -> None:
        self.replay_source.toggle()

    def action_replay_faster(self) -> None:
        self.replay_source.faster()

    def action_replay_slower(self) -> None:
        self.replay_source.slower()

    def action_replay_next(self) -> None:
        self.run_worker(self.replay_source.step_next(), group="replay-keys")

    def action_replay_prev(self) -> None:
        self.run_worker(self.replay_source.step_prev(), group="replay-keys")

    def action_replay_verdict(self) -> None:
        self.run_worker(self.replay_source.next_verdict_change(), group="replay-keys")

    def action_replay_jump(self) -> None:
        def go(target: datetime | None) -> None:
            if target is not None:
                self.run_worker(self.replay_source.jump(target), group="replay-keys")

        self.push_screen(JumpScreen(self.replay_source.clock()), go)

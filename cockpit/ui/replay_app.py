"""The replay app: CockpitApp on the recorded clock, with the timeline bar and its keys.

No quit guard and no actions (CockpitApp turns both off when a source is given), no
refresh keys and no notes: the session is over. The bar is mounted into every screen's
bottom dock, above the key hints, and redrawn with the screen's own frame: the time on
the bar is the time on the top line (one "now" per screen).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from cockpit.parsers.text import clean
from cockpit.recording.reader import Recording
from cockpit.ui.app import CockpitApp
from cockpit.ui.replay_source import ReplaySource, replay_specs
from cockpit.ui.timeline_bar import MARK_LEGEND, JumpScreen, TimelineBar, TimelineView
from cockpit.ui.widgets.key_hints import BottomDock


class ReplayApp(CockpitApp):
    """CockpitApp on the recorded clock, with the timeline bar and its keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Short descriptions for the two lines of key hints; `?` says the tooltips.
        Binding("space", "replay_toggle", "Play", tooltip="Play / pause"),
        Binding("full_stop", "replay_next", "Step", key_display=". ,", tooltip="Next event"),
        Binding("comma", "replay_prev", "Previous event", show=False),
        Binding("plus,equals_sign", "replay_faster", "Speed", key_display="+ -", tooltip="Faster"),
        Binding("minus", "replay_slower", "Slower", show=False),
        # "g" is "first row" in every list (as in htop, k9s): the jump takes t (time).
        Binding("t", "replay_jump", "Jump", tooltip="Jump to a time (03:15, +10m, -1h)"),
        # "v" is the host view's raw sections: the verdict jump takes shift+v.
        Binding("V", "replay_verdict", "Verdict", tooltip="Next verdict change"),
        Binding(
            "right_square_bracket",
            "replay_mark(True)",
            "Marks",
            key_display="] [",
            tooltip="Next marked event (! n a x r #)",
        ),
        Binding("left_square_bracket", "replay_mark(False)", "Previous marked event", show=False),
    ]

    def __init__(self, recording: Recording, source: ReplaySource, **kwargs: Any) -> None:
        super().__init__(replay_specs(recording), clock=source.clock, source=source, **kwargs)
        self.recording = recording
        self.replay_source = source
        source.on_view = self._show_view
        source.on_damage = self._warn_damage

    def header_text(self) -> str:
        name = clean(Path(self.recording.path).name)
        return f"REPLAY {name} · read-only · no quit guard (the host is not ours to save)"

    def timeline_legend(self) -> tuple[tuple[str, str], ...]:
        """What `?` adds in replay: the bar's marks."""
        return MARK_LEGEND

    def host_zone(self, host: str) -> tzinfo | None:
        """The host's own zone from the recording, for frames whose state has no clock."""
        return self.replay_source.story.zones.get(host)

    def _warn_damage(self, text: str) -> None:
        self.notify(text, title="recording damaged", severity="warning", timeout=30, markup=False)

    def on_mount(self) -> None:
        # Textual runs CockpitApp.on_mount too (handlers are called along the MRO):
        # calling super() here would start a second replay source.
        self.screen_change_signal.subscribe(self, self._add_bar)
        self._add_bar(self.screen)

    def _add_bar(self, screen: Screen[Any]) -> None:
        """Into the screen's bottom dock, above the key hints, once it is composed."""
        if not isinstance(screen, ModalScreen):
            screen.call_after_refresh(self._mount_bar, screen)

    def _mount_bar(self, screen: Screen[Any]) -> None:
        if screen.query(TimelineBar) or not screen.is_attached:
            return
        docks = screen.query(BottomDock)
        bar = TimelineBar(self.replay_source.view())
        if docks:
            docks.first().mount(bar, before=0)
        else:  # a screen without key hints: the bar docks on its own
            bar.add_class("-docked")
            screen.mount(bar)

    def _show_view(self, view: TimelineView) -> None:
        """The source moved: the screen draws its frame from the new position first, then
        the bars, which read that frame's time (one now per screen)."""
        super().tick()
        for screen in self.screen_stack:
            for bar in screen.query(TimelineBar):
                bar.update_from(view)

    def tick(self) -> None:
        super().tick()
        for bar in self.screen.query(TimelineBar):
            bar.refresh()

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

    def action_replay_mark(self, forward: bool) -> None:
        self.run_worker(self.replay_source.next_mark(forward), group="replay-keys")

    def action_replay_jump(self) -> None:
        def go(target: datetime | None) -> None:
            if target is not None:
                self.run_worker(self.replay_source.jump(target), group="replay-keys")

        source = self.replay_source
        shown = getattr(self.screen, "frame_now", None)
        zone = shown.tzinfo if shown is not None else None
        cursor = source.cursor
        self.push_screen(JumpScreen(source.clock(), cursor.start, cursor.end, zone), go)

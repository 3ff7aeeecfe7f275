"""A minimal app with the attributes the quit guard relies on (book, clock, session log,
replay, request_quit), so the guard is tested before and apart from the real CockpitApp.

Also runnable (`python3 -m tests.e2e.guard_app --root DIR --record FILE`) as a stand-in
for the real `cockpit` command in the tmux test while that command is being built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from cockpit.hostspec import HostSpec
from cockpit.recording.session_log import SessionLog
from cockpit.state import HostState
from cockpit.ui.book import HostBook
from cockpit.ui.quit_guard import QuitGuard
from cockpit.ui.signals import install_signal_handlers

THEMES = Path(__file__).resolve().parents[2] / "themes"


class GuardApp(App[object]):
    CSS_PATH: ClassVar[list[str | Path]] = [THEMES / "guard.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "request_quit('q')", "Quit", show=True),
        Binding("ctrl+q", "request_quit('ctrl+q')", "Quit", show=False, priority=True),
    ]

    def get_theme_variable_defaults(self) -> dict[str, str]:
        from cockpit.ui.themes import VARIABLE_DEFAULTS

        return {**super().get_theme_variable_defaults(), **VARIABLE_DEFAULTS}

    def __init__(
        self,
        states: Sequence[HostState],
        log: SessionLog,
        clock: Callable[[], datetime],
        replay: bool = False,
    ) -> None:
        super().__init__()
        self.book = HostBook.of([HostSpec(name=s.name, kind="offline") for s in states])
        now = clock()
        for state in states:
            entry = self.book.entries[state.name]
            entry.state, entry.taken_at, entry.updated_at, entry.phase = state, now, now, "ok"
        self.session_log = log
        self.clock = clock
        self.replay = replay
        self.read_only = replay
        self.guard = QuitGuard(log, clock)
        self.decisions: list[str] = []
        self._unsignal: Callable[[], None] = lambda: None

    def compose(self) -> ComposeResult:
        yield Static("guard test app: " + ", ".join(e.spec.name for e in self.book), id="main")
        yield Footer()

    def on_mount(self) -> None:
        self._unsignal = install_signal_handlers(self)

    def on_unmount(self) -> None:
        self._unsignal()

    def request_quit(self, via: str) -> None:
        self.decisions.append(self.guard.request(self, via))

    def action_request_quit(self, via: str) -> None:
        self.request_quit(via)

    def action_quit(self) -> None:  # the command palette's "Quit"
        self.request_quit("palette")

    def set_state(self, state: HostState) -> None:
        """A refresh arrived: store it and tell the screens, as the real app does."""
        entry = self.book.entries[state.name]
        entry.record(state, None)
        for screen in self.screen_stack:
            changed = getattr(screen, "host_changed", None)
            if changed is not None:
                changed(state.name)

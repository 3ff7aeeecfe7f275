"""A plain y/n before leaving while a host's verdict is unknown and a reboot is armed.

Unknown is not good news: cockpit could not prove the host boots, and something will
reboot it. That is worth one key press, not a typed name (the refusal is for hosts known
to be unbootable). Dismisses with True (leave) or False (stay).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cockpit.parsers.text import clean
from cockpit.ui.book import HostBook
from cockpit.ui.quit_decision import QuitDecision, reboot_line
from cockpit.ui.widgets.key_hints import BottomDock


class ConfirmQuitScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "leave", "Yes, leave", show=True),
        Binding("n", "stay", "No, stay", show=True),
        Binding("escape", "stay", "Stay", show=False),
    ]

    def __init__(
        self, decision: QuitDecision, book: HostBook, clock: Callable[[], datetime]
    ) -> None:
        super().__init__(classes="quit-guard confirm")
        self.decision = decision
        self.book = book
        self.clock = clock

    def compose(self) -> ComposeResult:
        with Vertical(id="guard-box"):
            yield Static(
                Text("Leave? A host's verdict is UNKNOWN and a reboot is armed"), id="guard-title"
            )
            yield Static(id="guard-hosts")
            yield Static(Text("y: leave   n / Escape: stay"), id="guard-prompt")
        yield BottomDock()

    def on_mount(self) -> None:
        self._render_hosts()
        self.set_interval(1.0, self._render_hosts)

    def _render_hosts(self) -> None:
        text = Text()
        for state in self.decision.hosts:
            entry = self.book.get(state.name)
            now = entry.host_now(self.clock()) if entry is not None else None
            text.append(f"? {clean(state.name)}  UNKNOWN", style="bold")
            if state.error:
                text.append(f"  ({clean(state.error)[:60]})")
            text.append(f"\n  reboot: {clean(reboot_line(state, now))}\n")
        self.query_one("#guard-hosts", Static).update(text)

    def action_leave(self) -> None:
        self.dismiss(True)

    def action_stay(self) -> None:
        self.dismiss(False)

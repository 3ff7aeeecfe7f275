"""The refusal: quitting while a watched host would not come back from a reboot.

It shows what the admin needs to decide at 1 AM: which host, which blockers (title and
the evidence they rest on), and the armed reboot counting down in the host's own time.
Escape goes back to fix it; leaving takes typing the first (worst) host's name, which the
prompt names. The screen dismisses with the typed name (override) or None (go back); the
quit guard records and exits, the screen only asks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cockpit.parsers.text import clean
from cockpit.render.marks import SYMBOL
from cockpit.state import HostState
from cockpit.ui.book import HostBook
from cockpit.ui.quit_decision import (
    REFUSE,
    QuitDecision,
    blockers,
    decide_quit,
    reboot_line,
    typed_matches,
)
from cockpit.ui.widgets.key_hints import BottomDock
from cockpit.ui.widgets.pane_base import Lines, LinesView
from cockpit.words import Verdict

#: Blockers shown per host before "and N more" (the screen must fit 80x24 with a banner).
MAX_BLOCKERS = 3


def host_block(lines: Lines, state: HostState, host_now: datetime | None) -> Lines:
    """One host: name and verdict, blockers with their first evidence line, the reboot;
    wrapped lines hang under their mark (the screen must read at 80x24)."""
    lines.append(
        Content.styled(f"{SYMBOL['blocker']} {clean(state.name)} {state.verdict.upper()}", "bold")
    )
    shown = blockers(state)
    for finding in shown[:MAX_BLOCKERS]:
        lines.mark("blocker", clean(finding.title_at(host_now)))
        if finding.evidence:
            lines.quote(clean(finding.evidence[0]), indent=4)
    if len(shown) > MAX_BLOCKERS:
        lines.plain(f"  … and {len(shown) - MAX_BLOCKERS} more blocker(s): see the host view")
    lines.row("  reboot", clean(reboot_line(state, host_now)))
    return lines


class RefusalScreen(ModalScreen[str | None]):
    """Dismisses with the exactly typed host name, or None to go back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "go_back", "Go back and fix it", show=True),
    ]

    def __init__(
        self,
        decision: QuitDecision,
        book: HostBook,
        clock: Callable[[], datetime],
        via: str,
    ) -> None:
        super().__init__(classes="quit-guard refusal")
        self.decision = decision
        self.book = book
        self.clock = clock
        self.via = via
        self.expected = decision.must_type or ""
        # A refresh may land between push and mount (100 hosts answering, a signal):
        # until the widgets exist there is nothing to redraw.
        self._ready = False

    def compose(self) -> ComposeResult:
        with Vertical(id="guard-box"):
            yield Static(
                Text("QUIT REFUSED: a host you watch would not come back from a reboot"),
                id="guard-title",
            )
            yield VerticalScroll(LinesView(id="guard-hosts"), id="guard-scroll")
            yield Static(self._prompt(), id="guard-prompt")
            yield Input(placeholder=self._placeholder(), id="guard-input", compact=True)
            yield Static("", id="guard-error")
        # Its own key hints: the keys that matter now are these, not the fleet's under it.
        yield BottomDock()

    def _prompt(self) -> Text:
        count = len(self.decision.unbootable)
        which = " (the first host listed)" if count > 1 else ""
        return Text.assemble(
            "Escape: go back and fix it.  Or leave on the record: type ",
            (clean(self.expected), "bold reverse"),
            f"{which} and press Enter.",
        )

    def _placeholder(self) -> str:
        return f"type {self.expected} to leave on the record"

    def on_mount(self) -> None:
        self._render_hosts()
        self.query_one("#guard-input", Input).focus()
        self.set_interval(1.0, self._render_hosts)
        self._ready = True

    def _host_now(self, name: str) -> datetime | None:
        entry = self.book.get(name)
        return entry.host_now(self.clock()) if entry is not None else None

    def _render_hosts(self) -> None:
        lines = Lines()
        for state in self.decision.hosts:
            now = self._host_now(state.name)
            if state.verdict != Verdict.UNBOOTABLE:
                name = clean(state.name)
                lines.append(Content.styled(f"? {name} UNKNOWN, and a reboot is armed", "bold"))
                lines.row("  reboot", clean(reboot_line(state, now)))
                continue
            host_block(lines, state, now)
            if not state.reachable:
                why = clean(state.error_category or "unreachable")
                lines.plain(f"  (last read UNBOOTABLE; unreachable now: {why})")
        self.query_one("#guard-hosts", LinesView).show(lines)

    def host_changed(self, name: str) -> None:
        """A refresh arrived: show the hosts as they are now; go back if none holds us."""
        if not self._ready:
            return
        fresh = decide_quit(self.book.held_states())
        if fresh.kind != REFUSE:
            self.app.notify("No watched host is unbootable now: quit again to leave.")
            self.dismiss(None)
            return
        keep = self.expected in {h.name for h in fresh.unbootable}
        self.decision = fresh
        if not keep:
            self.expected = fresh.must_type or ""
            self.query_one("#guard-prompt", Static).update(self._prompt())
            self.query_one("#guard-input", Input).placeholder = self._placeholder()
        self._render_hosts()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if typed_matches(event.value, self.expected):
            self.dismiss(self.expected)
            return
        shown = clean(event.value.strip())[:40]
        self.query_one("#guard-error", Static).update(
            Text(f"'{shown}' is not {clean(self.expected)}: type it exactly, or Escape to go back.")
        )
        event.input.value = ""

    def action_go_back(self) -> None:
        self.dismiss(None)

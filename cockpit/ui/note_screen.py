"""`n`: an operator's note on the record ("disarmed the cron job by hand", "leaving now").

The morning-after report reads the notes beside the verdicts, so what the admin knew and
did is in the same timeline as what the hosts said. The note is written by this screen
to the app's SessionLog (`note(text, at, host)`), about the host on screen or the session.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cockpit.parsers.text import clean

#: A note is a line in a ticket, not an essay: longer input is cut (and says so).
MAX_NOTE = 500


class NoteScreen(ModalScreen[str | None]):
    """Dismisses with the recorded text, or None (escape, or an empty note)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, host: str | None = None) -> None:
        super().__init__(classes="note-screen")
        self.host = host

    def compose(self) -> ComposeResult:
        about = f"about {clean(self.host)}" if self.host else "for the whole session"
        path = getattr(getattr(self.app, "session_log", None), "path", None)
        where = f" ({clean(str(path))})" if path else ""
        with Vertical(id="note-box"):
            yield Static(Text(f"Note on the record{where}, {about} (Enter saves, Escape cancels)"))
            yield Input(placeholder="what you did or decided", id="note-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.dismiss(None)
            return
        app: Any = self.app
        app.session_log.note(text[:MAX_NOTE], app.clock(), self.host)
        cut = " (cut to 500 characters)" if len(text) > MAX_NOTE else ""
        path = getattr(app.session_log, "path", None)
        self.app.notify(f"note recorded{f' in {clean(str(path))}' if path else ''}{cut}")
        self.dismiss(text[:MAX_NOTE])

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_note(app: App[Any], host: str | None = None) -> None:
    """The app's `n` action. The app offers it only where a note is written (not in
    replay, not with --no-record: CockpitApp.check_action); a direct call says why not."""
    if getattr(app, "replay", False):
        app.notify("replay: the session is over, notes are not recorded", severity="warning")
        return
    app.push_screen(NoteScreen(host))

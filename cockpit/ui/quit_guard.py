"""The quit guard: every way out of the app passes here (DESIGN.md, "The quit guard").

The app's `request_quit(via)` calls `QuitGuard.request(app, via)` for q, ctrl+q, the
command palette, SIGINT and SIGTERM alike, so no exit path can skip it. The decision is
pure (quit_decision.py); this module shows the right screen, writes the refusal and the
override on the session's record, and exits with a result the CLI turns into a line on
stderr (`exit_message`). SIGHUP cannot be refused: `session_lost` records it and exits.

The app it guards needs: `book` (HostBook), `replay` (bool), `exit(...)`, `push_screen`,
`screen`, `bell()`. Replay has no guard: the host is not ours to save any more.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cockpit.recording.session_log import SessionLog
from cockpit.ui.confirm_quit_screen import ConfirmQuitScreen
from cockpit.ui.quit_decision import (
    EXIT,
    EXIT_LEFT_ON_RECORD,
    EXIT_SESSION_LOST,
    REFUSE,
    LeftOnRecord,
    QuitDecision,
    SessionLost,
    decide_quit,
    exit_message,
)
from cockpit.ui.refusal_screen import RefusalScreen
from cockpit.words import Verdict

#: `exit_message` is re-exported: the CLI needs one import for the guard's exit line.
__all__ = ["ALREADY_OPEN", "QuitGuard", "exit_message"]

#: What `request` did, for the app and tests: exit | confirm | refuse | already-open.
ALREADY_OPEN = "already-open"


class QuitGuard:
    """One per app. `clock` is the app's client clock (aware), used for the record."""

    def __init__(self, log: SessionLog, clock: Callable[[], datetime]) -> None:
        self.log = log
        self.clock = clock

    def request(self, app: Any, via: str) -> str:
        """Exit now, or open the refusal / confirmation; returns what it did."""
        if getattr(app, "replay", False):
            app.exit()
            return EXIT
        if isinstance(app.screen, (RefusalScreen, ConfirmQuitScreen)):
            # A second q / ctrl+q / signal while the guard is asking: keep asking.
            app.bell()
            return ALREADY_OPEN
        decision = decide_quit(app.book.held_states())
        if decision.kind == EXIT:
            app.exit()
        elif decision.kind == REFUSE:
            self.log.quit_refused(self.clock(), via, decision.hosts)
            app.push_screen(
                RefusalScreen(decision, app.book, self.clock, via),
                lambda typed: self._refusal_done(app, via, typed),
            )
        else:
            app.push_screen(
                ConfirmQuitScreen(decision, app.book, self.clock),
                lambda leave: self._confirm_done(app, via, decision, leave),
            )
        return decision.kind

    def _refusal_done(self, app: Any, via: str, typed: str | None) -> None:
        if typed is None:
            return  # went back to fix it; the refusal is already on the record
        # Record the hosts as they are at the moment of leaving, not when q was pressed.
        decision = decide_quit(app.book.held_states())
        hosts = decision.hosts if decision.kind == REFUSE else ()
        self._leave(app, via, typed, hosts, Verdict.UNBOOTABLE)

    def _confirm_done(self, app: Any, via: str, decision: QuitDecision, leave: bool | None) -> None:
        if not leave:
            return
        # The confirmation is on the record as an override whose typed text is "y".
        self._leave(app, via, "y", decision.hosts, decision.hosts[0].verdict)

    def _leave(self, app: Any, via: str, typed: str, hosts: tuple, verdict: str) -> None:
        at = self.clock()
        self.log.quit_override(at, via, typed, hosts)
        names = [h.name for h in hosts]
        first = typed if typed in names else (names[0] if names else typed)
        app.exit(
            result=LeftOnRecord(
                host=first,
                verdict=verdict,
                others=tuple(n for n in names if n != first),
                typed_at=at,
                record=self.log.path,
                via=via,
            ),
            return_code=EXIT_LEFT_ON_RECORD,
        )

    def session_lost(
        self, app: Any, signal: str, return_code: int = EXIT_SESSION_LOST
    ) -> SessionLost | None:
        """SIGHUP: record a session lost if a host is unbootable, then exit regardless."""
        result = self.record_lost(app, signal)
        app.exit(result=result, return_code=return_code)
        return result

    def record_lost(self, app: Any, signal: str) -> SessionLost | None:
        """The session-lost line alone (a host is unbootable and nobody is left to ask),
        for a hang-up handler that cannot wait for the event loop to exit the app."""
        if getattr(app, "replay", False):
            return None
        decision = decide_quit(app.book.held_states())
        if decision.kind != REFUSE:
            return None
        at = self.clock()
        self.log.session_lost(at, signal, decision.hosts)
        return SessionLost(signal, tuple(h.name for h in decision.unbootable), at, self.log.path)

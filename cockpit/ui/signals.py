"""Signals take the same way out as the keys: through the quit guard.

SIGINT and SIGTERM call `app.request_quit("SIGINT"|"SIGTERM")`, so `kill` on a session
watching an unbootable host opens the refusal instead of ending it (a deliberate kill -9
still ends it: that is the admin's choice, made outside cockpit). SIGHUP means the
terminal went away: nobody is left to ask, so it is recorded as a session lost while
unbootable, and the app exits. Handlers run on the event loop (`loop.add_signal_handler`),
never inside a signal frame, so they may touch the app.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import Any

from cockpit.recording.session_log import SessionLog
from cockpit.ui.quit_guard import QuitGuard

GUARDED = (signal.SIGINT, signal.SIGTERM)


def session_log_of(app: Any) -> SessionLog:
    """The app's SessionLog: `app.session_log` if it has one, else `app.log`.

    Textual's own `App.log` is its logger (Textual calls `app.log.system(...)`), so an app
    that keeps the record elsewhere names it `session_log`; both are accepted.
    """
    log = getattr(app, "session_log", None)
    return log if log is not None else app.log  # type: ignore[no-any-return]


def install_signal_handlers(app: Any) -> Callable[[], None]:
    """Route SIGINT/SIGTERM to `app.request_quit` and SIGHUP to a recorded session loss.

    Call from the app's on_mount (the running loop); returns a function that removes the
    handlers again (call it on unmount so a test runner's own Ctrl-C works afterwards).
    Outside the main thread signals cannot be handled: nothing is installed then.
    """
    loop = asyncio.get_running_loop()
    installed: list[int] = []

    def quit_via(name: str) -> None:
        app.call_next(app.request_quit, name)

    def hang_up() -> None:
        QuitGuard(session_log_of(app), app.clock).session_lost(app, "SIGHUP")

    try:
        for sig in GUARDED:
            loop.add_signal_handler(sig, quit_via, sig.name)
            installed.append(sig)
        loop.add_signal_handler(signal.SIGHUP, hang_up)
        installed.append(signal.SIGHUP)
    except (RuntimeError, ValueError):  # not the main thread, or a loop without signals
        pass

    def remove() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)
        installed.clear()

    return remove

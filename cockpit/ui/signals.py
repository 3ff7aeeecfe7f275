"""Signals take the same way out as the keys: through the quit guard.

SIGINT and SIGTERM call `app.request_quit("SIGINT"|"SIGTERM")`, so `kill` on a session
watching an unbootable host opens the refusal instead of ending it (a deliberate kill -9
still ends it: that is the admin's choice, made outside cockpit). Those handlers run on
the event loop (`loop.add_signal_handler`), never inside a signal frame, so they may touch
the app.

SIGHUP means the terminal went away: nobody is left to ask, so it is recorded as a
session lost while unbootable, and the app ends within a second, whatever it was doing.
Its handler is a plain Python one (`signal.signal`): it runs in the main thread at the
next bytecode even while the event loop is stuck (Textual's output thread dies on the
dead terminal, and the loop then waits forever to queue its next write: a handler on the
loop would wait behind it). It writes the record line, asks the loop to exit, and (for
the real command, `hard_exit`) arms a watchdog that ends the process after
HANGUP_GRACE_S if the exit did not get through.
"""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from cockpit.recording.session_log import SessionLog
from cockpit.ui.quit_decision import EXIT_SESSION_LOST
from cockpit.ui.quit_guard import QuitGuard

GUARDED = (signal.SIGINT, signal.SIGTERM)
#: After SIGHUP, how long the app has to exit on its own before the process is ended.
HANGUP_GRACE_S = 0.5
#: The shell's status for "ended by SIGHUP".
HANGUP_STATUS = EXIT_SESSION_LOST  # 128 + SIGHUP, as a shell reports a hang-up


def session_log_of(app: Any) -> SessionLog:
    """The app's SessionLog: `app.session_log` if it has one, else `app.log`.

    Textual's own `App.log` is its logger (Textual calls `app.log.system(...)`), so an app
    that keeps the record elsewhere names it `session_log`; both are accepted.
    """
    log = getattr(app, "session_log", None)
    return log if log is not None else app.log  # type: ignore[no-any-return]


def install_signal_handlers(app: Any, *, hard_exit: bool = False) -> Callable[[], None]:
    """Route SIGINT/SIGTERM to `app.request_quit` and SIGHUP to a recorded session loss.

    Call from the app's on_mount (the running loop); returns a function that removes the
    handlers again (call it on unmount so a test runner's own Ctrl-C works afterwards).
    Outside the main thread signals cannot be handled: nothing is installed then.
    `hard_exit`: SIGHUP ends the process after HANGUP_GRACE_S whatever the app is doing
    (the real command; an in-process test's app only exits).
    """
    loop = asyncio.get_running_loop()
    installed: list[int] = []
    previous_hup: Any = None
    hung_up = threading.Event()

    def quit_via(name: str) -> None:
        app.call_next(app.request_quit, name)

    def hang_up(signum: int, frame: FrameType | None) -> None:
        if hung_up.is_set():
            return
        hung_up.set()
        if hard_exit:
            threading.Thread(target=_end_process, name="hangup", daemon=True).start()
        result = QuitGuard(session_log_of(app), app.clock).record_lost(app, "SIGHUP")
        exit_app = functools.partial(app.exit, result=result, return_code=HANGUP_STATUS)
        loop.call_soon_threadsafe(exit_app)

    try:
        for sig in GUARDED:
            loop.add_signal_handler(sig, quit_via, sig.name)
            installed.append(sig)
        previous_hup = signal.signal(signal.SIGHUP, hang_up)
    except (RuntimeError, ValueError):  # not the main thread, or a loop without signals
        pass

    def remove() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)
        installed.clear()
        if previous_hup is not None:
            signal.signal(signal.SIGHUP, previous_hup)

    return remove


def _end_process() -> None:
    """The watchdog armed by SIGHUP: the record is written (one os.write), the terminal is
    gone; if the app has not ended by now, nothing it still waits for matters."""
    threading.Event().wait(HANGUP_GRACE_S)
    os._exit(HANGUP_STATUS)

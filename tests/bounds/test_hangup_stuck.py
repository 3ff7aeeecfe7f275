"""SIGHUP ends the process even when the event loop is stuck (issue 12, section 3): the
case the tmux test cannot cause on demand. Textual's output thread dies on a terminal
that went away, and the loop then blocks for ever queueing its next write; a handler that
waits for the loop (loop.add_signal_handler) never runs, so the app ignored SIGHUP and
SIGTERM for minutes. Here the loop blocks on a lock instead, in a child process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.support import REPO, SAMPLES

SCRIPT = r"""
import asyncio, os, signal, sys, threading
from datetime import datetime, timezone
from pathlib import Path

from cockpit.recording.writer import JsonlRecorder
from cockpit.hostspec import HostSpec
from cockpit.ui.book import HostBook
from cockpit.ui.signals import install_signal_handlers
from tests.support import judge_root

root, record = Path(sys.argv[1]), sys.argv[2]
spec = HostSpec("weblogs-2011", "offline", root=str(root))
state = judge_root(root, (root / "AT").read_text().strip())
now = datetime.now(timezone.utc)


class App:  # what the guard and the handlers need of an app
    replay = False
    book = HostBook.of([spec])
    session_log = JsonlRecorder.create(record, argv=["test"], hosts=[spec], now=now)

    def clock(self):
        return datetime.now(timezone.utc)

    def exit(self, result=None, return_code=0):
        pass  # the exit never gets through: the loop is stuck


async def main():
    app = App()
    app.book.get("weblogs-2011").record(state, now)
    install_signal_handlers(app, hard_exit=True)
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGHUP)).start()
    stuck = threading.Lock()
    stuck.acquire()
    print("stuck", flush=True)
    stuck.acquire()  # the event loop never runs again


asyncio.run(main())
"""


def test_sighup_ends_the_process_while_the_event_loop_is_stuck(tmp_path: Path) -> None:
    record = tmp_path / "r.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(SAMPLES / "weblogs-2011"), str(record)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "stuck\n"
    start = time.monotonic()
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("still running 10 s after SIGHUP") from None
    took = time.monotonic() - start
    assert status == 129  # 128 + SIGHUP, as a shell reports a hang-up
    assert took < 1.5  # 0.5 s timer to the signal, then at most 0.5 s of grace
    kinds = [json.loads(line)["e"] for line in record.read_text().splitlines()[1:]]
    assert kinds == ["session-lost"]

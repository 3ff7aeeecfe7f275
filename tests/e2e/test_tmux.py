"""End to end in a real terminal: the cockpit command inside tmux, as on a shared screen.

A detached tmux server on its own socket (80x24, TERM=screen-256color, isolated HOME and
XDG dirs) runs the command on the incident host; the test reads the screen with
`capture-pane`, presses q, sees the refusal, types the host's name, and checks the
process exited with the override on stderr and on the record. Skipped only when tmux is
missing (CI installs it).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import REPO, SAMPLES

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WAIT_S = 30.0  # a loaded 2-core CI box starts Python + Textual in ~2 s; this is margin


class Tmux:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.socket = base / "tmux.sock"
        self.conf = base / "tmux.conf"
        self.conf.write_text(
            "set -g default-terminal screen-256color\nset -g status off\nset -g escape-time 0\n"
            "set -g remain-on-exit on\n"
        )
        home = base / "home"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_STATE_HOME": str(home / ".local" / "state"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "TERM": "screen-256color",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONPATH": str(REPO),
            "TEXTUAL": "",  # no devtools
        }
        for key in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            Path(self.env[key]).mkdir(parents=True, exist_ok=True)

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", str(self.conf), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )

    def start(self, command: str) -> None:
        done = self.tmux(
            "new-session", "-d", "-s", "cockpit", "-x", "80", "-y", "24", "-c", str(REPO), command
        )
        assert done.returncode == 0, done.stderr

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "cockpit").stdout

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + WAIT_S
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        flags = ["-l"] if literal else []
        assert self.tmux("send-keys", "-t", "cockpit", *flags, *keys).returncode == 0


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path)
    try:
        yield session
    finally:
        session.tmux("kill-server")


def test_quit_refused_then_left_on_the_record(tmux: Tmux, tmp_path: Path) -> None:
    record = tmp_path / "session.jsonl"
    rc = tmp_path / "rc"
    root = SAMPLES / "weblogs-2011"
    argv = [sys.executable, "-m", "cockpit", "--root", str(root), "--record", str(record)]
    # Textual draws on stderr, so stderr stays the terminal: the override line is read from
    # the pane after the app has left the alternate screen (remain-on-exit keeps the pane).
    command = f"{shlex.join(argv)}; echo $? >{shlex.quote(str(rc))}"
    tmux.start(f"sh -c {shlex.quote(command)}")

    tmux.wait_for("weblogs-2011")
    time.sleep(0.3)  # first frame drawn; let the app take keys
    tmux.keys("q")
    shown = tmux.wait_for("QUIT REFUSED")
    assert "/sbin/init does not exist" in shown
    # The reboot in the host's own zone (America/Chicago: CDT or CST by the date today).
    assert re.search(r"03:15 C[DS]T", shown), shown

    tmux.keys("weblogs-2011", literal=True)
    tmux.keys("Enter")
    deadline = time.monotonic() + WAIT_S
    while not rc.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert rc.exists(), f"cockpit did not exit; the screen shows:\n{tmux.screen()}"
    time.sleep(0.1)  # the shell's echo may not be flushed the instant the file appears
    assert rc.read_text().strip() == "4"  # left on the record: not a plain quit (0)

    after = tmux.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "cockpit").stdout
    stderr = " ".join(after.split())  # the line wraps at 80 columns
    assert "cockpit: left while weblogs-2011 was UNBOOTABLE (override typed at" in stderr
    assert f"recorded in {record})" in stderr, stderr
    kinds = [json.loads(line).get("e") for line in record.read_text("utf-8").splitlines()]
    assert "quit-refused" in kinds and "quit-override" in kinds
    assert kinds.index("quit-refused") < kinds.index("quit-override")

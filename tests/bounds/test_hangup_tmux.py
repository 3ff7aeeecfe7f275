"""SIGHUP ends the app within a second, on the record as a session lost, every time
(issue 12, section 3): the real `cockpit` command in tmux panes, watching a fleet that
refreshes every second (the incident host among it) while other processes load the CPU;
each pane is closed as a terminal goes away, and its process must be gone within 1 s.

Before, about 4 closes in 30 left the app alive for minutes, ignoring SIGTERM: Textual's
output thread died on the dead terminal (EIO), and the event loop then waited forever to
queue its next write, with the SIGHUP handler queued behind it.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_tmux import Tmux
from tests.support import SAMPLES

pytestmark = pytest.mark.skipif(
    subprocess.run(["sh", "-c", "command -v tmux"], capture_output=True).returncode != 0,
    reason="tmux is not installed",
)

#: Issue 12's target: 50 closes out of 50. COCKPIT_HUP_ROUNDS lowers it for a quick run.
ROUNDS = int(os.environ.get("COCKPIT_HUP_ROUNDS", "50"))
PANES = 5  # apps running at once (they load the machine too)
GONE_WITHIN_S = 1.0

TREES = ("weblogs-2011", "debian12-systemd", "debian12-sysvinit", "alpine320-openrc")


def inventory(path: Path) -> Path:
    hosts = "".join(
        f'[[host]]\nname = "{tree}-{i}"\nroot = "{SAMPLES / tree}"\nrefresh = "1s"\n'
        for tree in TREES
        for i in range(2)
    )
    path.write_text(hosts)
    return path


@pytest.fixture
def load() -> Iterator[None]:
    """Two busy processes: the app competes for the CPU as on a loaded jump host."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for tmux to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def read_pid(path: Path, within: float = 30.0) -> int:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        text = path.read_text().strip() if path.exists() else ""
        if text:
            return int(text)
        time.sleep(0.05)
    raise AssertionError(f"no pid in {path}")


def wait_for_two_reads(name: str, record: Path) -> None:
    """Until the app recorded the incident host twice: its first reading is judged and
    held by the quit guard by then (a refresh a second)."""
    deadline = time.monotonic() + 60
    while (record.read_bytes() if record.exists() else b"").count(b'"h":"weblogs-2011-0"') < 2:
        assert time.monotonic() < deadline, f"{name} never read the incident host"
        time.sleep(0.1)


def close_and_time(tmux: Tmux, name: str, pid: int) -> float:
    """Close the window as a terminal goes away; seconds until its process is gone."""
    tmux.tmux("kill-window", "-t", name)
    start = time.monotonic()
    while alive(pid) and time.monotonic() - start < 30:
        time.sleep(0.01)
    took = time.monotonic() - start
    if alive(pid):
        os.kill(pid, 9)  # (the test's own cleanup; the result is already taken)
    return took


def test_sighup_ends_the_app_within_a_second_every_time(tmp_path: Path, load: None) -> None:
    inv = inventory(tmp_path / "fleet.toml")
    tmux = Tmux(tmp_path)
    tmux.start("sleep 100000")  # keeps the server up between the apps' windows
    slow: list[str] = []
    times: list[float] = []
    unrecorded: list[str] = []
    try:
        for batch in range(0, ROUNDS, PANES):
            panes = []
            for i in range(min(PANES, ROUNDS - batch)):
                name = f"app{batch + i}"
                pid_file, record = tmp_path / f"{name}.pid", tmp_path / f"{name}.jsonl"
                argv = [sys.executable, "-m", "cockpit", "--inventory", str(inv)]
                argv += ["--record", str(record)]
                command = f"echo $$ >{shlex.quote(str(pid_file))}; exec {shlex.join(argv)}"
                opened = tmux.tmux("new-window", "-d", "-n", name, f"sh -c {shlex.quote(command)}")
                assert opened.returncode == 0, opened.stderr
                panes.append((name, pid_file, record))
            pids = {name: read_pid(pid_file) for name, pid_file, _ in panes}
            for name, _, record in panes:
                wait_for_two_reads(name, record)
            for name, _, record in panes:
                took = close_and_time(tmux, name, pids[name])
                times.append(took)
                if took >= GONE_WITHIN_S:
                    slow.append(f"{name}: {took:.2f}s")
                kinds = [json.loads(line).get("e") for line in record.read_bytes().splitlines()]
                if "session-lost" not in kinds:
                    unrecorded.append(name)
    finally:
        tmux.tmux("kill-server")
    median = sorted(times)[len(times) // 2]
    print(f"{len(times)} closes: slowest {max(times):.2f}s, median {median:.2f}s")
    assert not slow, f"{len(slow)} of {ROUNDS} closes left cockpit running: {slow}"
    assert not unrecorded, f"no session-lost on the record of {unrecorded}"

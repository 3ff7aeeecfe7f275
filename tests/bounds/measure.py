"""Run the real command line in a child and measure what it cost: wall time and peak memory
(the child's own max RSS, from wait4), so a bound is checked, not assumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from tests.support import REPO

#: Issue 12's targets for every hostile input: under 10 s and 300 MB, a clear message.
MAX_SECONDS = 10.0
MAX_RSS_MB = 300


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float

    def assert_bounded(self) -> None:
        assert self.seconds < MAX_SECONDS, f"took {self.seconds:.1f}s: {self.stdout[:500]}"
        assert self.rss_mb < MAX_RSS_MB, f"peaked at {self.rss_mb:.0f} MB"
        assert "Traceback" not in self.stdout + self.stderr, self.stderr[-3000:]


def run_measured(*args: str, timeout: float = 120) -> Run:
    """`python -m cockpit ARGS` with stdin closed: its exit status, output and cost."""
    return run_python("-m", "cockpit", *args, timeout=timeout)


def run_python(*args: str, timeout: float = 120) -> Run:
    """`python ARGS` (a `-c` script, or `-m module`) measured as `run_measured` says."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                os.kill(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                raise AssertionError(f"python {' '.join(args)}: still running after {timeout}s")
            time.sleep(0.01)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read(), err.read(), seconds, usage.ru_maxrss / 1024)

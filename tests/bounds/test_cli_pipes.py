"""`cockpit check | head -c 100`: a reader that leaves early changes nothing a monitoring
system sees: the exit status is still the verdict's, and nothing is said on stderr."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO, SAMPLES

WEBLOGS = str(SAMPLES / "weblogs-2011")
AT = "2011-09-29T23:00:00-05:00"  # weblogs is UNBOOTABLE then: CRITICAL, exit 2


def piped(args: list[str], reader: str, out: Path) -> tuple[int, str]:
    """Run `cockpit ARGS | READER` in bash; cockpit's own exit status and stderr."""
    command = shlex.join([sys.executable, "-m", "cockpit", *args])
    rc, err = out / "rc", out / "err"
    status = f"echo ${{PIPESTATUS[0]}} >{shlex.quote(str(rc))}"
    script = f"{command} 2>{shlex.quote(str(err))} | {reader}; {status}"
    subprocess.run(["bash", "-c", script], cwd=REPO, timeout=120, check=True)
    return int(rc.read_text()), err.read_text()


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("reader", ["true", "head -c 100 >/dev/null"])
def test_a_reader_that_leaves_early_keeps_the_verdicts_exit_status(
    fmt: str, reader: str, tmp_path: Path
) -> None:
    # 12 hosts: the output outgrows a pipe's 64 KiB buffer, so `head -c 100` leaves while
    # cockpit still writes (`true` leaves before it writes at all).
    roots = [arg for _ in range(12) for arg in ("--root", WEBLOGS)]
    rc, err = piped(["check", *roots, "--at", AT, "--format", fmt, "-v"], reader, tmp_path)
    assert (rc, err) == (2, "")


def test_a_usage_line_to_a_reader_that_left_is_quiet(tmp_path: Path) -> None:
    rc, err = piped(["check", "--inventory", "/nonexistent"], "true", tmp_path)
    assert (rc, err) == (3, "")

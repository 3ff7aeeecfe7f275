"""Hostile recordings (issue 12, section 3): `cockpit report` and `cockpit replay` never
block on a FIFO, never raise RecursionError on deeply nested JSON, and never hold a huge
line in memory: each is skipped or refused in bounded time and memory, and said."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from cockpit.hostspec import HostSpec
from cockpit.recording import JsonlRecorder, open_recording
from cockpit.recording import format as recording_format
from tests.bounds.measure import run_measured, run_python
from tests.recording.helpers import T0, small

SPECS = [HostSpec("a", "local")]


def recording(path: Path, between: Callable[[int], bytes | int] | None = None) -> Path:
    """Ten snapshots of host `a` (keyframe, then deltas), with `between(fd)` run after the
    fifth: it appends a hostile line, or returns how many bytes of hole to leave."""
    rec = JsonlRecorder.create(path, argv=["cockpit"], hosts=SPECS, now=T0)
    for i in range(10):
        if i == 5 and between is not None:
            with path.open("ab") as f:
                made = between(f.fileno())
                if isinstance(made, bytes):
                    f.write(made)
        rec.snapshot(small("a", 5 * i, clock=str(i)))
    rec.note("done", T0 + timedelta(seconds=60))
    rec.close()
    return path


def hole(size: int) -> Callable[[int], int]:
    """A line of `size` NUL bytes, as a sparse hole (no disk, no time), then its newline."""

    def make(fd: int) -> int:
        end = os.lseek(fd, 0, os.SEEK_END)
        os.ftruncate(fd, end + size)
        os.lseek(fd, 0, os.SEEK_END)
        os.write(fd, b"\n")
        return size

    return make


@pytest.mark.parametrize("command", ["report", "replay"])
def test_a_fifo_is_refused_at_once(command: str, tmp_path: Path) -> None:
    fifo = tmp_path / "session.jsonl"
    os.mkfifo(fifo)
    run = run_measured(command, str(fifo), timeout=30)
    run.assert_bounded()
    assert run.returncode == 3
    assert f"{fifo} is a FIFO (named pipe), not a recording" in run.stderr


@pytest.mark.parametrize(
    "nested", ["[" * 100_000, '{"t":' + "[" * 100_000], ids=["array", "in-an-object"]
)
def test_deeply_nested_json_is_a_damaged_line_not_a_recursion_error(
    nested: str, tmp_path: Path
) -> None:
    path = recording(tmp_path / "r.jsonl", lambda fd: nested.encode() + b"\n")
    run = run_measured("report", str(path), "--format", "json")
    run.assert_bounded()
    assert run.returncode == 0, run.stderr
    issues = json.loads(run.stdout)["issues"]
    assert any("line 7: not valid JSON, skipped" in i for i in issues), issues


def test_a_deeply_nested_header_is_not_a_recording(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"format":' + "[" * 100_000 + "\n")
    run = run_measured("report", str(path))
    run.assert_bounded()
    assert run.returncode == 3
    assert "is not a cockpit recording (its first line is not JSON)" in run.stderr


def test_a_500_mb_line_is_skipped_without_holding_it(tmp_path: Path) -> None:
    path = recording(tmp_path / "r.jsonl", hole(500 << 20))
    run = run_measured("report", str(path), "--format", "json")
    run.assert_bounded()
    assert run.returncode == 0, run.stderr
    issues = json.loads(run.stdout)["issues"]
    assert any(f"line 7: a line of {500 << 20} bytes, longer than" in i for i in issues)


def test_a_500_mb_line_is_skipped_when_seeking_backwards_too(tmp_path: Path) -> None:
    """state_at() scans back from the end to each host's keyframe, over the long line."""
    path = recording(tmp_path / "r.jsonl", hole(500 << 20))
    script = (
        "import sys; from cockpit.recording import open_recording;"
        "from tests.recording.helpers import T0; from datetime import timedelta;"
        "r = open_recording(sys.argv[1]); s = r.state_at(T0 + timedelta(seconds=100));"
        "print(sorted(s), r.issues)"
    )
    run = run_python("-c", script, str(path))
    run.assert_bounded()
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("['a']")


def test_a_cut_last_line_of_500_mb_is_never_read(tmp_path: Path) -> None:
    path = recording(tmp_path / "r.jsonl")
    with path.open("ab") as f:
        f.write(b'{"t":')
        f.truncate(f.tell() + (500 << 20))  # the writer died inside a (very long) line
    run = run_measured("report", str(path), "--format", "json")
    run.assert_bounded()
    assert run.returncode == 0, run.stderr
    assert any("is cut off" in i for i in json.loads(run.stdout)["issues"])


def test_the_writer_never_writes_a_line_readers_would_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cockpit.recording.writer.MAX_LINE_BYTES", 2000)
    path = tmp_path / "r.jsonl"
    rec = JsonlRecorder.create(path, argv=["cockpit"], hosts=SPECS, now=T0)
    rec.snapshot(small("a", 0, clock="0"))
    rec.snapshot(small("a", 5, clock="x" * 5000))
    rec.snapshot(small("a", 10, clock="2"))
    rec.close()
    assert max(len(line) for line in path.read_bytes().splitlines()) <= 2000
    events = list(open_recording(path).events())
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["SnapshotEvent", "ErrorEvent", "SnapshotEvent"]
    assert "was not recorded" in events[1].message  # type: ignore[union-attr]
    assert events[2].keyframe  # type: ignore[union-attr]
    assert recording_format.MAX_LINE_BYTES == 32 << 20  # (the reader's own limit)

"""`cockpit check --record FILE`: the check's snapshots and errors, on the record."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from cockpit.engine import judge_snapshot
from cockpit.recording import ErrorEvent, SnapshotEvent, open_recording
from cockpit.recording.replayed import replayed_snapshot
from tests.support import SAMPLES, run_cockpit

AT = "2011-09-29T23:00:00-05:00"


def test_check_records_what_it_judged(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "check.jsonl"
    missing = tmp_path / "no-such-root"
    proc = run_cockpit(
        "check",
        "--root",
        str(SAMPLES / "weblogs-2011"),
        "--root",
        str(missing),
        "--at",
        AT,
        "--format",
        "json",
        "--record",
        str(path),
    )
    assert proc.returncode == 2, proc.stderr
    judged = {h["name"]: h for h in json.loads(proc.stdout)["hosts"]}

    recording = open_recording(path)
    assert [h.name for h in recording.hosts] == ["weblogs-2011", "no-such-root"]
    assert recording.header.argv[:2] == ("cockpit", "check")
    assert "--record" in recording.header.argv
    events = {e.host: e for e in recording.events()}
    assert recording.issues == ()
    error = events["no-such-root"]
    assert isinstance(error, ErrorEvent) and error.category == "not-a-system"
    assert error.message == judged["no-such-root"]["error"]
    snap = events["weblogs-2011"]
    assert isinstance(snap, SnapshotEvent) and snap.keyframe
    again = judge_snapshot(replayed_snapshot(snap), datetime.fromisoformat(AT))
    assert again.verdict == judged["weblogs-2011"]["verdict"] == "unbootable"
    assert [f.id for f in again.findings] == [f["id"] for f in judged["weblogs-2011"]["findings"]]


def test_check_refuses_to_overwrite_a_file(tmp_path: Path) -> None:
    path = tmp_path / "check.jsonl"
    path.write_text("mine\n")
    proc = run_cockpit("check", "--root", str(SAMPLES / "weblogs-2011"), "--record", str(path))
    assert proc.returncode == 3
    assert proc.stdout.startswith("COCKPIT UNKNOWN - cannot record to")
    assert "already exists" in proc.stdout
    assert path.read_text() == "mine\n"

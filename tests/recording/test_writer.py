"""JsonlRecorder: the lines it writes, its keyframe policy, and how it fails."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.recording import JsonlRecorder, RecordingError, open_recording
from cockpit.recording.format import KEYFRAME_EVERY
from tests.recording.helpers import T0, at, sample, with_section, without_section
from tests.support import REPO

SPEC = HostSpec(name="weblogs-2011", kind="offline", root="/srv/weblogs")


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _recorder(path: Path) -> JsonlRecorder:
    return JsonlRecorder.create(path, argv=["cockpit", "-x"], hosts=[SPEC], now=T0)


def test_header_then_one_line_per_event_with_t_e_h_first(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "r.jsonl"
    rec = _recorder(path)
    snap = at(sample(), 0)
    rec.snapshot(snap)
    rec.error("weblogs-2011", "timeout", "no answer within 30s", T0 + timedelta(seconds=5))
    rec.note("FTP update started", T0 + timedelta(seconds=6), host="weblogs-2011")
    state = judge_snapshot(snap, T0)
    rec.quit_refused(T0 + timedelta(seconds=7), "q", [state])
    rec.quit_override(T0 + timedelta(seconds=8), "ctrl+q", "weblogs-2011", [state])
    rec.session_lost(T0 + timedelta(seconds=9), "SIGHUP", [state])
    rec.action(
        T0 + timedelta(seconds=10),
        "weblogs-2011",
        "disarm-cron",
        "/etc/crontab",
        "a",
        "b",
        True,
        "ok",
    )
    rec.close()
    assert rec.failed is None
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # crontabs and logs are private
    header, *events = _lines(path)
    assert header["format"] == "cockpit-recording" and header["version"] == 1
    assert header["argv"] == ["cockpit", "-x"]
    assert header["hosts"] == [
        {
            "name": "weblogs-2011",
            "kind": "offline",
            "mode": "offline",
            "root": "/srv/weblogs",
            "address": None,
        }
    ]
    assert datetime.fromisoformat(header["started"]) == T0
    kinds = [e["e"] for e in events]
    assert kinds == [
        "snapshot",
        "error",
        "note",
        "quit-refused",
        "quit-override",
        "session-lost",
        "action",
    ]
    for e in events:
        assert list(e)[:3] == ["t", "e", "h"]
        assert datetime.fromisoformat(e["t"]).utcoffset() is not None
    refused = events[3]
    assert refused["via"] == "q" and refused["h"] is None
    [host] = refused["hosts"]
    assert host["verdict"] == "unbootable"
    assert any(b["id"].startswith("init.") for b in host["blockers"])
    assert host["next_reboot"]["at"].startswith("2011-09-30T03:15:00")
    assert events[4]["typed"] == "weblogs-2011"
    assert events[5]["signal"] == "SIGHUP"


def test_keyframes_first_every_k_and_after_an_error_deltas_in_between(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    rec = _recorder(path)
    base = sample()
    n = 2 * KEYFRAME_EVERY + 5
    for i in range(n):
        rec.snapshot(at(with_section(base, "host.clock", f"tick {i}"), 5 * i))
    rec.error(base.host, "unreachable", "gone", T0 + timedelta(seconds=5 * n))
    rec.snapshot(at(base, 5 * n + 5))
    rec.snapshot(at(base, 5 * n + 10))
    rec.close()
    snaps = [e for e in _lines(path)[1:] if e["e"] == "snapshot"]
    keyframes = [i for i, e in enumerate(snaps) if e["k"]]
    assert keyframes == [0, KEYFRAME_EVERY, 2 * KEYFRAME_EVERY, n]
    assert [e["n"] for e in snaps] == list(range(n + 2))
    assert len(snaps[0]["set"]) == len(base.sections)
    assert snaps[1]["set"] == {
        "host.clock": ["ok", 0, "tick 1", False, snaps[0]["set"]["host.clock"][4]]
    }
    assert snaps[-1]["set"] == {} and "del" not in snaps[-1] and "order" not in snaps[-1]


def test_a_delta_holds_changes_removals_and_an_order_hint(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    rec = _recorder(path)
    base = sample()
    names = list(base.sections)
    first, moved = names[0], names[3]
    rec.snapshot(at(base, 0))
    rec.snapshot(at(without_section(base, first), 5))
    # A carried section goes last, as the cadence does with skipped probes.
    reordered = without_section(base, moved)
    reordered = with_section(reordered, moved, base.sections[moved].text)
    rec.snapshot(at(reordered, 10))
    rec.close()
    _, one, two = (e for e in _lines(path)[1:])
    assert one["del"] == [first] and one["set"] == {} and not one["k"]
    assert not two["k"] and "order" in two and len(two["order"]) <= 4
    replayed = [e.snapshot for e in open_recording(path).events()]
    assert list(replayed[2].sections) == list(reordered.sections)


def test_times_never_go_backwards(tmp_path: Path) -> None:
    """Readers binary-search by "t": a slow host's snapshot that started before an error
    line already written gets that line's time (its own is kept in "started")."""
    path = tmp_path / "r.jsonl"
    rec = _recorder(path)
    rec.error("a", "timeout", "x", T0 + timedelta(seconds=60))
    slow = at(sample(), 10)
    rec.snapshot(slow)
    rec.close()
    err, snap = _lines(path)[1:]
    assert snap["t"] == err["t"]
    assert datetime.fromisoformat(snap["started"]) == slow.started


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"SUDO_USER": "alice", "USER": "root"}, "alice"), ({"USER": "bob"}, "bob")],
)
def test_user_is_the_sudo_caller_then_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    monkeypatch.delenv("SUDO_USER", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    rec = _recorder(tmp_path / "r.jsonl")
    rec.note("hi", T0)
    rec.close()
    assert _lines(tmp_path / "r.jsonl")[1]["user"] == expected


def test_an_existing_file_is_never_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text("precious\n")
    with pytest.raises(RecordingError, match="already exists"):
        _recorder(path)
    assert path.read_text() == "precious\n"


def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(RecordingError, match="cannot record to"):
        _recorder(blocker / "r.jsonl")


_WRITER = textwrap.dedent(
    """
    import resource, signal, sys
    from dataclasses import replace
    from datetime import timedelta
    from cockpit.recording import JsonlRecorder
    from tests.recording.helpers import T0, sample, with_section
    from cockpit.hostspec import HostSpec
    base = sample()
    rec = JsonlRecorder.create(sys.argv[1], argv=[], hosts=[HostSpec(base.host, "offline")], now=T0)
    limit = int(sys.argv[2])
    if limit:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    print("ready", flush=True)
    i = 0
    while i < 100000 and rec.failed is None:
        snap = with_section(base, "host.clock", "x" * 3000 + str(i))
        rec.snapshot(replace(snap, started=T0 + timedelta(seconds=i)))
        i += 1
    print("failed:", rec.failed, flush=True)
    """
)


def test_a_full_disk_stops_the_record_without_raising(tmp_path: Path) -> None:
    """A real write failure (the file size limit: EFBIG, as ENOSPC would be): the app
    keeps running, `failed` says why, and what was written reads back."""
    path = tmp_path / "r.jsonl"
    proc = subprocess.run(
        [sys.executable, "-c", _WRITER, str(path), "100000"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "failed: File too large" in proc.stdout
    recording = open_recording(path)
    events = list(recording.events())
    assert len(events) >= 2
    assert len(recording.issues) <= 1
    assert all(e.snapshot.sections["host.clock"].text.startswith("xxx") for e in events)


def test_a_killed_writer_loses_at_most_the_line_being_written(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), "0"], cwd=REPO, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == b"ready\n"
    while path.stat().st_size < 200_000 and proc.poll() is None:
        time.sleep(0.005)
    assert proc.poll() is None, "the writer stopped by itself"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    recording = open_recording(path)
    events = list(recording.events())
    assert len(events) > 10
    assert [e.seq for e in events] == list(range(len(events)))
    assert len(recording.issues) <= 1
    assert all("cut off" in issue for issue in recording.issues)


def test_default_path_is_in_the_xdg_state_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cockpit.recording import default_recording_path

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    path = default_recording_path(
        datetime(2011, 9, 30, 3, 15, tzinfo=timezone(timedelta(hours=-5)))
    )
    assert path.parent == tmp_path / "cockpit" / "recordings"
    assert path.name == f"20110930T081500Z-{os.getpid()}.jsonl"

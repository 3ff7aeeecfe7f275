"""open_recording: typed events back, and clear words for every kind of bad input."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.recording import (
    ActionEvent,
    ErrorEvent,
    GuardEvent,
    JsonlRecorder,
    NoteEvent,
    RecordingError,
    SnapshotEvent,
    open_recording,
)
from cockpit.recording.rebuild import DAMAGED
from tests.recording.helpers import T0, at, sample, small

SPECS = [HostSpec("a", "local"), HostSpec("b", "ssh", address="b.example")]


def _write(path: Path, n: int = 10) -> list:
    """Hosts a and b, n small snapshots each (a keyframe, then deltas), and a note."""
    rec = JsonlRecorder.create(path, argv=["cockpit"], hosts=SPECS, now=T0)
    written = []
    for i in range(n):
        for host in ("a", "b"):
            snap = small(host, 5 * i + (host == "b"), clock=str(i), fixed="same", other=f"{host}")
            rec.snapshot(snap)
            written.append(snap)
    rec.note("done", T0 + timedelta(seconds=5 * n), host=None)
    rec.close()
    return written


def test_every_event_kind_reads_back_typed(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    rec = JsonlRecorder.create(path, argv=["cockpit", "web1"], hosts=SPECS, now=T0)
    snap = at(sample(), 1)
    state = judge_snapshot(snap, T0)
    rec.snapshot(snap)
    rec.error("b", "hostkey", "host key changed", T0 + timedelta(seconds=2))
    rec.note("going home", T0 + timedelta(seconds=3))
    rec.quit_refused(T0 + timedelta(seconds=4), "SIGTERM", [state])
    rec.quit_override(T0 + timedelta(seconds=5), "q", "weblogs-2011", [state])
    rec.session_lost(T0 + timedelta(seconds=6), "SIGHUP", [state])
    rec.action(T0 + timedelta(seconds=7), "a", "atrm", "job 4", "at 03:15", "", False, "denied")
    rec.close()

    recording = open_recording(path)
    assert [h.name for h in recording.hosts] == ["a", "b"]
    assert recording.hosts[1].address == "b.example"
    assert recording.header.argv == ("cockpit", "web1")
    assert recording.start == T0
    assert recording.end == T0 + timedelta(seconds=7)
    events = list(recording.events())
    assert [type(e) for e in events] == [
        SnapshotEvent,
        ErrorEvent,
        NoteEvent,
        GuardEvent,
        GuardEvent,
        GuardEvent,
        ActionEvent,
    ]
    first = events[0]
    assert isinstance(first, SnapshotEvent) and first.keyframe and first.seq == 0
    assert first.snapshot == snap and list(first.snapshot.sections) == list(snap.sections)
    assert events[1] == ErrorEvent(T0 + timedelta(seconds=2), "b", "hostkey", "host key changed")
    note = events[2]
    assert isinstance(note, NoteEvent) and note.host is None and note.text == "going home"
    refused, override, lost = events[3:6]
    assert isinstance(refused, GuardEvent) and isinstance(override, GuardEvent)
    assert isinstance(lost, GuardEvent)
    assert (refused.kind, refused.via, refused.typed) == ("quit-refused", "SIGTERM", None)
    assert (override.kind, override.typed) == ("quit-override", "weblogs-2011")
    assert (lost.kind, lost.via) == ("session-lost", "SIGHUP")
    [guarded] = refused.hosts
    assert guarded.verdict == "unbootable" and guarded.blockers
    assert guarded.next_reboot is not None and guarded.next_reboot.at == state.next_reboot.at  # type: ignore[union-attr]
    action = events[6]
    assert isinstance(action, ActionEvent) and (action.kind, action.ok) == ("atrm", False)
    assert recording.issues == ()


def test_unknown_keys_and_event_kinds_from_a_newer_writer_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    written = _write(path, 3)
    lines = path.read_text().splitlines()
    extra = json.loads(lines[2])
    extra["shiny"] = {"new": 1}
    lines[2] = json.dumps(extra)
    lines.insert(3, json.dumps({"t": extra["t"], "e": "hologram", "h": None, "x": 1}))
    path.write_text("\n".join(lines) + "\n")
    recording = open_recording(path)
    snaps = [e.snapshot for e in recording.events() if isinstance(e, SnapshotEvent)]
    assert snaps == written
    assert recording.issues == ()


def test_a_truncated_last_line_is_skipped_and_said(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    written = _write(path, 4)
    data = path.read_bytes()
    path.write_bytes(data[:-9])  # the note line, cut
    recording = open_recording(path)
    [issue] = recording.issues
    assert "cut off" in issue and "interrupted" in issue
    events = list(recording.events())
    assert [e.snapshot for e in events if isinstance(e, SnapshotEvent)] == written
    assert not any(isinstance(e, NoteEvent) for e in events)
    assert recording.end == written[-1].started + timedelta(seconds=0.25)


def test_a_whole_last_line_without_its_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    _write(path, 2)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    recording = open_recording(path)
    assert recording.issues == ()
    assert isinstance(list(recording.events())[-1], NoteEvent)


def test_a_corrupt_line_in_the_middle_costs_that_host_until_its_next_keyframe(
    tmp_path: Path,
) -> None:
    """Line 6 (host a's 3rd snapshot) is garbage: a's deltas after it would rest on a
    snapshot we lost, so a is unknown (one recording-damaged error) until its next
    keyframe; b is untouched; the issue names the line."""
    path = tmp_path / "r.jsonl"
    written = _write(path, 8)
    lines = path.read_text().splitlines()
    assert json.loads(lines[5])["h"] == "a"
    lines[5] = lines[5][:40] + "\x00garbage"
    path.write_text("\n".join(lines) + "\n")
    recording = open_recording(path)
    events = list(recording.events())
    assert recording.issues[0] == "line 6: not valid JSON, skipped"
    assert "host 'a'" in recording.issues[1] and recording.issues[1].startswith("line 8:")
    assert len(recording.issues) == 2
    b_snaps = [e.snapshot for e in events if isinstance(e, SnapshotEvent) and e.host == "b"]
    assert b_snaps == written[1::2]
    a_events = [e for e in events if e.host == "a"]
    assert [type(e).__name__ for e in a_events] == ["SnapshotEvent", "SnapshotEvent", "ErrorEvent"]
    damaged = a_events[2]
    assert isinstance(damaged, ErrorEvent) and damaged.category == DAMAGED
    # state_at after the damage says unknown for a, never a stale snapshot.
    state = recording.state_at(recording.end)
    assert isinstance(state["a"], ErrorEvent) and isinstance(state["b"], SnapshotEvent)


def test_deltas_resume_at_the_next_keyframe(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    written = _write(path, 70)  # a keyframe again at a's 61st snapshot
    lines = path.read_text().splitlines()
    lines[5] = "{"
    path.write_text("\n".join(lines) + "\n")
    events = list(open_recording(path).events())
    a_snaps = [e for e in events if isinstance(e, SnapshotEvent) and e.host == "a"]
    assert [e.seq for e in a_snaps] == [0, 1, *range(60, 70)]
    assert a_snaps[2].keyframe and a_snaps[-1].snapshot == written[-2]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b'[{"name": "web1"}]\n', "JSON array"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, "a PNG image"),
        (b"hello, I am a shopping list\nmilk\n", "first line is not JSON"),
        (b'{"cockpit": "0.1.0", "hosts": []}\n', "cockpit check --format json"),
        (b'{"format": "other", "version": 1}\n', "not a cockpit recording"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 100, "gunzip"),
    ],
)
def test_not_a_recording_says_what_it_is(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "thing"
    path.write_bytes(content)
    with pytest.raises(RecordingError) as caught:
        open_recording(path)
    message = str(caught.value)
    assert str(path) in message and words in message


def test_a_future_version_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    header = {
        "format": "cockpit-recording",
        "version": 2,
        "cockpit": "9.0.0",
        "started": T0.isoformat(),
        "argv": [],
        "hosts": [],
    }
    path.write_text(json.dumps(header) + "\n")
    with pytest.raises(
        RecordingError, match=r"version 2 recording, written by cockpit 9\.0\.0.*upgrade"
    ):
        open_recording(path)


def test_missing_files_and_directories(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="no such file"):
        open_recording(tmp_path / "nope.jsonl")
    with pytest.raises(RecordingError, match="is a directory"):
        open_recording(tmp_path)


def test_a_header_alone_is_an_empty_session(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    JsonlRecorder.create(path, argv=[], hosts=SPECS, now=T0).close()
    recording = open_recording(path)
    assert list(recording.events()) == [] and recording.state_at(T0) == {}
    assert recording.end == recording.start == T0

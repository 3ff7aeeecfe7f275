"""The replay cursor on recordings written by the real JsonlRecorder."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cockpit.hostspec import HostSpec
from cockpit.recording import JsonlRecorder, NoteEvent, SnapshotEvent, open_recording
from cockpit.recording.cursor import (
    MAX_SPEED,
    SPEEDS,
    ReplayCursor,
    event_marks,
    jump_target,
    parse_jump,
)
from tests.recording.helpers import T0, small
from tests.support import SAMPLES

SPECS = [HostSpec("a", "local"), HostSpec("b", "local")]
INCIDENT = SAMPLES / "sessions" / "weblogs-2011.jsonl"


def write(path: Path, n: int = 12) -> Path:
    """a every 10 s from T0+10, b every 10 s from T0+15, a note at T0+62."""
    rec = JsonlRecorder.create(path, argv=["cockpit"], hosts=SPECS, now=T0)
    for i in range(1, n + 1):
        rec.snapshot(small("a", 10 * i - 0.25, clock=str(i)))  # recorded at its end: +10 s
        rec.snapshot(small("b", 10 * i + 5 - 0.25, clock=str(i)))
        if i == 6:
            rec.note("leaving soon", T0 + timedelta(seconds=62))
    rec.close()
    return path


def secs(t: datetime) -> float:
    return (t - T0).total_seconds()


@pytest.fixture
def cursor(tmp_path: Path) -> ReplayCursor:
    return ReplayCursor(open_recording(write(tmp_path / "r.jsonl")))


def test_play_moves_the_recorded_clock_by_speed_and_returns_what_it_crossed(
    cursor: ReplayCursor,
) -> None:
    assert cursor.position == T0 and not cursor.playing
    assert cursor.advance(5.0) == []  # paused: nothing moves
    assert cursor.position == T0
    cursor.toggle()
    cursor.speed = 10.0
    crossed = cursor.advance(2.0)  # 20 recorded seconds
    assert secs(cursor.position) == 20
    assert [(e.host, secs(e.t)) for e in crossed] == [("a", 10), ("b", 15), ("a", 20)]
    crossed = cursor.advance(5.0)  # to 70: b@25, a@30 ... the note at 62
    kinds = [type(e).__name__ for e in crossed]
    assert "NoteEvent" in kinds
    assert all(secs(e.t) > 20 and secs(e.t) <= 70 for e in crossed)
    assert [secs(e.t) for e in crossed] == sorted(secs(e.t) for e in crossed)


def test_play_stops_at_the_end(cursor: ReplayCursor) -> None:
    cursor.toggle()
    cursor.speed = MAX_SPEED
    crossed = cursor.advance(10.0)
    assert cursor.position == cursor.end and secs(cursor.end) == 125
    assert not cursor.playing
    assert len(crossed) == 25  # 24 snapshots and the note, each once
    assert cursor.toggle() is False  # at the end: nothing to play


def test_speed_steps_from_1x_to_1000x_and_stays_there(cursor: ReplayCursor) -> None:
    seen = [cursor.speed]
    for _ in range(len(SPEEDS) + 2):
        seen.append(cursor.faster())
    assert seen[: len(SPEEDS)] == list(SPEEDS) and seen[-1] == 1000.0
    for _ in range(len(SPEEDS) + 2):
        cursor.slower()
    assert cursor.speed == 1.0


def test_step_next_and_prev_walk_event_by_event(cursor: ReplayCursor) -> None:
    got = [secs(cursor.step_next()[0].t) for _ in range(3)]
    assert got == [10, 15, 20]
    state = cursor.step_prev()
    assert secs(cursor.position) == 15
    assert {h: secs(e.t) for h, e in state.items()} == {"a": 10, "b": 15}
    cursor.step_prev()
    assert secs(cursor.position) == 10
    assert set(cursor.state()) == {"a"}  # b not yet recorded: absent, i.e. unknown
    cursor.step_prev()
    assert cursor.position == cursor.start
    assert [secs(e.t) for e in cursor.step_next()] == [10]  # no event skipped or repeated


def test_jump_gives_each_hosts_full_snapshot_at_that_time(cursor: ReplayCursor) -> None:
    state = cursor.jump(T0 + timedelta(seconds=47))
    assert {h: secs(e.t) for h, e in state.items()} == {"a": 40, "b": 45}
    a = state["a"]
    assert isinstance(a, SnapshotEvent) and a.snapshot.sections["clock"].text == "4"
    cursor.toggle()
    crossed = cursor.advance(3.0)  # after a jump, play continues from there
    assert [(e.host, secs(e.t)) for e in crossed] == [("a", 50)]
    assert cursor.jump(T0 - timedelta(days=1)) == {} and cursor.position == cursor.start
    cursor.jump(T0 + timedelta(days=1))
    assert cursor.position == cursor.end


def test_next_verdict_change_tells_the_incident_story() -> None:
    cursor = ReplayCursor(open_recording(INCIDENT))
    found = []
    while (result := cursor.next_verdict_change()).change is not None:
        found.append((result.change.before, result.change.after))
        assert cursor.position == result.change.t
    assert result.reason == "end"
    assert ("bootable", "unbootable") in found
    bad = found.index(("bootable", "unbootable"))
    assert found[bad + 1] == ("unbootable", "unknown")  # 03:15: the reboot, then silence


def test_next_verdict_change_is_bounded(tmp_path: Path) -> None:
    cursor = ReplayCursor(open_recording(write(tmp_path / "r.jsonl")))
    cursor.step_next()  # a judged from here; nothing changes its verdict afterwards
    result = cursor.next_verdict_change(limit=5)
    assert result.change is None or result.scanned <= 5
    if result.change is None:
        assert result.reason == "limit" and result.scanned == 5


def test_a_corrupt_line_is_skipped_and_named(tmp_path: Path) -> None:
    path = write(tmp_path / "r.jsonl")
    lines = path.read_bytes().split(b"\n")
    lines[6] = b'{"t":"2011-09-29T22:00:33-05:00","e":"snapshot","h":"a", garbage'
    path.write_bytes(b"\n".join(lines))
    recording = open_recording(path)
    cursor = ReplayCursor(recording)
    cursor.toggle()
    cursor.speed = MAX_SPEED
    crossed = cursor.advance(1.0)
    assert len(crossed) < 25 and cursor.at_end
    assert recording.issues  # said, not guessed


def test_parse_jump() -> None:
    pos = datetime.fromisoformat("2011-09-29T22:00:00-05:00")
    assert parse_jump("+10m", pos) == pos + timedelta(minutes=10)
    assert parse_jump("-1.5h", pos) == pos - timedelta(minutes=90)
    # A bare time is the first such time at or after the cursor (issue 13 §6: 03:15 at
    # 22:00 is tomorrow's, never the morning before the recording began).
    assert parse_jump("03:15", pos) == datetime.fromisoformat("2011-09-30T03:15:00-05:00")
    assert parse_jump("23:59:30", pos) == datetime.fromisoformat("2011-09-29T23:59:30-05:00")
    assert parse_jump("22:00", pos) == pos
    iso = "2011-09-30T03:15:00-05:00"
    assert parse_jump(iso, pos) == datetime.fromisoformat(iso)
    assert parse_jump("2011-09-30T03:15", pos) == datetime.fromisoformat(iso)
    for bad in ("", "soon", "25:00", "+m", "+xm", "12:60"):
        assert parse_jump(bad, pos) is None, bad


def test_a_jump_lands_inside_the_recording_or_says_why() -> None:
    start = datetime.fromisoformat("2011-09-29T15:55:00-05:00")
    end = datetime.fromisoformat("2011-09-30T03:59:10-05:00")
    pos = datetime.fromisoformat("2011-09-29T22:00:00-05:00")
    target, why = jump_target("03:15", pos, start, end)
    assert target == datetime.fromisoformat("2011-09-30T03:15:00-05:00") and why == ""
    target, why = jump_target("16:00", pos, start, end)  # tomorrow's 16:00: after the end
    assert target is None and "outside the recording" in why and "2011-09-30 16:00:00" in why
    assert jump_target("soon", pos, start, end)[1].startswith("not a time")


def test_marks_are_the_events_worth_seeing() -> None:
    recording = open_recording(INCIDENT)
    marks = event_marks(recording)
    kinds = {m.kind for m in marks}
    assert "note" in kinds and "error" in kinds
    notes = [e for e in recording.events() if isinstance(e, NoteEvent)]
    assert len([m for m in marks if m.kind == "note"]) == len(notes)
    assert [m.t for m in marks] == sorted(m.t for m in marks)

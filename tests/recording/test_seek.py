"""Seeking without reading the file: state_at and events(start) agree with a full read.

The brute-force answer comes from `events()` read from the first line; the seek answer
from a binary search plus a scan back to keyframes. Tiny read windows make every line
cross a chunk boundary somewhere.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from cockpit.hostspec import HostSpec
from cockpit.recording import ErrorEvent, JsonlRecorder, SnapshotEvent, open_recording
from cockpit.recording import seek as seek_module
from cockpit.recording.seek import Lines
from tests.recording.helpers import T0, small

HOSTS = ["alpha", "beta", "gamma", "quiet"]


def _session(path: Path, seed: int) -> None:
    """~600 events: three busy hosts with errors, changes, removals; "quiet" speaks only
    at the start (a seek must scan back to the top for it); notes from time to time."""
    rng = random.Random(seed)
    rec = JsonlRecorder.create(path, argv=[], hosts=[HostSpec(h, "local") for h in HOSTS], now=T0)
    rec.snapshot(small("quiet", 0, a="quiet"))
    texts = {h: {"clock": "0", "cron": "x", "boot": "y"} for h in HOSTS}
    for i in range(1, 200):
        for host in HOSTS[:3]:
            when = T0 + timedelta(seconds=5 * i + rng.random())
            roll = rng.random()
            if roll < 0.04:
                rec.error(host, "timeout", f"no answer {i}", when)
                continue
            sections = texts[host]
            sections["clock"] = str(i)
            if roll < 0.2:
                sections["cron"] = rng.choice(["x", "y\nz", "\u00e9\x1b[2J"])
            if roll > 0.9:
                sections.pop("boot", None) if "boot" in sections else sections.setdefault(
                    "boot", "b"
                )
            rec.snapshot(small(host, 5 * i, **sections))
        if rng.random() < 0.05:
            rec.note(f"note {i}", T0 + timedelta(seconds=5 * i + 2))
    rec.close()


@pytest.fixture(params=[1, 2])
def recording_path(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    path = tmp_path / "r.jsonl"
    _session(path, request.param)
    return path


def _brute_state(events: list, t) -> dict:
    state: dict = {}
    for e in events:
        if e.t <= t and isinstance(e, SnapshotEvent | ErrorEvent):
            state[e.host] = e
    return state


@pytest.mark.parametrize("tiny", [False, True])
def test_state_at_and_events_from_agree_with_a_full_read(
    recording_path: Path, tiny: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if tiny:
        monkeypatch.setattr(seek_module, "_CHUNK", 97)
        monkeypatch.setattr(seek_module, "_WINDOW", 13)
    recording = open_recording(recording_path)
    everything = list(recording.events())
    assert recording.issues == ()
    assert recording.end == everything[-1].t
    rng = random.Random(7)
    span = (recording.end - recording.start).total_seconds()
    times = [
        recording.start - timedelta(seconds=1),
        recording.end,
        recording.end + timedelta(hours=1),
    ]
    times += [e.t for e in rng.sample(everything, 15)]  # exactly on an event
    times += [recording.start + timedelta(seconds=rng.uniform(0, span)) for _ in range(15)]
    for t in times:
        assert recording.state_at(t) == _brute_state(everything, t), t
        assert list(recording.events(t)) == [e for e in everything if e.t >= t], t
    assert recording.issues == ()


def test_the_quiet_host_is_found_however_far_back(recording_path: Path) -> None:
    recording = open_recording(recording_path)
    state = recording.state_at(recording.end)
    quiet = state["quiet"]
    assert isinstance(quiet, SnapshotEvent) and quiet.seq == 0
    assert set(state) == set(HOSTS)
    assert recording.state_at(recording.start - timedelta(seconds=1)) == {}


def test_lines_forward_and_backward_see_the_same_lines(
    recording_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seek_module, "_CHUNK", 101)
    data = recording_path.read_bytes()
    start = data.index(b"\n") + 1
    with recording_path.open("rb") as f:
        lines = Lines(f, start, len(data))
        forward = list(lines.forward(start))
        backward = list(lines.backward(len(data)))
        middle = forward[len(forward) // 2][0]
        assert list(lines.backward(middle)) == backward[len(forward) - len(forward) // 2 :]
        for offset, line in forward[::37]:
            assert lines.line_start(offset + len(line) // 2) == offset
    assert backward == forward[::-1]
    assert b"\n".join(line for _, line in forward) + b"\n" == data[start:]

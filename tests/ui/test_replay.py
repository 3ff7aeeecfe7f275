"""Replay in the app: the incident session's screens on the recorded clock, driven by keys."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.recording import JsonlRecorder, open_recording
from cockpit.ui.fleet_screen import FleetScreen
from cockpit.ui.replay_app import ReplayApp
from cockpit.ui.replay_source import ReplaySource
from cockpit.ui.timeline_bar import JumpScreen, TimelineBar
from tests.support import SAMPLES, collect_root, run_cockpit
from tests.ui.conftest import screen_lines, wait_until

INCIDENT = SAMPLES / "sessions" / "weblogs-2011.jsonl"
CDT = datetime.fromisoformat("2011-09-29T00:00:00-05:00").tzinfo


def verdict(app: ReplayApp, host: str = "weblogs-2011") -> str | None:
    entry = app.book.get(host)
    return entry.state.verdict if entry is not None and entry.state is not None else None


def bar_text(app: ReplayApp) -> str:
    return str(app.screen.query_one(TimelineBar).render())


def replay(path: Path = INCIDENT, **kwargs: object) -> tuple[ReplayApp, ReplaySource]:
    recording = open_recording(path)
    source = ReplaySource(recording, **kwargs)  # type: ignore[arg-type]
    return ReplayApp(recording, source), source


async def test_opens_paused_on_the_first_event_and_says_replay() -> None:
    app, source = replay()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: verdict(app) is not None)
        assert verdict(app) == "bootable"  # 15:55: before the unmerge
        assert not source.cursor.playing
        assert source.cursor.position == source.cursor.start + timedelta(milliseconds=50)
        assert app.clock() == source.cursor.position  # the app runs on the recorded clock
        lines = screen_lines(app)
        bar = next(line for line in lines if "REPLAY ⏸" in line)  # the bar, drawn
        assert "paused" in bar and "15:55" in bar and "03:59" in bar
        assert "no quit guard" in app.header_text() and "host is not ours" in app.header_text()


async def test_next_verdict_change_walks_the_incident_and_q_leaves_without_a_guard() -> None:
    app, source = replay()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: verdict(app) is not None)
        await pilot.press("V")
        await wait_until(pilot, lambda: verdict(app) == "unbootable", within=60)
        assert source.cursor.position.astimezone(CDT).strftime("%H:%M") == "20:11"
        assert "weblogs-2011: BOOTABLE→UNBOOTABLE" in bar_text(app)
        # The countdown as it was that evening, in the host's time.
        assert "03:15 CDT" in " ".join(" ".join(screen_lines(app)).split())
        await pilot.press("V")
        await wait_until(pilot, lambda: verdict(app) == "unknown", within=60)
        assert source.cursor.position.astimezone(CDT).strftime("%H:%M") == "03:15"
        await pilot.press("q")  # unknown with nothing to save: replay has no guard at all
        await pilot.pause()
    assert not app.is_running and app.return_value is None


async def test_jump_step_and_countdown_as_recorded() -> None:
    app, source = replay()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: verdict(app) is not None)
        await pilot.press("t")  # g is "first row" in lists: the jump is t (time)
        await pilot.pause()
        assert isinstance(app.screen, JumpScreen)
        await pilot.press(*"23:00", "enter")
        await wait_until(pilot, lambda: source.cursor.position.hour == 23)
        await pilot.pause(0.3)
        at = source.cursor.position
        assert at == datetime.fromisoformat("2011-09-29T23:00:00-05:00")
        assert verdict(app) == "unbootable"
        entry = app.book.get("weblogs-2011")
        assert entry is not None and entry.state is not None
        reboot = entry.state.next_reboot
        assert reboot is not None and reboot.at is not None
        host_now = entry.host_now(app.clock())
        assert host_now is not None
        assert reboot.at - host_now == timedelta(hours=4, minutes=15)  # as the admin saw it

        await pilot.press("full_stop")
        await wait_until(pilot, lambda: source.cursor.position > at)
        after = source.cursor.position
        await pilot.press("comma")
        await wait_until(pilot, lambda: source.cursor.position < after)
        assert source.cursor.position <= at


async def test_play_at_speed_moves_the_clock_and_space_pauses() -> None:
    app, source = replay()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: verdict(app) is not None)
        for _ in range(9):
            await pilot.press("plus")
        assert source.cursor.speed == 1000.0
        start = source.cursor.position
        await pilot.press("space")
        await pilot.pause(1.0)
        await pilot.press("space")
        moved = (source.cursor.position - start).total_seconds()
        assert 400 <= moved <= 3000  # ~1 s of real time at 1000x, on a loaded box
        assert not source.cursor.playing
        await pilot.pause(0.6)
        assert re.search(r"paused +1000x", bar_text(app))
        stopped = source.cursor.position
        await pilot.pause(0.6)
        assert source.cursor.position == stopped


T0 = datetime.fromisoformat("2011-09-29T22:00:00-05:00")
TREES = ("weblogs-2011", "debian12-systemd")


@pytest.fixture
def fleet_recording(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Two sample trees recorded by the real JsonlRecorder, then an error for one."""
    path = tmp_path / "fleet.jsonl"
    specs = [HostSpec(t, "offline", root=str(SAMPLES / t)) for t in TREES]
    recorder = JsonlRecorder.create(path, argv=["cockpit"], hosts=specs, now=T0)
    live = {}
    for i, tree in enumerate(TREES):
        snap = replace(collect_root(SAMPLES / tree), started=T0 + timedelta(seconds=i + 1))
        recorder.snapshot(snap)
        live[tree] = judge_snapshot(snap).verdict
    recorder.error("debian12-systemd", "timeout", "no answer in 10s", T0 + timedelta(seconds=9))
    recorder.close()
    return path, live


async def test_a_fleet_recorded_by_the_writer_replays_with_the_live_verdicts(
    fleet_recording: tuple[Path, dict[str, str]],
) -> None:
    path, live = fleet_recording
    trees = TREES
    app, _ = replay(path, start=T0 + timedelta(seconds=5))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: all(e.state is not None for e in app.book))
        assert isinstance(app.screen, FleetScreen)
        assert {t: verdict(app, t) for t in trees} == live
        assert bar_text(app)  # the bar is on the fleet screen too
        await pilot.press("full_stop")
        await wait_until(pilot, lambda: verdict(app, "debian12-systemd") == "unknown")
        assert "timeout" in bar_text(app)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"hello\n", "not a cockpit recording"),
        (b'{"format":"cockpit-recording","version":9}\n', "version"),
    ],
)
def test_bad_files_exit_3_with_one_clear_line(tmp_path: Path, content: bytes, words: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    done = run_cockpit("replay", str(bad))
    assert done.returncode == 3
    assert words in done.stderr and "Traceback" not in done.stderr


def test_usage_mistakes_exit_3(tmp_path: Path) -> None:
    assert run_cockpit("replay", str(tmp_path / "missing.jsonl")).returncode == 3
    for args in (("--speed", "0"), ("--speed", "fast"), ("--start", "yesterday")):
        done = run_cockpit("replay", str(INCIDENT), *args)
        assert done.returncode == 3, args
        assert "cockpit replay:" in done.stderr
    done = run_cockpit("replay", str(INCIDENT), "--start", "2030-01-01T00:00:00+00:00")
    assert done.returncode == 3 and "outside the recording" in done.stderr
    header = json.loads(INCIDENT.read_text().splitlines()[0])
    assert header["format"] == "cockpit-recording"

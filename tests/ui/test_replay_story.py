"""Issue 13 §3, §4, §6: replay on the incident evening tells the story with one clock.

The reconstructed session (sample_hosts/sessions/weblogs-2011.jsonl) is replayed in the
real ReplayApp at 80x24; every assertion reads what is on the frame.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cockpit.recording import open_recording
from cockpit.ui.help_screen import HelpScreen
from cockpit.ui.host_screen import HostScreen
from cockpit.ui.replay_app import ReplayApp
from cockpit.ui.replay_source import STATUS_S, ReplaySource
from cockpit.ui.timeline_bar import TimelineView, bar_line, render_bar
from tests.support import SAMPLES
from tests.ui.conftest import screen_lines, wait_until

INCIDENT = SAMPLES / "sessions" / "weblogs-2011.jsonl"
CDT = datetime.fromisoformat("2011-09-29T00:00:00-05:00").tzinfo
REFUSED = datetime.fromisoformat("2011-09-29T22:58:10-05:00")
OVERRIDE = datetime.fromisoformat("2011-09-29T22:59:30-05:00")


def replay(path: Path = INCIDENT) -> tuple[ReplayApp, ReplaySource]:
    recording = open_recording(path)
    source = ReplaySource(recording)
    return ReplayApp(recording, source), source


def text(app: ReplayApp) -> str:
    return "\n".join(screen_lines(app))


def words(app: ReplayApp) -> str:
    """The frame as one line of words (what wraps at 80 columns reads whole)."""
    return " ".join(re.sub(r"[│┃]", " ", text(app)).split())


async def opened(pilot, app: ReplayApp, source: ReplaySource) -> None:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: isinstance(app.screen, HostScreen), within=30)
    await wait_until(pilot, lambda: source.story.scanned and "REPLAY ⏸" in text(app), within=60)


async def test_marks_are_walked_with_brackets_and_said_whole() -> None:
    app, source = replay()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app, source)
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: source.cursor.position == REFUSED, within=30)
        await wait_until(pilot, lambda: "quit refused (via q)" in text(app), within=10)
        assert "22:58:10 quit refused (via q): weblogs-2011 UNBOOTABLE" in text(app)
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: source.cursor.position == OVERRIDE, within=30)
        await wait_until(pilot, lambda: "left on the record" in text(app), within=10)
        assert "typed 'weblogs-2011'" in text(app)
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: source.cursor.position == REFUSED, within=30)


async def test_one_clock_on_the_frame_in_the_hosts_zone() -> None:
    """Every time on the frame comes from one now: the top line's host time and the
    bar's clock are the same second, in CDT (never UTC-05:00), and every countdown to
    the 03:15 reboot (banner, reboot row, findings) says the same thing."""
    app, source = replay()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app, source)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await wait_until(pilot, lambda: source.cursor.position == OVERRIDE, within=30)
        await pilot.press("f")  # the findings list, where the frozen countdowns were
        await pilot.pause(0.5)
        frame = text(app)
        assert "UTC-05:00" not in frame
        clocks = set(re.findall(r"\b(\d\d:\d\d:\d\d) ([A-Z]{3})\b", frame))
        assert clocks == {("22:59:30", "CDT")}, frame
        countdowns = set(re.findall(r"\bin (\d+h\d\dm)\b", frame))
        assert countdowns == {"4h15m"}, frame  # 03:15:00 - 22:59:30, said once everywhere


async def test_a_bare_time_jumps_forward_inside_the_recording() -> None:
    app, source = replay()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app, source)
        await pilot.press("t")
        await wait_until(pilot, lambda: "first 03:15 at or after the cursor" in words(app))
        await pilot.press(*"15:00", "enter")  # at 15:55, tomorrow's 15:00: after the end
        await wait_until(pilot, lambda: "outside the recording" in words(app))
        await pilot.press("ctrl+a", "ctrl+k", *"03:15:30", "enter")
        target = datetime.fromisoformat("2011-09-30T03:15:30-05:00")
        await wait_until(pilot, lambda: source.cursor.position == target, within=30)
        # The reboot the report tells of, said in the banner at the cursor: the reboot
        # watch live showed at that second.
        await wait_until(pilot, lambda: "reboot fired" in words(app), within=10)
        assert (
            "rebooting since 03:15:00 (root's crontab reboot fired; unreachable since"
            " 03:15:01), 30 s: predicted UNBOOTABLE" in words(app)
        )


async def test_help_explains_the_bars_marks() -> None:
    app, source = replay()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app, source)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = app.screen.query_one("#help-keys").render()
        shown = str(help_text)
        for symbol in ("●", "!", "r", "n", "x", "#"):
            assert re.search(rf"^ {re.escape(symbol)} ", shown, re.M), symbol
        assert "Next marked event" in shown and "(screen)" not in shown
        assert "Note" not in shown  # a finished session takes no notes: n is not offered


def _view(status: str = "", marks: tuple = ()) -> TimelineView:  # type: ignore[type-arg]
    start = datetime.fromisoformat("2011-09-29T15:55:00-05:00")
    end = datetime.fromisoformat("2011-09-30T03:59:10-05:00")
    return TimelineView(REFUSED, start, end, 1.0, False, marks, status)


def test_the_track_keeps_its_cells_when_a_message_appears() -> None:
    from cockpit.recording.cursor import Mark

    marks = (Mark(OVERRIDE + timedelta(hours=4), "quit-override", None),)
    quiet, said = _view("", marks), _view("22:58:10 quit refused (via q): a long message", marks)
    assert bar_line(quiet, 80).plain == bar_line(said, 80).plain
    assert bar_line(quiet, 80).plain.index("!") == bar_line(said, 80).plain.index("!")
    assert "quit refused" in render_bar(said, 80).plain.splitlines()[1]


def test_status_messages_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    import cockpit.ui.replay_source as rs

    source = ReplaySource(open_recording(INCIDENT))
    clock = [1000.0]
    monkeypatch.setattr(rs.time, "monotonic", lambda: clock[0])
    source.status = "jumped to 23:00"
    assert source.view().status == "jumped to 23:00"
    clock[0] += STATUS_S + 0.1
    assert source.view().status == ""


def damaged_copy(tmp_path: Path) -> tuple[Path, datetime]:
    """The incident with one snapshot line of the evening cut in half: its host's later
    deltas lose their base until the next keyframe."""
    lines = INCIDENT.read_bytes().splitlines(keepends=True)
    i = next(
        n
        for n, line in enumerate(lines)
        if b'"e":"snapshot"' in line[:120] and b'"t":"2011-09-29T21:' in line[:120]
    )
    broken = lines[i][: len(lines[i]) // 2] + b"\n"
    at = datetime.fromisoformat(lines[i][6:40].decode().split('"')[0])
    path = tmp_path / "damaged.jsonl"
    path.write_bytes(b"".join([*lines[:i], broken, *lines[i + 1 :]]))
    return path, at


async def test_a_damaged_recording_is_said_up_front_and_at_the_gap(tmp_path: Path) -> None:
    path, at = damaged_copy(tmp_path)
    app, source = replay(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app, source)
        # Up front: before replay reaches the gap, the bar's second line says it.
        await wait_until(pilot, lambda: "RECORDING DAMAGED" in text(app), within=10)
        assert source.cursor.position < at
        assert any(m.kind == "damaged" for m in source.marks)  # from the quick scan
        await source.jump(at - timedelta(minutes=1))
        await pilot.press("full_stop")  # step into the gap, as the admin would
        await wait_until(pilot, lambda: source.cursor.position > at, within=30)
        await pilot.pause(0.3)
        shown = " ".join(text(app).split())
        assert "UNREACHABLE" not in shown
        assert "RECORDING DAMAGED" in shown


async def test_after_the_reboot_times_stay_in_the_hosts_zone() -> None:
    """Opened straight at 03:15:30 the host has no clock (it stopped answering): the bar
    still says CDT, from the recording, never the raw offset UTC-05:00."""
    recording = open_recording(INCIDENT)
    source = ReplaySource(recording, start=datetime.fromisoformat("2011-09-30T03:15:30-05:00"))
    app = ReplayApp(recording, source)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app, source)
        await pilot.pause(0.5)
        assert "03:15:30 CDT" in text(app)
        assert "UTC-05:00" not in text(app)
        await pilot.press("escape")  # the fleet: every host unreachable, same zone
        await pilot.pause(0.5)
        assert "03:15:30 CDT" in text(app) and "UTC-05:00" not in text(app)

"""The app's edges: every way out goes through the quit guard, the header, the record."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from textual.app import SystemCommand

from cockpit.cli import app_cmd
from cockpit.recording.session_log import NullLog
from cockpit.ui.app import CockpitApp, css_path
from tests.support_log import MemoryLog
from tests.ui.conftest import FrozenClock, all_read, sample_specs, wait_until


async def test_q_ctrl_q_and_the_palette_quit_all_meet_the_guard(clock: FrozenClock) -> None:
    from cockpit.ui.refusal_screen import RefusalScreen

    app = CockpitApp(sample_specs("weblogs-2011", "debian12-systemd"), log=MemoryLog(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        await pilot.press("q")
        assert isinstance(app.screen, RefusalScreen) and app.is_running
        app.pop_screen()
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, RefusalScreen) and app.is_running
        app.pop_screen()
        await pilot.pause()
        quit_cmd = next(
            c for c in app.get_system_commands(app.screen) if isinstance(c, SystemCommand)
            and c.title == "Quit"
        )  # fmt: skip
        quit_cmd.callback()
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen) and app.is_running
        app.pop_screen()
        await app.action_quit()  # anything still calling Textual's quit action
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen) and app.is_running


async def test_a_bootable_fleet_quits_at_once(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs("debian12-systemd", "alpine320-openrc"), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_header_says_read_only_and_where_the_record_goes(clock: FrozenClock) -> None:
    log = MemoryLog()
    log.path = Path("/var/tmp/session.jsonl")
    app = CockpitApp(sample_specs("debian12-systemd", "alpine320-openrc"), log=log, clock=clock,
                     read_only=True)  # fmt: skip
    async with app.run_test(size=(120, 40)):
        assert app.sub_title == "2 hosts · READ-ONLY · recording /var/tmp/session.jsonl"


def test_every_tcss_in_themes_is_loaded_app_first() -> None:
    names = [Path(p).name for p in css_path()]
    assert names[:2] == ["app.tcss", "fleet.tcss"]
    assert set(names) == {p.name for p in (Path(__file__).parents[2] / "themes").glob("*.tcss")}


def _args(*argv: str) -> argparse.Namespace:
    return app_cmd.build_parser().parse_args(list(argv))


def test_recording_by_default_in_the_xdg_state_dir(isolated_xdg: Path) -> None:
    specs = sample_specs("weblogs-2011")
    log, note = app_cmd.open_log(_args("--root", "x"), ["cockpit"], specs)
    try:
        assert note is None and log.path is not None
        assert str(log.path).startswith(str(isolated_xdg / "xdg_state_home" / "cockpit"))
        assert '"format":"cockpit-recording"' in log.path.read_text().replace(" ", "")
    finally:
        log.close()
    none, _ = app_cmd.open_log(_args("--no-record"), ["cockpit"], specs)
    assert isinstance(none, NullLog)
    chosen = isolated_xdg / "mine.jsonl"
    mine, _ = app_cmd.open_log(_args("--record", str(chosen)), ["cockpit"], specs)
    mine.close()
    assert mine.path == chosen and chosen.exists()


def test_an_unknown_theme_is_a_usage_error_naming_the_themes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert app_cmd.main(["--theme", "no-such-theme", "--no-record"]) == 3
    err = capsys.readouterr().err
    assert "unknown theme 'no-such-theme'" in err and "cockpit-light" in err


async def test_theme_by_name_and_the_default(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs("debian12-systemd"), clock=clock, theme="cockpit-light")
    async with app.run_test(size=(80, 24)):
        assert app.theme == "cockpit-light"
    plain = CockpitApp(sample_specs("debian12-systemd"), clock=clock)
    async with plain.run_test(size=(80, 24)):
        assert plain.theme == "cockpit-dark"

"""The fleet view on the real sample trees (real collector, real engine), driven by keys."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input, Static

from cockpit.ui import app as app_module
from cockpit.ui.app import CockpitApp
from cockpit.ui.fleet_screen import FleetScreen
from cockpit.ui.fleet_table import FleetTable
from tests.support_log import MemoryLog
from tests.ui.conftest import FrozenClock, all_read, sample_specs, screen_lines, wait_until


def rows(app: CockpitApp) -> list[str]:
    """Host names in the order the table shows them."""
    table = app.screen.query_one(FleetTable)
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


def cell(app: CockpitApp, host: str, column: str) -> str:
    return str(app.screen.query_one(FleetTable).get_cell(host, column))


class PlaceholderHost(Screen[None]):
    """Stands in for U2's HostScreen in these tests: records which host it was opened on."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.host = name

    def compose(self) -> Any:
        yield Static(f"host view: {self.host}")


async def test_80x24_shows_the_worst_host_in_words_and_the_three_columns_that_matter(
    clock: FrozenClock,
) -> None:
    log = MemoryLog()
    app = CockpitApp(sample_specs(), log=log, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        assert isinstance(app.screen, FleetScreen)
        lines = screen_lines(app)
        assert "8 hosts · not recorded" in lines[0]
        banner = " ".join(lines[1:3])
        assert "✗ weblogs-2011 UNBOOTABLE: reboot at 03:15 CDT in 4h15m" in banner
        header = next(line for line in lines if "verdict" in line)
        assert "host" in header and "next reboot" in header
        first = lines[lines.index(header) + 1]
        assert "weblogs-2011" in first and "✗ UNBOOTABLE" in first and "03:15 CDT in 4h15m" in first
        assert rows(app)[:2] == ["weblogs-2011", "debian12-fstab-missing-uuid"]  # worst first
        assert len(log.snapshots) >= 8  # every refresh goes on the record


async def test_120x40_adds_the_init_column_and_the_verdict_carries_the_status(
    clock: FrozenClock,
) -> None:
    app = CockpitApp(sample_specs(), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, all_read(app))
        text = "\n".join(screen_lines(app))
        assert "init run → boot" in text and "unknown → missing" in text
        # No separate status column: the verdict cell says CRIT at every width.
        assert cell(app, "ubuntu2204-dpkg-interrupted", "verdict").endswith(" CRIT")


async def test_sort_cycles_and_keeps_the_cursor_on_its_host(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs(), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, all_read(app))
        table = app.screen.query_one(FleetTable)
        await pilot.press("down", "down")
        chosen = table.selected_host
        await pilot.press("s")
        assert app.screen.sort_mode == "name"  # type: ignore[attr-defined]
        assert rows(app) == sorted(rows(app))
        assert table.selected_host == chosen
        await pilot.press("s", "s", "s")  # reboot, refresh, back to worst
        assert app.screen.sort_mode == "worst"  # type: ignore[attr-defined]
        assert rows(app)[0] == "weblogs-2011"


async def test_filter_by_name_tag_or_verdict_and_escape_clears(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"debian")
        assert sorted(rows(app)) == [
            "debian12-fstab-missing-uuid", "debian12-systemd", "debian12-sysvinit",
        ]  # fmt: skip
        app.screen.query_one(Input).value = "unbootable"
        await pilot.pause()
        assert sorted(rows(app)) == ["debian12-fstab-missing-uuid", "weblogs-2011"]
        await pilot.press("enter")  # back to the table, filter kept
        assert isinstance(app.focused, FleetTable) and len(rows(app)) == 2
        await pilot.press("escape")
        assert len(rows(app)) == 8


async def test_w_jumps_to_the_worst_host(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        await pilot.press("s")  # by name: the cursor follows weblogs to the last row
        await pilot.press("up", "up")
        table = app.screen.query_one(FleetTable)
        assert table.selected_host != "weblogs-2011"
        await pilot.press("w")
        assert table.selected_host == "weblogs-2011"


async def test_countdown_and_age_tick_with_the_injected_clock(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs("weblogs-2011", "debian12-systemd"), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        assert cell(app, "weblogs-2011", "reboot") == "03:15 CDT in 4h15m"
        clock.advance(4 * 3600 + 11 * 60)
        app.tick()
        await pilot.pause()
        assert cell(app, "weblogs-2011", "reboot") == "03:15 CDT in 4m00s"
        assert cell(app, "weblogs-2011", "refresh") == "4h ago"
        assert "in 4m00s" in " ".join(screen_lines(app)[1:3])  # the banner ticks too
        clock.advance(5 * 60)
        app.tick()
        assert cell(app, "weblogs-2011", "reboot") == "overdue 03:15 CDT"  # never "in now"


async def test_enter_opens_the_host_view(
    clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "host_screen_class", lambda: PlaceholderHost)
    app = CockpitApp(sample_specs(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        await pilot.press("down", "enter")
        assert isinstance(app.screen, PlaceholderHost)
        assert app.screen.host == "debian12-fstab-missing-uuid"


async def test_a_single_host_opens_straight_on_its_host_view(
    clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "host_screen_class", lambda: PlaceholderHost)
    app = CockpitApp(sample_specs("weblogs-2011"), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))  # no collector child left running at exit
        assert isinstance(app.screen, PlaceholderHost) and app.screen.host == "weblogs-2011"

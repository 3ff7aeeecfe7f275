"""SVG snapshots of the real CockpitApp on the 8 sample trees (pytest-textual-snapshot).

What the whole room sees, pinned: the fleet view and the incident host's view at 80x24
(a shared tmux session) and 120x40, and the refusal a `q` meets while weblogs-2011 is
unbootable. Every host is read by the real collector and engine from sample_hosts/.

Deterministic because nothing in the picture moves on its own: the client clock is
frozen at the incident's evening (ages read "<10s", countdowns "4h15m"), the theme is
cockpit-dark with no user themes (isolated XDG dirs, conftest), the session log is a
NullLog ("not recorded"), the shot waits until every host has answered and the fleet
has drawn it, and the refusal's name prompt does not blink. The refresh jitter only
moves the next read, 27-33 s away: far beyond a shot. Update on purpose with
`--snapshot-update` and review the SVGs in the diff (they move with textual's version).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from cockpit.recording.session_log import NullLog
from cockpit.ui.app import CockpitApp
from cockpit.ui.fleet_screen import FleetScreen
from cockpit.ui.fleet_table import FleetTable
from cockpit.ui.host_screen import HostScreen
from cockpit.ui.refusal_screen import RefusalScreen
from tests.ui.conftest import FrozenClock, all_read, sample_specs, screen_lines, wait_until

INCIDENT_HOST = "weblogs-2011"
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
Before = Callable[[Pilot[Any]], Awaitable[None]]


def fleet_app() -> CockpitApp:
    """The app as `cockpit --root ...` x 8 builds it, on a clock that never moves."""
    return CockpitApp(sample_specs(), log=NullLog(), clock=FrozenClock(), theme="cockpit-dark")


async def fleet_answered(pilot: Pilot[Any]) -> CockpitApp:
    """Every host answered and drawn; the worst host is on top and named in the banner."""
    app = pilot.app
    assert isinstance(app, CockpitApp)
    await wait_until(pilot, all_read(app), within=30.0)
    assert app.theme == "cockpit-dark"
    assert all(e.phase == "ok" for e in app.book), [(e.spec.name, e.phase) for e in app.book]
    screen = app.screen
    assert isinstance(screen, FleetScreen)
    table = screen.query_one(FleetTable)
    top = table.coordinate_to_cell_key((0, 0)).row_key.value
    assert top == INCIDENT_HOST
    assert table.selected_host == INCIDENT_HOST
    assert f"{INCIDENT_HOST} UNBOOTABLE" in screen.banner_text
    return app


def compare(snap_compare: Any, size: tuple[int, int], steps: Before) -> bool:
    """A failed assertion in `steps` (run inside the app) fails the test: Textual re-raises."""
    return bool(snap_compare(fleet_app(), terminal_size=size, run_before=steps))


@SIZES
def test_fleet_view_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    async def steps(pilot: Pilot[Any]) -> None:
        app = await fleet_answered(pilot)
        lines = screen_lines(app)
        assert any("✗ UNBOOTABLE" in line and INCIDENT_HOST in line for line in lines)

    assert compare(snap_compare, size, steps)


@SIZES
def test_host_view_of_the_incident_host_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    async def steps(pilot: Pilot[Any]) -> None:
        app = await fleet_answered(pilot)
        await pilot.press("enter")  # the cursor is on the worst host: open it
        await wait_until(pilot, lambda: isinstance(app.screen, HostScreen))
        assert app.screen.host_name == INCIDENT_HOST  # type: ignore[attr-defined]
        text = " ".join(" ".join(screen_lines(app)).split())  # wrapped lines read whole
        assert "UNBOOTABLE: /sbin/init is missing." in text
        assert "03:15 CDT" in text

    assert compare(snap_compare, size, steps)


def test_refusal_snapshot_80x24(snap_compare: Any) -> None:
    async def steps(pilot: Pilot[Any]) -> None:
        app = await fleet_answered(pilot)
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, RefusalScreen))
        prompt = app.screen.query_one(Input)
        prompt.cursor_blink = False  # the one thing on screen that moves by itself
        await pilot.pause()
        assert prompt.has_focus
        text = " ".join(" ".join(screen_lines(app)).split())
        assert "QUIT REFUSED" in text and INCIDENT_HOST in text and "03:15 CDT" in text

    assert compare(snap_compare, (80, 24), steps)

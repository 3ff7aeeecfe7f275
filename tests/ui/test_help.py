"""Help lists what the keys do now (from the bindings), and `n` puts a note on the record."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from cockpit.ui.app import CockpitApp
from cockpit.ui.fleet_screen import FleetScreen
from cockpit.ui.help_screen import HelpScreen, help_rows, help_text, open_help
from cockpit.ui.note_screen import NoteScreen, open_note
from tests.support_log import USER, MemoryLog
from tests.ui.conftest import FrozenClock, all_read, sample_specs, screen_lines, wait_until

SPECS = ("weblogs-2011", "debian12-systemd")


def declared(cls: type) -> list[Binding]:
    return [b for b in cls.BINDINGS if isinstance(b, Binding)]


async def test_help_lists_every_binding_of_the_screen_and_the_app(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs(*SPECS), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        assert isinstance(app.screen, FleetScreen)
        rows = help_rows(app.screen)
        by_desc = {(r.description, r.where) for r in rows}
        for binding in declared(FleetScreen):
            assert (binding.description, "screen") in by_desc, binding
        for binding in declared(CockpitApp):
            assert (binding.description, "app") in by_desc, binding
        keys = [r.key for r in rows]
        assert len(keys) == len(set(keys))  # one row a key: the binding that wins

        open_help(app)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        top = "\n".join(screen_lines(app)[:12])
        assert "Filter" in top and "Quit" in top  # cockpit's keys before navigation
        text = help_text(rows).plain
        assert "✗ UNBOOTABLE" in text and "? UNKNOWN" in text and "✓ BOOTABLE" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FleetScreen)


async def test_a_new_binding_shows_up_without_touching_the_help(clock: FrozenClock) -> None:
    class WithExtra(FleetScreen):
        BINDINGS = [Binding("x", "extra", "Extra thing nobody documented")]  # noqa: RUF012

    class App2(CockpitApp):
        def get_default_screen(self) -> Any:
            return WithExtra()

    app = App2(sample_specs(*SPECS), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = help_text(help_rows(app.screen)).plain
        assert "Extra thing nobody documented" in text
        assert "Filter" in text  # inherited bindings too


async def test_note_goes_on_the_record_with_the_host(clock: FrozenClock) -> None:
    log = MemoryLog()
    app = CockpitApp(sample_specs(*SPECS), log=log, clock=clock)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        open_note(app, "weblogs-2011")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"disarmed cron by hand", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        open_note(app)
        await pilot.pause()
        await pilot.press("x", "escape")  # cancelled: nothing recorded
        await pilot.pause()
    assert log.events == [
        {
            "t": clock.now.isoformat(),
            "e": "note",
            "h": "weblogs-2011",
            "text": "disarmed cron by hand",
            "user": USER,
        }
    ]

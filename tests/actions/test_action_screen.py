"""The confirmation screen with Textual's pilot: type the host's name, or nothing happens."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from cockpit.actions import ActionResult, offers_for
from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.transports import OfflineRootTransport, collect
from cockpit.ui.action_screen import ActionScreen, open_action
from cockpit.ui.book import HostEntry
from tests.support import SAMPLES
from tests.support_log import MemoryLog

AT = "2011-09-29T23:00:00-05:00"
NOW = datetime(2011, 9, 30, 4, 0, tzinfo=timezone.utc)  # client clock: 23:00 CDT


class HostApp(App[None]):
    """Stands in for CockpitApp: the attributes the screen and `open_action` read."""

    def __init__(self, read_only: bool = False, replay: bool = False) -> None:
        super().__init__()
        self.read_only = read_only or replay
        self.replay = replay
        self.session_log = MemoryLog()
        self.refreshed: list[str] = []
        self.results: list[ActionResult | None] = []

    def clock(self) -> datetime:
        return NOW

    def compose(self) -> ComposeResult:
        yield Static("host view")

    def refresh_host(self, name: str) -> None:
        self.refreshed.append(name)


async def _setup(tmp_path: Path) -> tuple[Path, HostEntry, OfflineRootTransport]:
    root = tmp_path / "weblogs-2011"
    shutil.copytree(SAMPLES / "weblogs-2011", root, symlinks=True)
    spec = HostSpec(name="weblogs-2011", kind="offline", root=str(root))
    transport = OfflineRootTransport(spec)
    state = judge_snapshot(await collect(transport), datetime.fromisoformat(AT))
    return root, HostEntry(spec, state=state, taken_at=NOW), transport


def _text(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_disarm_takes_the_exact_host_name_then_records_and_refreshes(tmp_path: Path) -> None:
    root, entry, transport = await _setup(tmp_path)
    assert entry.state is not None
    offer = offers_for(entry.state)[0]
    app = HostApp()
    async with app.run_test(size=(100, 30)) as pilot:
        assert open_action(app, offer, entry, transport, callback=app.results.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ActionScreen)
        plan_text = _text(app, "#action-plan")
        assert "before: 15 3 * * * /sbin/shutdown -r now" in plan_text
        assert "after:  # cockpit: disarmed 2011-09-29T23:00:00-05:00 by " in plan_text
        reason = app.screen.query_one("#action-reason", Input)
        assert reason.value == "host unbootable: next boot has no init: /sbin/init does not exist"
        reason.value = "off until init is back (jh)"
        await pilot.press(*"weblogs", "enter")
        await pilot.pause()
        assert "is not weblogs-2011" in _text(app, "#action-error")
        assert app.session_log.actions == []
        confirm = app.screen.query_one("#action-confirm", Input)
        confirm.value = ""
        await pilot.press(*"weblogs-2011", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "DONE" in _text(app, "#action-plan")
        # Issue 13 §12: after DONE nothing asks for the name any more.
        assert "Type weblogs-2011" not in _text(app, "#action-prompt")
        assert "nothing more to type" in _text(app, "#action-prompt")
        assert not app.screen.query_one("#action-confirm", Input).display
        assert app.refreshed == ["weblogs-2011"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ActionScreen)
    assert (
        ": off until init is back (jh) :: 15 3 * * * /sbin/shutdown -r now\n"
        in (root / "var/spool/cron/crontabs/root").read_text()
    )
    assert [a["kind"] for a in app.session_log.actions] == ["disarm-cron"]
    assert app.session_log.actions[0]["t"] == NOW.isoformat()
    assert len(app.results) == 1 and app.results[0] is not None and app.results[0].ok


async def test_a_changed_file_shows_the_refusal_and_cannot_be_confirmed(tmp_path: Path) -> None:
    root, entry, transport = await _setup(tmp_path)
    assert entry.state is not None
    offer = offers_for(entry.state)[0]
    (root / "var/spool/cron/crontabs/root").write_text("# \x1b[2J[bold]someone else[/bold]\n")
    app = HostApp()
    async with app.run_test(size=(100, 30)) as pilot:
        open_action(app, offer, entry, transport)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = _text(app, "#action-plan")
        assert "REFUSED" in shown and "changed since the refresh" in shown
        assert "-15 3 * * * /sbin/shutdown -r now" in shown
        assert "[bold]someone else[/bold]" in shown and "\x1b" not in shown  # shown, not obeyed
        assert app.screen.query_one("#action-confirm", Input).disabled
        await pilot.press(*"weblogs-2011", "enter")
        await pilot.pause()
    assert app.session_log.actions == []


async def test_read_only_and_replay_sessions_never_open_it(tmp_path: Path) -> None:
    root, entry, transport = await _setup(tmp_path)
    assert entry.state is not None
    offer = offers_for(entry.state)[0]
    for app in (HostApp(read_only=True), HostApp(replay=True)):
        async with app.run_test(size=(100, 30)) as pilot:
            assert not open_action(app, offer, entry, transport)
            # pushed by hand anyway, it closes itself before reading anything
            app.push_screen(ActionScreen(offer, entry, transport, app.session_log))
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not isinstance(app.screen, ActionScreen)
    assert "# cockpit" not in (root / "var/spool/cron/crontabs/root").read_text()

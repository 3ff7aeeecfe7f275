"""Actions from the host view, end to end with the real app (issue 7's "Done when").

The real CockpitApp on a copy of the incident tree (offline root, the real collector and
engine, a real JsonlRecorder): `d` on the 03:15 row, type the host's name, the crontab
gets the marker, the pane and banner say no reboot is armed while the verdict stays
UNBOOTABLE; `a`, re-arm, and the file is byte-identical again; `cockpit report` lists
both actions. Read-only and replay sessions open nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList

from cockpit.actions import offers_for
from cockpit.hostspec import HostSpec
from cockpit.recording import open_recording
from cockpit.recording.writer import JsonlRecorder
from cockpit.rules.finding import ArmedReboot
from cockpit.ui.action_screen import ActionScreen
from cockpit.ui.app import CockpitApp
from cockpit.ui.host_screen import HostScreen
from cockpit.ui.replay_app import ReplayApp
from cockpit.ui.replay_source import ReplaySource
from cockpit.ui.widgets.actions_menu import ActionsMenu, no_offer_reason, offer_for_reboot
from cockpit.ui.widgets.banner import VerdictBanner
from cockpit.ui.widgets.reboots_pane import RebootsPane
from tests.support import SAMPLES, judge_root, run_cockpit
from tests.ui.conftest import FrozenClock, wait_until

HOST = "weblogs-2011"
CRONTAB = "var/spool/cron/crontabs/root"
JOB = "15 3 * * * /sbin/shutdown -r now"


def _root(tmp_path: Path) -> Path:
    root = tmp_path / HOST
    shutil.copytree(SAMPLES / HOST, root, symlinks=True)
    return root


def _app(root: Path, clock: FrozenClock, **kw: Any) -> CockpitApp:
    spec = HostSpec(name=HOST, kind="offline", root=str(root))
    return CockpitApp([spec], clock=clock, **kw)


def _footer_keys(app: Any) -> dict[str, str]:
    return {
        key: b.binding.description
        for key, b in app.screen.active_bindings.items()
        if b.binding.show
    }


def _banner(app: Any) -> str:
    return str(app.screen.query_one(VerdictBanner).render())


async def _host_view_read(pilot: Any, app: CockpitApp) -> HostScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, HostScreen))
    entry = app.book.get(HOST)
    assert entry is not None
    await wait_until(pilot, lambda: entry.state is not None)
    assert isinstance(app.screen, HostScreen)
    return app.screen


async def _confirm(pilot: Any, app: CockpitApp) -> None:
    """In the confirmation: wait for the plan, type the host's name, wait for the write."""
    await wait_until(pilot, lambda: isinstance(app.screen, ActionScreen))
    screen = app.screen
    assert isinstance(screen, ActionScreen)
    await wait_until(pilot, lambda: not screen.query_one("#action-confirm", Input).disabled)
    await pilot.press(*HOST, "enter")
    await wait_until(pilot, lambda: screen.result is not None)
    assert screen.result is not None and screen.result.ok, screen.result
    await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(app.screen, HostScreen))


async def test_disarm_then_rearm_from_the_host_view_byte_for_byte_on_the_record(
    tmp_path: Path, clock: FrozenClock
) -> None:
    root = _root(tmp_path)
    original = (root / CRONTAB).read_bytes()
    spec = HostSpec(name=HOST, kind="offline", root=str(root))
    rec = tmp_path / "rec.jsonl"
    log = JsonlRecorder.create(
        rec, argv=["cockpit", "--root", str(root)], hosts=[spec], now=clock()
    )
    app = CockpitApp([spec], log=log, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _host_view_read(pilot, app)
        entry = app.book.get(HOST)
        assert entry is not None and entry.state is not None
        first = entry.state
        assert first.verdict == "unbootable"
        assert _footer_keys(app).get("d") == "Disarm"
        assert _footer_keys(app).get("a") == "Actions"
        pane = screen.query_one(RebootsPane)
        assert pane.selected is not None and JOB in pane.selected.evidence
        assert "03:15" in pane.text

        await pilot.press("3", "d")  # the reboots pane (3), then disarm its (only) row: 03:15
        await _confirm(pilot, app)
        await wait_until(pilot, lambda: entry.state is not first)
        disarmed = (root / CRONTAB).read_text()
        assert "# cockpit: disarmed 2011-09-29T23:00:00-05:00 by " in disarmed
        assert f":: {JOB}\n" in disarmed
        assert not any(line.startswith(JOB) for line in disarmed.splitlines())
        assert entry.state.verdict == "unbootable"  # disarming is not fixing
        assert pane.reboots == {} and pane.selected is None
        assert "03:15" not in pane.text and "no reboot armed" in pane.text
        assert "UNBOOTABLE: /sbin/init is missing. No reboot is armed." in _banner(app)

        await pilot.press("d")  # nothing left to disarm: said, nothing opens
        await pilot.pause()
        assert isinstance(app.screen, HostScreen)

        second = entry.state
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ActionsMenu))
        menu = app.screen
        assert isinstance(menu, ActionsMenu)
        assert [o.kind for o in menu.offers] == ["rearm-cron"]
        assert JOB in str(menu.query_one(OptionList).get_option_at_index(0).prompt)
        await pilot.press("enter")
        await _confirm(pilot, app)
        await wait_until(pilot, lambda: entry.state is not second)
        assert (root / CRONTAB).read_bytes() == original
        assert "03:15" in pane.text and pane.selected is not None
        assert "root's crontab reboots this host" in _banner(app)
    log.close()

    report = run_cockpit("report", str(rec))
    assert report.returncode == 0, report.stderr
    host_part, session_part = report.stdout.split("## Session")
    for part in (host_part, session_part):  # in the host's timeline and the session's list
        rows = [ln for ln in part.splitlines() if "| action | action " in ln]
        assert [ln.split("| action | action ")[1].split(" on ")[0] for ln in rows] == [
            "disarm-cron",
            "rearm-cron",
        ], report.stdout
        assert all(f"/{CRONTAB}" in ln and ": ok: " in ln for ln in rows)
    as_json = run_cockpit("report", str(rec), "--format", "json")
    assert as_json.returncode == 0
    assert "disarm-cron" in as_json.stdout and "rearm-cron" in as_json.stdout


async def test_enter_on_the_row_opens_its_disarm_and_escape_writes_nothing(
    tmp_path: Path, clock: FrozenClock
) -> None:
    root = _root(tmp_path)
    original = (root / CRONTAB).read_bytes()
    app = _app(root, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _host_view_read(pilot, app)
        await pilot.press("3", "enter")  # 3: the reboots pane (1 is the boot chain)
        await wait_until(pilot, lambda: isinstance(app.screen, ActionScreen))
        assert isinstance(app.screen, ActionScreen)
        assert app.screen.offer.kind == "disarm-cron" and app.screen.offer.line.strip() == JOB
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HostScreen))
    assert (root / CRONTAB).read_bytes() == original


async def test_read_only_and_replay_keys_say_so_and_open_nothing(
    tmp_path: Path, clock: FrozenClock
) -> None:
    root = _root(tmp_path)
    original = (root / CRONTAB).read_bytes()
    app = _app(root, clock, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await _host_view_read(pilot, app)
        assert "d" not in _footer_keys(app) and "a" not in _footer_keys(app)
        for keys in (("d",), ("a",), ("2", "enter")):
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, HostScreen), keys
            said = [n.message for n in app._notifications]
            assert said and said[-1] == "read-only session: no actions", keys
    assert (root / CRONTAB).read_bytes() == original


async def test_replay_keys_say_so_and_open_nothing() -> None:
    recording = open_recording(SAMPLES / "sessions" / "weblogs-2011.jsonl")
    source = ReplaySource(recording)
    app = ReplayApp(recording, source)
    async with app.run_test(size=(100, 30)) as pilot:
        await _host_view_read(pilot, app)
        screen = app.screen
        assert screen.query_one(RebootsPane).selected is not None  # the 03:15 job, as recorded
        assert "d" not in _footer_keys(app) and "a" not in _footer_keys(app)
        assert "r" not in _footer_keys(app)  # a recording has no host to refresh
        for keys in (("d",), ("a",), ("2", "enter")):
            await pilot.press(*keys)
            await pilot.pause()
            assert app.screen is screen, keys
            said = [n.message for n in app._notifications]
            assert said and said[-1] == "read-only session: no actions", keys


def test_rows_match_their_offers_and_rows_without_one_say_why() -> None:
    state = judge_root(SAMPLES / HOST, (SAMPLES / HOST / "AT").read_text().strip())
    offers = offers_for(state)
    row = ArmedReboot("root's crontab", None, f"/{CRONTAB}: {JOB}")
    offer = offer_for_reboot(state, offers, row)
    assert offer is not None and offer.kind == "disarm-cron" and offer.path == f"/{CRONTAB}"
    other_line = ArmedReboot("root's crontab", None, f"/{CRONTAB}: 0 4 * * * reboot")
    assert offer_for_reboot(state, offers, other_line) is None
    timer = ArmedReboot("systemd timer nightly.timer", None, "OnCalendar=03:00")
    assert offer_for_reboot(state, offers, timer) is None
    assert "no action for this source" in no_offer_reason(state, timer)
    assert "systemctl disable" in no_offer_reason(state, timer)
    assert "refresh first" in no_offer_reason(None, row)

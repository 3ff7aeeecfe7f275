"""The reboot, watched through, on the screen at 80x24: the fleet banner and the host's
row follow a host down ("rebooting since"), then back ("back after 47 s, running kernel
…, verdict confirmed BOOTABLE") or not ("not back after 6 min: predicted …"); replay of
the incident evening shows the same at its cursor.

The live path is the app's own: HostUpdated messages into CockpitApp, the clock stepped
by hand; the states are the real engine's on copies of a sample tree with a boot id, a
running kernel and PID 1 written in.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.recording import open_recording
from cockpit.rules.finding import ArmedReboot
from cockpit.state import HostState
from cockpit.ui.app import CockpitApp
from cockpit.ui.fleet_screen import FleetScreen
from cockpit.ui.host_screen import HostScreen
from cockpit.ui.messages import HostUpdated
from cockpit.ui.replay_app import ReplayApp
from cockpit.ui.replay_source import ReplaySource
from cockpit.words import Mode
from tests.support import SAMPLES, collect_root
from tests.ui.conftest import FrozenClock, drawing, screen_lines, wait_until

CEST = "+02:00"  # debian12-systemd's own zone (Europe/Berlin)


def at(hms: str) -> datetime:
    return datetime.fromisoformat(f"2011-09-30T{hms}{CEST}")


def booted(tmp: Path, boot_id: str, kernel: str) -> Any:
    root = tmp / boot_id / "debian12-systemd"
    shutil.copytree(SAMPLES / "debian12-systemd", root, symlinks=True)
    proc = root / "proc"
    (proc / "sys/kernel/random").mkdir(parents=True)
    (proc / "sys/kernel/random/boot_id").write_text(f"{boot_id}-1111-2222-3333-444444444444\n")
    (proc / "sys/kernel/osrelease").write_text(kernel + "\n")
    (proc / "1").mkdir()
    (proc / "1/comm").write_text("systemd\n")
    return collect_root(root)


def up(name: str, snapshot: Any, hms: str, armed: bool = False) -> HostState:
    judged = replace(judge_snapshot(snapshot, at(hms)), name=name)
    zone = judged.host_time.tzinfo if judged.host_time else None
    reboot = ArmedReboot(
        "root's crontab", at("03:15:00").astimezone(zone), "15 3 * * * /sbin/reboot"
    )
    return replace(judged, next_reboot=reboot if armed else None)


class Live(CockpitApp):
    """The live app without its workers: the test posts each refresh's state itself, as
    a worker would."""

    def _start_refresh(self) -> None:
        pass


def frame(app: Any) -> str:
    return "\n".join(screen_lines(app))


def words(app: Any) -> str:
    return " ".join(re.sub(r"[│┃]", " ", frame(app)).split())


async def show(pilot: Any, app: CockpitApp, clock: FrozenClock, hms: str, *updates: Any) -> None:
    clock.now = at(hms)
    for name, state in updates:
        app.post_message(HostUpdated(name, state, clock.now if state.reachable else None))
    await pilot.pause()
    app.tick()
    await wait_until(pilot, lambda: not drawing(app))
    await pilot.pause(0.3)


@pytest.fixture(scope="module")
def boots(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """The host before its reboot and after it (collected outside the app's loop)."""
    tmp = tmp_path_factory.mktemp("boots")
    return booted(tmp, "aaaaaaaa", "6.1.0-56-amd64"), booted(tmp, "bbbbbbbb", "6.1.0-57-amd64")


def fleet(boots: tuple[Any, Any]) -> tuple[CockpitApp, FrozenClock, Any, Any]:
    clock = FrozenClock(at("03:14:50"))
    specs = [HostSpec(name=n, kind="ssh", address="127.0.0.1") for n in ("db", "web")]
    return Live(specs, clock=clock), clock, *boots


def failed(name: str) -> HostState:
    return HostState.failed(name, Mode.LIVE, "timeout", "no SSH session within 10s")


async def test_the_banner_follows_a_reboot_down_and_back_at_80x24(boots: tuple[Any, Any]) -> None:
    app, clock, before, after = fleet(boots)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FleetScreen))
        db = up("db", before, "03:14:50")
        await show(
            pilot, app, clock, "03:14:50", ("db", db), ("web", up("web", before, "03:14:50", True))
        )
        assert "rebooting" not in words(app)
        await show(pilot, app, clock, "03:15:02", ("web", failed("web")))
        await show(pilot, app, clock, "03:15:30")
        shown = words(app)
        assert (
            "! web rebooting since 03:15:00 (root's crontab reboot fired; unreachable since"
            " 03:15:02), 30 s: predicted BOOTABLE" in shown
        ), frame(app)
        assert "rebooting 30 s" in shown  # the row's reboot cell, beside the name
        await show(pilot, app, clock, "03:15:47", ("db", db), ("web", up("web", after, "03:15:47")))
        shown = words(app)
        assert (
            "✓ web back after 47 s, running kernel 6.1.0-57-amd64, verdict confirmed BOOTABLE"
            in shown
        ), frame(app)
        assert "rebooting" not in shown
        await pilot.press("down", "enter")  # the host view says the rest
        await wait_until(pilot, lambda: isinstance(app.screen, HostScreen))
        await pilot.pause(0.3)
        assert (
            "down 03:15:00, back 03:15:47; kernel 6.1.0-56-amd64 → 6.1.0-57-amd64, init systemd"
            in words(app)
        ), frame(app)


async def test_the_banner_says_not_back_against_the_prediction(boots: tuple[Any, Any]) -> None:
    app, clock, before, _ = fleet(boots)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FleetScreen))
        db = up("db", before, "03:14:50")
        await show(
            pilot, app, clock, "03:14:50", ("db", db), ("web", up("web", before, "03:14:50", True))
        )
        await show(pilot, app, clock, "03:15:02", ("web", failed("web")))
        for hms in ("03:17:02", "03:19:02", "03:21:02"):
            await show(pilot, app, clock, hms, ("web", failed("web")))
        await show(pilot, app, clock, "03:21:30")
        shown = words(app)
        assert "✗ web not back after 6 min (root's crontab reboot fired;" in shown, frame(app)
        assert "predicted BOOTABLE: check the console" in shown
        assert "not back 6 min" in shown  # the row


async def test_an_unreachable_host_with_nothing_due_is_not_said_rebooting(
    boots: tuple[Any, Any],
) -> None:
    app, clock, before, _ = fleet(boots)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FleetScreen))
        db = up("db", before, "03:00:00")
        await show(
            pilot, app, clock, "03:00:00", ("db", db), ("web", up("web", before, "03:00:00"))
        )
        await show(pilot, app, clock, "03:01:00", ("web", failed("web")))
        shown = words(app)
        assert (
            "? web UNKNOWN: unreachable since 03:01:00 (timeout: no SSH session within 10s)"
            in shown
        ), frame(app)
        assert "rebooting" not in shown


INCIDENT = SAMPLES / "sessions" / "weblogs-2011.jsonl"


async def test_replay_of_the_incident_shows_the_reboot_not_back() -> None:
    """The recorded evening, opened at 03:21:30: the cron reboot fired at 03:15:00 and the
    host never answered again. The screens say what live said at that second, even
    though replay jumped there past every failed refresh."""
    recording = open_recording(INCIDENT)
    start = datetime.fromisoformat("2011-09-30T03:21:30-05:00")
    source = ReplaySource(recording, start=start)
    app = ReplayApp(recording, source)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HostScreen), within=30)
        await wait_until(pilot, lambda: source.story.scanned, within=60)
        await wait_until(pilot, lambda: "not back after" in words(app), within=10)
        shown = words(app)
        assert (
            "not back after 6 min (root's crontab reboot fired; unreachable since 03:15:01)"
            in shown
        )
        assert "predicted UNBOOTABLE (next boot has no init" in shown, frame(app)
        await pilot.press("escape")  # the fleet: the banner and the row say it too
        await wait_until(pilot, lambda: isinstance(app.screen, FleetScreen))
        await pilot.pause(0.5)
        shown = words(app)
        assert "✗ weblogs-2011 not back after 6 min" in shown, frame(app)
        assert "not back 6 min" in shown

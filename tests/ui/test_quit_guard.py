"""Every path of the quit guard, on the real incident host judged by the real engine."""

from __future__ import annotations

import dataclasses
import os
import signal
from datetime import datetime, timedelta
from functools import cache

import pytest
from textual.widgets import Input

from cockpit.rules.finding import ArmedReboot
from cockpit.state import HostState
from cockpit.ui.confirm_quit_screen import ConfirmQuitScreen
from cockpit.ui.quit_decision import (
    CONFIRM,
    EXIT,
    REFUSE,
    LeftOnRecord,
    SessionLost,
    decide_quit,
    exit_message,
)
from cockpit.ui.quit_guard import ALREADY_OPEN
from cockpit.ui.refusal_screen import RefusalScreen
from tests.e2e.guard_app import GuardApp
from tests.support import SAMPLES, judge_root
from tests.support_log import MemoryLog

AT = (SAMPLES / "weblogs-2011" / "AT").read_text().strip()


@cache
def weblogs() -> HostState:
    return judge_root(SAMPLES / "weblogs-2011", AT)


@cache
def bootable() -> HostState:
    root = SAMPLES / "debian12-systemd"
    return judge_root(root, (root / "AT").read_text().strip())


def renamed(state: HostState, name: str, **changes: object) -> HostState:
    return dataclasses.replace(state, name=name, **changes)  # type: ignore[arg-type]


class Clock:
    """The app's injected client clock: frozen, stepped by the test."""

    def __init__(self) -> None:
        self.now = datetime.fromisoformat(AT)

    def __call__(self) -> datetime:
        return self.now


def screen_text(app: GuardApp, selector: str) -> str:
    node = app.screen.query_one(selector)
    text = getattr(node, "text", None)  # a LinesView: its plain text, unwrapped
    return text if isinstance(text, str) else str(node.render())


# -- the pure decision -------------------------------------------------------------------


def test_incident_host_is_refused() -> None:
    state = weblogs()
    assert state.verdict == "unbootable"
    decision = decide_quit([bootable(), state])
    assert decision.kind == REFUSE
    assert decision.must_type == "weblogs-2011"


def test_soonest_reboot_is_the_host_to_type() -> None:
    later = weblogs().next_reboot
    assert later is not None and later.at is not None
    soon = dataclasses.replace(later, at=later.at - timedelta(hours=3))
    hosts = [renamed(weblogs(), "a-later"), renamed(weblogs(), "b-sooner", next_reboot=soon)]
    assert decide_quit(hosts).must_type == "b-sooner"
    no_reboot = renamed(weblogs(), "c-none", next_reboot=None)
    assert decide_quit([no_reboot, hosts[0]]).must_type == "a-later"


def test_unknown_with_reboot_asks_and_without_does_not() -> None:
    shaky = renamed(weblogs(), "shaky", verdict="unknown")
    assert decide_quit([shaky]).kind == CONFIRM
    unread = HostState.failed("gone", "live", "timeout", "no answer in 10s")
    assert decide_quit([unread, bootable()]).kind == EXIT
    assert decide_quit([]).kind == EXIT


def test_replay_has_no_guard() -> None:
    assert decide_quit([weblogs()], replay=True).kind == EXIT


def test_messages_name_host_time_and_record(tmp_path) -> None:  # type: ignore[no-untyped-def]
    at = datetime.fromisoformat("2011-09-29T23:05:00-05:00")
    left = LeftOnRecord("weblogs-2011", "unbootable", (), at, tmp_path / "s.jsonl", "q")
    assert exit_message(left) == (
        "cockpit: left while weblogs-2011 was UNBOOTABLE (override typed at "
        f"2011-09-29T23:05:00-05:00; recorded in {tmp_path / 's.jsonl'})"
    )
    lost = SessionLost("SIGHUP", ("weblogs-2011",), at, None)
    assert "session lost (SIGHUP)" in lost.message() and "not recorded" in lost.message()
    assert exit_message(None) is None


# -- the screens, through the keys -------------------------------------------------------


async def test_refusal_then_override_by_typing_the_name() -> None:
    log, clock = MemoryLog(), Clock()
    app = GuardApp([bootable(), weblogs()], log, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
        shown = screen_text(app, "#guard-hosts")
        assert "weblogs-2011" in shown and "/sbin/init does not exist" in shown
        assert "/sbin/init (absent)" in shown  # the evidence line under the blocker
        assert "03:15 CDT" in shown and "in 4h15m" in shown  # host time, not ours
        assert [e["e"] for e in log.events] == ["quit-refused"]
        assert log.events[0]["via"] == "q"
        (listed,) = log.events[0]["hosts"]  # as the recording lists it: blockers, reboot
        assert (listed["name"], listed["verdict"]) == ("weblogs-2011", "unbootable")
        assert listed["blockers"][0]["id"] == "init.boot-init-missing"
        assert listed["next_reboot"] == {
            "at": "2011-09-30T03:15:00-05:00",
            "source": "root's crontab",
        }

        # q again goes into the input (harmless); ctrl+q keeps asking, records nothing new.
        await pilot.press("q", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
        assert app.decisions == [REFUSE, ALREADY_OPEN]
        assert len(log.events) == 1

        # A wrong name is refused and cleared; the screen stays.
        app.screen.query_one(Input).value = ""
        await pilot.press(*"weblogs", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
        assert "is not weblogs-2011" in screen_text(app, "#guard-error")

        clock.now += timedelta(minutes=2)
        await pilot.press(*"weblogs-2011", "enter")
        await pilot.pause()
    assert isinstance(app.return_value, LeftOnRecord)
    assert app.return_value.host == "weblogs-2011"
    assert app.return_value.typed_at == clock.now
    assert [e["e"] for e in log.events] == ["quit-refused", "quit-override"]
    assert log.events[1]["typed"] == "weblogs-2011"


async def test_escape_goes_back_and_countdown_ticks_in_host_time() -> None:
    log, clock = MemoryLog(), Clock()
    app = GuardApp([weblogs()], log, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
        clock.now += timedelta(minutes=15)
        await pilot.pause(1.2)  # the screen re-renders every second
        assert "in 4h00m" in screen_text(app, "#guard-hosts")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RefusalScreen)
        assert app.is_running
    assert app.return_value is None
    assert [(e["e"], e["via"]) for e in log.events] == [("quit-refused", "ctrl+q")]


async def test_with_two_unbootable_hosts_only_the_first_name_leaves() -> None:
    log = MemoryLog()
    first = weblogs()
    assert first.next_reboot is not None and first.next_reboot.at is not None
    later = dataclasses.replace(first.next_reboot, at=first.next_reboot.at + timedelta(hours=1))
    app = GuardApp([renamed(first, "db-later", next_reboot=later), first], log, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        prompt = screen_text(app, "#guard-prompt")
        assert "weblogs-2011" in prompt and "first host listed" in prompt
        await pilot.press(*"db-later", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
        await pilot.press(*"weblogs-2011", "enter")
        await pilot.pause()
    assert isinstance(app.return_value, LeftOnRecord)
    assert app.return_value.others == ("db-later",)
    assert "(and db-later)" in app.return_value.message()


async def test_a_fix_while_the_refusal_is_open_lets_the_admin_go_back() -> None:
    log = MemoryLog()
    app = GuardApp([weblogs()], log, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        app.set_state(renamed(bootable(), "weblogs-2011"))
        await pilot.pause()
        assert not isinstance(app.screen, RefusalScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value is None and not app.is_running
    assert [e["e"] for e in log.events] == ["quit-refused"]


@pytest.mark.parametrize(("key", "leaves"), [("y", True), ("n", False), ("escape", False)])
async def test_unknown_with_reboot_asks_yes_or_no(key: str, leaves: bool) -> None:
    log = MemoryLog()
    shaky = renamed(weblogs(), "shaky", verdict="unknown", error="timeout after 10s")
    app = GuardApp([shaky], log, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        assert "03:15 CDT" in screen_text(app, "#guard-hosts")
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running is not leaves
    if leaves:
        assert isinstance(app.return_value, LeftOnRecord)
        assert "was UNKNOWN" in app.return_value.message()
        assert [(e["e"], e["typed"]) for e in log.events] == [("quit-override", "y")]
    else:
        assert log.events == []


async def test_bootable_fleet_and_replay_exit_at_once() -> None:
    for app in (
        GuardApp([bootable()], MemoryLog(), Clock()),
        GuardApp([weblogs()], MemoryLog(), Clock(), replay=True),
    ):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running
        assert app.decisions == [EXIT]
        assert app.session_log.events == []


async def test_palette_quit_goes_through_the_guard() -> None:
    log = MemoryLog()
    app = GuardApp([weblogs()], log, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_quit()
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen)
    assert log.events[0]["via"] == "palette"


# -- signals -----------------------------------------------------------------------------


def _handled(sig: int) -> bool:
    return signal.getsignal(sig) not in (signal.SIG_DFL, signal.SIG_IGN, None)


async def test_sigterm_and_sigint_are_refused_like_keys() -> None:
    log = MemoryLog()
    app = GuardApp([weblogs()], log, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        assert _handled(signal.SIGTERM), "the guard's handler must be installed"
        os.kill(os.getpid(), signal.SIGTERM)
        await pilot.pause(0.1)
        assert isinstance(app.screen, RefusalScreen)
        os.kill(os.getpid(), signal.SIGINT)
        await pilot.pause(0.1)
        assert app.is_running
        assert app.decisions == [REFUSE, ALREADY_OPEN]
        await pilot.press("escape")
    assert [(e["e"], e["via"]) for e in log.events] == [("quit-refused", "SIGTERM")]
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # removed on unmount


async def test_sighup_is_recorded_as_session_lost_and_exits() -> None:
    log = MemoryLog()
    app = GuardApp([weblogs()], log, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        assert _handled(signal.SIGHUP)
        await pilot.press("q")  # even with the refusal open: nobody is left to type
        os.kill(os.getpid(), signal.SIGHUP)
        await pilot.pause(0.1)
    assert not app.is_running
    assert isinstance(app.return_value, SessionLost)
    assert [e["e"] for e in log.events] == ["quit-refused", "session-lost"]
    assert log.events[1]["signal"] == "SIGHUP"


async def test_sighup_with_nothing_unbootable_records_nothing() -> None:
    log = MemoryLog()
    app = GuardApp([bootable()], log, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        os.kill(os.getpid(), signal.SIGHUP)
        await pilot.pause(0.1)
    assert app.return_value is None and log.events == []


def test_armed_reboot_without_time_still_counts() -> None:
    untimed = ArmedReboot(source="watchdog", at=None, evidence="/dev/watchdog")
    shaky = renamed(weblogs(), "w", verdict="unknown", next_reboot=untimed)
    assert decide_quit([shaky]).kind == CONFIRM

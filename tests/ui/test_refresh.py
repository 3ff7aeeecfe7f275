"""Refresh workers: a host that never answers, a host that fails, hostile host text."""

from __future__ import annotations

import asyncio
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

from cockpit.hostspec import HostSpec
from cockpit.state import HostState
from cockpit.transports import CollectError, OfflineRootTransport, Transport
from cockpit.ui.app import CockpitApp
from cockpit.ui.fleet_table import FleetTable
from cockpit.ui.messages import HostPhase, HostUpdated
from cockpit.ui.refresh import Refresher, backoff_s
from tests.support import SAMPLES
from tests.support_log import MemoryLog
from tests.ui.conftest import (
    FrozenClock,
    all_read,
    drawing,
    sample_specs,
    screen_lines,
    wait_until,
)


class SilentTransport:
    """A host whose collector never answers and ignores its own timeout: the fault only
    the outer bound can catch (a hung channel), which a real host cannot produce on cue."""

    mode = "live"

    def __init__(self, spec: HostSpec) -> None:
        self.spec = spec

    async def run(self, script: str, timeout: float) -> bytes:
        await asyncio.Event().wait()
        return b""


class RefusingTransport:
    mode = "live"

    def __init__(self, spec: HostSpec, message: str = "connection refused") -> None:
        self.spec = spec
        self.message = message

    async def run(self, script: str, timeout: float) -> bytes:
        raise CollectError("unreachable", self.message)


def factory(**special: Any) -> Any:
    """Offline roots for real; named hosts get the given fault transport class."""

    def make(spec: HostSpec) -> Transport:
        if spec.name in special:
            return special[spec.name](spec)  # type: ignore[no-any-return]
        return OfflineRootTransport(spec)

    return make


def test_backoff_doubles_to_a_minute() -> None:
    assert [backoff_s(n) for n in (1, 2, 3, 4, 7, 8, 20)] == [1, 2, 4, 8, 60, 60, 60]


async def test_a_failing_host_records_the_error_and_backs_off(clock: FrozenClock) -> None:
    posted: list[Any] = []
    log = MemoryLog()
    spec = HostSpec(name="web1", kind="ssh", address="web1")
    refresher = Refresher([spec], posted.append, log, clock, transport_for=RefusingTransport)
    task = asyncio.create_task(refresher.run_host("web1"))
    try:
        for _ in range(3):
            while not any(isinstance(m, HostPhase) and m.phase == "backoff" for m in posted):
                await asyncio.sleep(0.01)
            backoff = [m for m in posted if isinstance(m, HostPhase) and m.phase == "backoff"]
            posted.clear()
            refresher.wake("web1")  # `r`: retry now, cutting the backoff short
        waits = [m.next_try_at - clock.now for m in backoff]
        assert waits == [timedelta(seconds=4)]  # the 3rd consecutive failure
        assert backoff[0].attempts == 3
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    first = log.errors[0]
    assert (first["h"], first["category"], first["message"]) == (
        "web1", "unreachable", "connection refused",
    )  # fmt: skip
    assert len(log.errors) == 3


async def test_a_silent_host_times_out_into_unknown(clock: FrozenClock) -> None:
    posted: list[Any] = []
    spec = HostSpec(name="mute", kind="ssh", address="mute")
    refresher = Refresher(
        [spec], posted.append, MemoryLog(), clock, transport_for=SilentTransport,
        timeout=0.05, grace=0.05,
    )  # fmt: skip
    task = asyncio.create_task(refresher.run_host("mute"))
    try:
        while not any(isinstance(m, HostUpdated) for m in posted):
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    state: HostState = next(m for m in posted if isinstance(m, HostUpdated)).state
    assert (state.verdict, state.error_category) == ("unknown", "timeout")


async def test_a_host_that_never_answers_never_stalls_the_screen(clock: FrozenClock) -> None:
    specs = [HostSpec(name="mute", kind="ssh", address="mute"), *sample_specs("weblogs-2011")]
    specs += sample_specs("debian12-systemd")
    app = CockpitApp(specs, clock=clock, transport_for=factory(mute=SilentTransport))
    async with app.run_test(size=(80, 24)) as pilot:
        book = app.book
        others = [e for e in book if e.spec.name != "mute"]
        await wait_until(pilot, lambda: all(e.state for e in others) and not drawing(app))
        table = app.screen.query_one(FleetTable)
        assert table.get_cell("mute", "verdict").plain == "? UNKNOWN"
        assert table.get_cell("mute", "refresh").plain == "connecting…"
        assert "✗ weblogs-2011 UNBOOTABLE" in " ".join(screen_lines(app)[1:3])
        await pilot.press("s")  # keys still work while mute hangs
        assert app.screen.sort_mode == "name"  # type: ignore[attr-defined]
        await pilot.press("r", "R")  # waking a hung host changes nothing for the others
        assert book.get("mute").phase == "connecting"  # type: ignore[union-attr]
        # Let the others' refreshes finish (no collector child left behind at exit).
        await wait_until(pilot, lambda: all(e.phase == "ok" for e in others))


async def test_hostile_names_and_errors_are_shown_escaped(
    clock: FrozenClock, tmp_path: Path
) -> None:
    evil_dir = tmp_path / "ev\x1b[31mil[reverse]x"  # a directory name: no "/" in it
    shutil.copytree(SAMPLES / "debian12-systemd", evil_dir, symlinks=True)
    (evil_dir / "proc" / "1").mkdir(parents=True)
    (evil_dir / "proc" / "1" / "comm").write_text("\x1b[2J[link=http://x]y[/link]\n")
    liar = "\x1b]52;c;cm0gLXJmIH4=\x07[reverse]pwned[/reverse]"
    specs = [
        HostSpec(name=evil_dir.name, kind="offline", root=str(evil_dir)),
        HostSpec(name="liar", kind="ssh", address="liar"),
    ]
    app = CockpitApp(
        specs, clock=clock, transport_for=factory(liar=lambda s: RefusingTransport(s, liar))
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, all_read(app))
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert "\x1b" not in text and "\x07" not in text
        assert "ev␛[31mil[reverse]x" in text  # markup shown as typed, never applied
        assert "[reverse]pwned[/reverse]" in text  # the banner quotes the error, escaped
        assert "␛]52;c;" in text

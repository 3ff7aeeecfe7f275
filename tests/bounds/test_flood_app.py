"""31 MB of well-framed collector output from one host (issue 12, section 3): while it is
parsed and judged, the app keeps working. Keys are handled, the clock ticks, the other
hosts refresh, and `q` and SIGTERM still meet the quit guard, which still holds the
incident host. Before, judging ran on the event loop and froze all of it for minutes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import time
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

import pytest

from cockpit.hostspec import HostSpec
from cockpit.snapshot import Section, Sections
from cockpit.transports import OfflineRootTransport, Transport
from cockpit.transports.replay import boundary_of, frame_sections
from cockpit.ui.app import CockpitApp
from cockpit.ui.help_screen import HelpScreen
from cockpit.ui.refusal_screen import RefusalScreen
from tests.support import SAMPLES, collect_root

FLOOD_BYTES = 31 << 20
#: The sections that cost parsers the most per byte (measured: 0.4-0.75 µs each).
SLOW = (
    "boot.file:/boot/grub/menu.lst",
    "boot.file:/boot/grub2/grub.cfg",
    "boot.file:/boot/grub/grub.conf",
    "boot.file:/boot/loader/loader.conf",
    "reboots.anacrontab",
)


@cache
def flood_sections() -> Sections:
    """A real host's sections, five of them blown up to 31 MB in all, all well framed."""
    base = collect_root(SAMPLES / "debian12-systemd").sections.by_name
    sections = dict(base)
    line = "title x\nkernel /vmlinuz root=/dev/sda1\n# 1 2 3 * * * root true\n"
    each = FLOOD_BYTES // len(SLOW)
    for name in SLOW:
        probe = base[name].probe if name in base else "boot.files"
        sections[name] = Section(
            name, "ok", 0, (line * (each // len(line) + 1))[:each], False, probe
        )
    return Sections(sections)


class Flood:
    """A host that answers the collector with 31 MB, once the test says go."""

    mode = "live"

    def __init__(self, spec: HostSpec) -> None:
        self.spec = spec
        self.go = asyncio.Event()
        self.sent = asyncio.Event()

    async def run(self, script: str, timeout: float) -> bytes:
        await self.go.wait()
        data = frame_sections(flood_sections(), boundary_of(script))
        self.sent.set()
        return data


async def within(seconds: float, condition: Callable[[], bool], pilot: Any) -> float:
    """How long until `condition()` (the app running meanwhile); fails past `seconds`."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, f"not within {seconds}s"
        await pilot.pause(0.02)
    return time.monotonic() - start


async def timed(action: Awaitable[object]) -> float:
    start = time.monotonic()
    await action
    return time.monotonic() - start


@pytest.fixture
def built() -> Sections:
    return flood_sections()  # the real collector runs here, outside the test's loop


async def test_a_31_mb_host_never_freezes_the_app_or_its_guard(clock: Any, built: Sections) -> None:
    floods: list[Flood] = []

    def transport_for(spec: HostSpec) -> Transport:
        if spec.name == "flood":
            floods.append(Flood(spec))
            return floods[-1]
        return OfflineRootTransport(spec)

    specs = [
        HostSpec("weblogs-2011", "offline", root=str(SAMPLES / "weblogs-2011")),
        HostSpec("debian12-systemd", "offline", root=str(SAMPLES / "debian12-systemd")),
        HostSpec("flood", "ssh", address="flood.example"),
    ]
    app = CockpitApp(specs, clock=clock, transport_for=transport_for)
    ticks: list[float] = []
    tick = app.tick
    app.tick = lambda: (ticks.append(time.monotonic()), tick())  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        book = app.book
        await within(30, lambda: bool(floods) and all(
            book.get(n).state is not None for n in ("weblogs-2011", "debian12-systemd")
        ), pilot)  # fmt: skip
        assert book.get("weblogs-2011").state.verdict == "unbootable"
        floods[0].go.set()  # from here on the flood is framed, split, cut and judged
        start = time.monotonic()

        # the event loop: never held for long (framing and splitting 31 MB are the
        # longest steps left on it, ~0.3 s each)
        lags = []
        for _ in range(40):
            lags.append(await timed(asyncio.sleep(0.05)) - 0.05)
        assert floods[0].sent.is_set()
        # other hosts: `r` on one is answered, read and judged again
        before = book.get("debian12-systemd").state
        app.refresh_host("debian12-systemd")
        other = await within(5, lambda: book.get("debian12-systemd").state is not before, pilot)
        # keys
        help_key = await timed(pilot.press("question_mark"))
        await within(2, lambda: isinstance(app.screen, HelpScreen), pilot)
        await pilot.press("escape")
        # the quit guard, by key and by signal, still holding the incident host
        await pilot.press("q")
        refused = await within(2, lambda: isinstance(app.screen, RefusalScreen), pilot)
        await pilot.press("escape")
        await within(2, lambda: not isinstance(app.screen, RefusalScreen), pilot)
        os.kill(os.getpid(), signal.SIGTERM)
        killed = await within(2, lambda: isinstance(app.screen, RefusalScreen), pilot)
        window = time.monotonic() - start
        ticked = [t for t in ticks if start <= t]
        await pilot.press("escape")

        # and the flood itself ends judged (unknown: its cut sections are a fact), in time
        await within(30, lambda: book.get("flood").state is not None, pilot)
        flood = book.get("flood").state
    assert max(lags) < 1.0, lags
    assert other < 5 and help_key < 3 and refused < 2 and killed < 2
    assert len(ticked) >= int(window) - 1, (ticked, window)
    assert flood.verdict == "unknown"
    assert flood.error_category == "budget" or any(
        f.id == "collector.incomplete" for f in flood.findings
    )
    assert dataclasses.is_dataclass(flood)

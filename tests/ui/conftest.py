"""Fixtures for the app's pilot tests: frozen clock, isolated XDG dirs, sample fleets.

Every test runs with XDG dirs under its tmp_path (no recording or theme of the user's
leaks in or out), a clock the test steps by hand, and waits for the app's real workers
(real collector on the sample trees) instead of sleeping a guessed time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cockpit.hostspec import HostSpec
from tests.support import SAMPLES

#: The incident's evening (sample_hosts/weblogs-2011/AT): weblogs reboots at 03:15 CDT.
INCIDENT_AT = datetime.fromisoformat((SAMPLES / "weblogs-2011" / "AT").read_text().strip())


class FrozenClock:
    """The app's injected client clock: it moves only when the test says so."""

    def __init__(self, now: datetime = INCIDENT_AT) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def sample_specs(*names: str) -> list[HostSpec]:
    """Offline specs for sample trees (all of them by default), named after the tree."""
    trees = [p for p in sorted(SAMPLES.iterdir()) if (p / "AT").is_file()]
    if names:
        trees = [SAMPLES / n for n in names]
    return [HostSpec(name=p.name, kind="offline", root=str(p)) for p in trees]


async def wait_until(pilot: Any, condition: Callable[[], bool], within: float = 10.0) -> None:
    """Let the app run until `condition()` holds (workers answered), or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await pilot.pause(0.02)
    await pilot.pause()


def all_read(app: Any) -> Callable[[], bool]:
    """Every host answered once, and the screen has drawn what it was told."""
    return lambda: all(e.state is not None for e in app.book) and not drawing(app)


def drawing(app: Any) -> bool:
    return bool(getattr(app.screen, "pending", False))


def screen_lines(app: Any) -> list[str]:
    """The screen as plain text lines (what a person, or tmux capture-pane, would see)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.fixture(autouse=True)
def isolated_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    return tmp_path


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()

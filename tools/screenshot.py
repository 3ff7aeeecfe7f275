"""Write the README's screenshots: SVG exports of the real app on the 8 sample trees.

    python3 tools/screenshot.py [OUT_DIR]      # default: docs/screenshots

  fleet.svg              the fleet view at 120x40 (worst host on top, named in the banner)
  host-weblogs-2011.svg  the incident host's view at 120x40 (enter on the worst row)
  host-80x24.svg         the same host view at 80x24 (a shared tmux), findings focused
  refusal.svg            `q` while weblogs-2011 is UNBOOTABLE, at 80x24
  replay.svg             replay of sample_hosts/sessions/weblogs-2011.jsonl at 80x24, paused
                         at 22:59:31 CDT, the moment the admin left on the record

Each picture is the real CockpitApp, run headless (App.run_test), reading every sample
tree with the real collector and engine, on a clock frozen at the incident's evening
(2011-09-29 23:00 CDT, so ages read "0s ago" and the reboot is "in 4h15m"), with the
cockpit-dark theme and no user themes or recording (XDG dirs in a temporary directory).
Re-running it on the same code gives the same files; it is the same setup the snapshot
tests pin (tests/ui/test_fleet_snapshots.py).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cockpit.hostspec import HostSpec  # noqa: E402
from cockpit.recording.session_log import NullLog  # noqa: E402
from cockpit.ui.app import CockpitApp  # noqa: E402
from cockpit.ui.host_screen import HostScreen  # noqa: E402
from cockpit.ui.refusal_screen import RefusalScreen  # noqa: E402

SAMPLES = REPO / "sample_hosts"
INCIDENT_HOST = "weblogs-2011"
AT = datetime.fromisoformat((SAMPLES / INCIDENT_HOST / "AT").read_text().strip())
WIDE, TMUX = (120, 40), (80, 24)

Steps = Callable[[CockpitApp, Any], Awaitable[None]]


def sample_specs() -> list[HostSpec]:
    """Every sample tree (a folder with an AT file), named after it, as an offline root."""
    trees = sorted(p for p in SAMPLES.iterdir() if (p / "AT").is_file())
    return [HostSpec(name=p.name, kind="offline", root=str(p)) for p in trees]


async def until(pilot: Any, condition: Callable[[], bool], within: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() > deadline:
            raise SystemExit(f"screenshot: the app did not get there within {within:g}s")
        await pilot.pause(0.05)
    await pilot.pause()


async def fleet_read(app: CockpitApp, pilot: Any) -> None:
    """Every host answered and the fleet table drew it (no flush pending)."""
    await until(
        pilot,
        lambda: (
            all(e.state is not None for e in app.book) and not getattr(app.screen, "pending", False)
        ),
    )


async def host_view(app: CockpitApp, pilot: Any) -> None:
    await fleet_read(app, pilot)
    app.open_host(INCIDENT_HOST)
    await until(pilot, lambda: isinstance(app.screen, HostScreen))


async def host_findings(app: CockpitApp, pilot: Any) -> None:
    await host_view(app, pilot)
    await pilot.press("f")
    await pilot.pause()


async def refusal(app: CockpitApp, pilot: Any) -> None:
    from textual.widgets import Input

    await fleet_read(app, pilot)
    await pilot.press("q")
    await until(pilot, lambda: isinstance(app.screen, RefusalScreen))
    app.screen.query_one(Input).cursor_blink = False  # a still picture: cursor shown
    await pilot.pause()


def fleet_app() -> CockpitApp:
    return CockpitApp(sample_specs(), log=NullLog(), clock=lambda: AT, theme="cockpit-dark")


def replay_app() -> CockpitApp:
    from cockpit.recording import open_recording
    from cockpit.ui.replay_app import ReplayApp
    from cockpit.ui.replay_source import ReplaySource

    recording = open_recording(SAMPLES / "sessions" / "weblogs-2011.jsonl")
    left = datetime.fromisoformat("2011-09-29T22:59:31-05:00")
    source = ReplaySource(recording, start=left)
    return ReplayApp(recording, source, theme="cockpit-dark")


async def replay_read(app: Any, pilot: Any) -> None:
    """On the host view, the story read (reboot marks on the bar), the bar drawn."""
    await until(pilot, lambda: isinstance(app.screen, HostScreen))
    await until(pilot, lambda: app.replay_source.story.scanned)
    await pilot.pause(0.3)


async def shoot(steps: Steps, size: tuple[int, int], make: Callable[[], Any] = fleet_app) -> str:
    app = make()
    async with app.run_test(size=size) as pilot:
        await steps(app, pilot)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        svg = app.export_screenshot(title="cockpit")
    return svg


SHOTS: list[tuple[str, Steps, tuple[int, int], Callable[[], Any]]] = [
    ("fleet.svg", fleet_read, WIDE, fleet_app),
    (f"host-{INCIDENT_HOST}.svg", host_view, WIDE, fleet_app),
    ("host-80x24.svg", host_findings, TMUX, fleet_app),
    ("refusal.svg", refusal, TMUX, fleet_app),
    ("replay.svg", replay_read, TMUX, replay_app),
]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as xdg:
        for var in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            os.environ[var] = str(Path(xdg) / var.lower())
        for name, steps, size, make in SHOTS:
            svg = asyncio.run(shoot(steps, size, make))
            (out / name).write_text(svg, encoding="utf-8")
            print(f"{out / name}  {size[0]}x{size[1]}  {len(svg) // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

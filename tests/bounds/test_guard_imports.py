"""The quit guard fails closed: a module it needs that cannot be imported never turns
`q` (or SIGTERM) into a silent exit. Either quitting is still refused, or the app does
not start at all and says why (issue 12, section 4).

Each case runs in a fresh interpreter whose import system refuses one of the guard's
modules before anything of cockpit is imported, then drives the app as a person would.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import REPO, SAMPLES

#: Exit status of the script below when the app refused to start (the import failed).
WOULD_NOT_START = 70

SCRIPT = r"""
import asyncio, os, signal, sys

BROKEN = sys.argv[1]

class Broken:
    def find_spec(self, name, path=None, target=None):
        if name == BROKEN:
            raise ImportError(f"{name} is broken on purpose")
        return None

sys.meta_path.insert(0, Broken())
try:
    from cockpit.cli import app_cmd  # what `cockpit` imports to open the screen
    from cockpit.ui.app import CockpitApp
except ImportError as exc:
    print(f"would not start: {exc}", file=sys.stderr)
    sys.exit(70)

from cockpit.hostspec import HostSpec


async def main() -> int:
    spec = HostSpec(name="weblogs-2011", kind="offline", root=sys.argv[2])
    app = CockpitApp([spec])
    async with app.run_test(size=(100, 30)) as pilot:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while app.book.get("weblogs-2011").state is None:
            assert loop.time() < deadline, "the host was never read"
            await pilot.pause(0.05)
        await pilot.press("q")
        await pilot.pause(0.3)
        if not app.is_running or app._exit_renderables or app.return_value is not None:
            print("quit without asking", file=sys.stderr)
            return 1
        asked = type(app.screen).__name__
        await pilot.press("escape")  # back to fix it; then a kill asks the same question
        await pilot.pause(0.1)
        os.kill(os.getpid(), signal.SIGTERM)
        await pilot.pause(0.3)
        if not app.is_running or app.return_value is not None:
            print("SIGTERM quit without asking", file=sys.stderr)
            return 1
        print(f"still running on {asked}, then on {type(app.screen).__name__}")
        return 0

sys.exit(asyncio.run(main()))
"""


@pytest.mark.parametrize(
    "module",
    [
        "cockpit.ui.quit_guard",
        "cockpit.ui.quit_decision",
        "cockpit.ui.refusal_screen",
        "cockpit.ui.signals",
    ],
)
def test_a_broken_guard_module_never_lets_q_exit_silently(module: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, module, str(SAMPLES / "weblogs-2011")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    if proc.returncode == WOULD_NOT_START:
        assert module in proc.stderr, proc.stderr  # loudly: it names what is broken
        return
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "still running on RefusalScreen, then on RefusalScreen" in proc.stdout

"""SVG snapshots of the host view (pytest-textual-snapshot) at 80x24 and 120x40.

Deterministic: frozen client clock, `--at` host time, the cockpit-dark theme, no user
themes (isolated XDG dir), no header clock. Update on purpose with `--snapshot-update`
and review the SVGs in the diff (they move with the pinned textual version).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from cockpit.ui.themes import load_all, register_all, themes_dir
from tests.ui.test_host_screen import HostApp, sample


@pytest.fixture(autouse=True)
def _no_user_themes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


async def _dark(pilot: Pilot[Any]) -> None:
    register_all(pilot.app, load_all([themes_dir()]))
    pilot.app.theme = "cockpit-dark"
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("tree", ["weblogs-2011", "fedora40-bls-reboot-scheduled"])
def test_host_view_snapshot(snap_compare: Any, tree: str, size: tuple[int, int]) -> None:
    app = HostApp([sample(tree)])
    assert snap_compare(app, terminal_size=size, run_before=_dark)

"""SVG snapshot of replay at 80x24 (issue 13 §7): the incident evening at the moment the
admin left on the record, on the host view, with the two-line timeline bar and the key
hints (pytest-textual-snapshot).

Deterministic: the clock is the recorded one and replay opens paused at `--start`
22:59:31 (no status message is set, so the bar's second line shows its standing hint,
nothing that expires); the theme is cockpit-dark with no user themes (isolated XDG dirs,
conftest); the shot waits until the story (reboot marks) is read. Update on purpose with
`--snapshot-update` and review the SVG in the diff.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.pilot import Pilot

from cockpit.recording import open_recording
from cockpit.ui.host_screen import HostScreen
from cockpit.ui.replay_app import ReplayApp
from cockpit.ui.replay_source import ReplaySource
from tests.support import SAMPLES
from tests.ui.conftest import screen_lines, wait_until

INCIDENT = SAMPLES / "sessions" / "weblogs-2011.jsonl"
LEFT = datetime.fromisoformat("2011-09-29T22:59:31-05:00")


def test_replay_snapshot_80x24(snap_compare: Any) -> None:
    recording = open_recording(INCIDENT)
    source = ReplaySource(recording, start=LEFT)
    app = ReplayApp(recording, source, theme="cockpit-dark")

    async def steps(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: isinstance(app.screen, HostScreen), within=30)
        await wait_until(pilot, lambda: source.story.scanned, within=60)
        await wait_until(pilot, lambda: "REPLAY ⏸" in "\n".join(screen_lines(app)))
        await pilot.pause(0.3)
        text = " ".join(" ".join(screen_lines(app)).split())
        assert "22:59:31 CDT" in text and "03:15 CDT, in 4h15m" in text
        assert "] next mark" in text and "? Help" in text

    assert snap_compare(app, terminal_size=(80, 24), run_before=steps)

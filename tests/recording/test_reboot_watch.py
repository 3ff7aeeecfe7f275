"""Issue 13, "the reboot, watched through" (its pure part): the post-mortem lists each
reboot with the verdict predicted before it and what happened, on recorded states."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cockpit.recording.timeline_model import Judged, TimelineInput
from tests.recording.test_timeline import CDT, _with_boot_id, bad, down, entries, state


def test_a_reboot_that_never_came_back_is_told_against_its_prediction() -> None:
    inputs: list[TimelineInput] = [bad("2011-09-30T03:14:50")]
    inputs += [down(f"2011-09-30T03:{m:02d}:20") for m in range(15, 36)]
    found = entries(inputs)
    fired = next(e for e in found if e.kind == "reboot-fired")
    assert "predicted UNBOOTABLE (next boot has no init: /sbin/init does not exist)" in fired.text
    assert dict(fired.detail)["predicted"] == "unbootable"
    (outcome,) = [e for e in found if e.kind == "reboot-outcome"]
    assert outcome.text.startswith("not back 20m after the reboot")
    assert "predicted UNBOOTABLE before it, the prediction held" in outcome.text
    assert dict(outcome.detail) == {"predicted": "unbootable", "came_back": "no"}


def test_a_reboot_that_came_back_says_whether_the_prediction_held(tmp_path: Path) -> None:
    before = _with_boot_id(tmp_path, "weblogs-2011", "aaaaaaaa-1111-2222-3333-444444444444")
    after = _with_boot_id(tmp_path, "weblogs-2011", "bbbbbbbb-1111-2222-3333-444444444444")
    t1, t2 = "2011-09-30T03:14:00", "2011-09-30T03:20:00"
    found = entries(
        [
            Judged(datetime.fromisoformat(t1 + CDT), state("weblogs-2011", t1, before)),
            Judged(datetime.fromisoformat(t2 + CDT), state("weblogs-2011", t2, after)),
        ]
    )
    (outcome,) = [e for e in found if e.kind == "reboot-outcome"]
    assert outcome.text.startswith("back after 5m, verdict now UNBOOTABLE")
    assert "predicted UNBOOTABLE before the reboot, the prediction was wrong" in outcome.text
    assert dict(outcome.detail)["came_back"] == "yes"

"""The reboot, watched through: the post-mortem lists each reboot with the verdict
predicted before it and what happened, on recorded states; the screens show the same
watch (RebootWatch) as it happens: rebooting since, back after, not back after."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from cockpit.engine import judge_snapshot
from cockpit.recording.reboot_watch import (
    BACK_SHOWN,
    Change,
    Fired,
    Outcome,
    Rebooted,
    RebootWatch,
    view,
)
from cockpit.recording.timeline_model import HostError, Judged, TimelineInput
from cockpit.rules.finding import ArmedReboot
from cockpit.snapshot import Snapshot
from cockpit.state import HostState
from cockpit.words import Mode
from tests.recording.test_timeline import CDT, _with_boot_id, bad, down, entries, state
from tests.support import SAMPLES, collect_root


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
    detail = dict(outcome.detail)
    assert (detail["predicted"], detail["came_back"]) == ("unbootable", "no")
    # what the record keeps of it: the trigger, when it went down, what ran before
    assert detail["source"] == "root's crontab"
    assert detail["went_down"] == "2011-09-30T03:15:00-05:00"
    assert detail["down_at"] == "2011-09-30T03:15:20-05:00"
    assert detail["init_next_before"].startswith("missing")


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


# -- the watch itself: the state machine the app's screens show --------------------------

AT = "2011-09-30T03:15:00"
CRON = "root's crontab"


def _booted(tmp_path: Path, tree: str, boot_id: str, kernel: str) -> Snapshot:
    """A copy of the tree with a boot id, a running kernel and systemd as PID 1."""
    root = tmp_path / f"{tree}-{boot_id[:4]}" / tree
    shutil.copytree(SAMPLES / tree, root, symlinks=True)
    proc = root / "proc"
    (proc / "sys/kernel/random").mkdir(parents=True)
    (proc / "sys/kernel/random/boot_id").write_text(f"{boot_id}-1111-2222-3333-444444444444\n")
    (proc / "sys/kernel/osrelease").write_text(kernel + "\n")
    (proc / "1").mkdir()
    (proc / "1/comm").write_text("systemd\n")
    return collect_root(root)


#: debian12-systemd's own zone (Europe/Berlin in September): its clock reads these times.
CEST = "+02:00"


def _at(hms: str, zone: str = CEST) -> datetime:
    return datetime.fromisoformat(f"2011-09-30T{hms}{zone}")


def _up(snapshot: Snapshot, hms: str, armed: bool = False) -> tuple[datetime, HostState]:
    """debian12-systemd (bootable) read at `hms` on its clock, with root's crontab
    rebooting at 03:15 when `armed`."""
    judged = replace(judge_snapshot(snapshot, _at(hms)), name="web")
    zone = judged.host_time.tzinfo if judged.host_time else None
    when = _at("03:15:00").astimezone(zone)
    reboot = ArmedReboot(CRON, when, "15 3 * * * /sbin/reboot") if armed else None
    return _at(hms), replace(judged, next_reboot=reboot)


def _down(hms: str, category: str = "timeout", zone: str = CEST) -> tuple[datetime, HostState]:
    return _at(hms, zone), HostState.failed("web", Mode.LIVE, category, "no answer")


def _fold(*steps: tuple[datetime, HostState]) -> tuple[RebootWatch, list[Change]]:
    watch, changes = RebootWatch(), []
    for t, s in steps:
        watch, told = watch.observe(t, s)
        changes += told
    return watch, changes


def test_an_armed_reboot_is_watched_down_and_back_with_kernel_and_init(tmp_path: Path) -> None:
    before = _booted(tmp_path, "debian12-systemd", "aaaaaaaa", "6.1.0-56-amd64")
    after = _booted(tmp_path, "debian12-systemd", "bbbbbbbb", "6.1.0-57-amd64")
    watch, changes = _fold(_up(before, "03:14:50", armed=True))
    assert view(watch, _at("03:14:55")) is None  # answering, nothing under way
    watch, changes = _fold(_up(before, "03:14:50", armed=True), _down("03:15:02"))
    assert [type(c) for c in changes] == [Fired]
    seen = view(watch, _at("03:15:30"))
    assert seen is not None and (seen.phase, seen.level, seen.cell) == (
        "rebooting", "warning", "rebooting 30 s"
    )  # fmt: skip
    assert seen.sentence == (
        "rebooting since 03:15:00 (root's crontab reboot fired; unreachable since 03:15:02),"
        " 30 s: predicted BOOTABLE"
    )
    watch, changes = _fold(
        _up(before, "03:14:50", armed=True), _down("03:15:02"), _up(after, "03:15:47")
    )
    assert [type(c) for c in changes] == [Fired, Outcome, Rebooted]
    back = view(watch, _at("03:16:00"))
    assert back is not None and (back.phase, back.level) == ("back", "ok")
    assert (
        back.sentence
        == "back after 47 s, running kernel 6.1.0-57-amd64, verdict confirmed BOOTABLE"
    )
    assert back.detail == (
        "down 03:15:00, back 03:15:47; kernel 6.1.0-56-amd64 → 6.1.0-57-amd64, init systemd"
    )
    reboot = watch.reboot
    assert reboot is not None and reboot.held() == "the prediction held"
    assert (reboot.before.kernel, reboot.after and reboot.after.kernel) == (
        "6.1.0-56-amd64", "6.1.0-57-amd64"
    )  # fmt: skip
    assert view(watch, _at("03:15:47") + BACK_SHOWN + timedelta(seconds=1)) is None


def test_not_back_after_minutes_says_the_prediction() -> None:
    steps = [(_at("03:14:50", CDT), state("weblogs-2011", "2011-09-30T03:14:50"))]
    steps += [_down(f"03:{m}:20", zone=CDT) for m in range(15, 22)]
    watch, _ = _fold(*steps)
    early = view(watch, _at("03:17:00", CDT))
    assert early is not None and early.phase == "rebooting" and early.level == "blocker"
    late = view(watch, _at("03:21:30", CDT))
    assert late is not None and (late.phase, late.cell) == ("not-back", "not back 6 min")
    assert late.sentence.startswith("not back after 6 min (root's crontab reboot fired;")
    assert late.sentence.endswith(
        ": predicted UNBOOTABLE (next boot has no init: /sbin/init does not exist)"
    )
    outcome = watch.finish()  # what the report says at the end of the record
    assert outcome is not None and outcome.reboot.held() == "the prediction held"


def test_the_admin_reboot_is_unreachable_first_then_a_reboot_nobody_armed(
    tmp_path: Path,
) -> None:
    before = _booted(tmp_path, "debian12-systemd", "aaaaaaaa", "6.1.0-56-amd64")
    after = _booted(tmp_path, "debian12-systemd", "cccccccc", "6.1.0-56-amd64")
    watch, _ = _fold(_up(before, "03:00:00"), _down("03:01:00", "refused"))
    down = view(watch, _at("03:01:30"))
    assert down is not None and down.phase == "unreachable"  # not "rebooting": nothing due
    assert (down.sentence, down.level) == ("unreachable since 03:01:00", "unknown")
    watch, changes = _fold(
        _up(before, "03:00:00"), _down("03:01:00", "refused"), _up(after, "03:02:10")
    )
    assert [type(c) for c in changes] == [Outcome, Rebooted]
    rebooted = changes[1]
    assert isinstance(rebooted, Rebooted) and not rebooted.expected
    back = view(watch, _at("03:02:10"))
    assert back is not None
    assert (
        back.sentence
        == "back after 70 s, running kernel 6.1.0-56-amd64, verdict confirmed BOOTABLE"
    )
    assert watch.reboot is not None and watch.reboot.source is None


def test_unreachable_and_back_with_the_same_boot_id_is_no_reboot(tmp_path: Path) -> None:
    before = _booted(tmp_path, "debian12-systemd", "aaaaaaaa", "6.1.0-56-amd64")
    watch, changes = _fold(_up(before, "03:00:00"), _down("03:01:00"), _up(before, "03:02:00"))
    assert changes == [] and view(watch, _at("03:02:00")) is None


def test_a_host_seen_shutting_down_that_stops_answering_is_rebooting(tmp_path: Path) -> None:
    before = _booted(tmp_path, "debian12-systemd", "aaaaaaaa", "6.1.0-56-amd64")
    t, up = _up(before, "03:00:00")
    assert up.facts is not None
    init = replace(up.facts.init, systemd_state="stopping")
    stopping = replace(up, facts=replace(up.facts, init=init))
    watch, _ = _fold((t, stopping), _down("03:00:05", "refused"))
    seen = view(watch, _at("03:00:20"))
    assert seen is not None and seen.phase == "rebooting"
    assert "it was shutting down at the last reading" in seen.sentence


def test_a_step_back_in_time_starts_the_watch_over() -> None:
    watch = RebootWatch()
    watch = watch.step(_at("03:14:50", CDT), state("weblogs-2011", "2011-09-30T03:14:50"))
    watch = watch.step(*_down("03:15:20", zone=CDT))
    assert watch.in_flight is not None
    watch = watch.step(*_down("03:10:00", zone=CDT))  # replay moved back: before the reboot
    assert watch.in_flight is None and watch.last is None


def test_the_report_tells_the_admin_reboot_from_the_same_fold(tmp_path: Path) -> None:
    before = _booted(tmp_path, "debian12-systemd", "aaaaaaaa", "6.1.0-56-amd64")
    after = _booted(tmp_path, "debian12-systemd", "cccccccc", "6.1.0-57-amd64")
    inputs: list[TimelineInput] = [
        Judged(*_up(before, "03:00:00")),
        HostError(_at("03:01:00"), "web", "refused", "connection refused"),
        Judged(*_up(after, "03:02:10")),
    ]
    (outcome,) = [e for e in entries(inputs) if e.kind == "reboot-outcome"]
    assert outcome.text.startswith("back after 1m, verdict now BOOTABLE: predicted BOOTABLE")
    assert "kernel 6.1.0-56-amd64 → 6.1.0-57-amd64" in outcome.text
    assert outcome.text.endswith("nothing armed was seen for this reboot")
    detail = dict(outcome.detail)
    assert (detail["down_at"], detail["back_at"]) == (
        "2011-09-30T03:01:00+02:00", "2011-09-30T03:02:10+02:00"
    )  # fmt: skip
    assert (detail["kernel_before"], detail["kernel_after"]) == ("6.1.0-56-amd64", "6.1.0-57-amd64")
    assert (detail["init_before"], detail["init_after"], detail["rebooted"]) == (
        "systemd", "systemd", "yes"
    )  # fmt: skip

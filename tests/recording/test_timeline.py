"""The post-mortem timeline on HostStates from the real engine on sample trees.

Two real trees stand for one host ("web") in two states: debian12-systemd (bootable, no
reboot armed) and weblogs-2011 (unbootable, root's crontab reboots at 03:15 CDT). Boot
ids come from copies of the trees with a /proc boot_id file written in.
"""

from __future__ import annotations

import functools
import shutil
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from cockpit.engine import judge_snapshot
from cockpit.recording.timeline import build_timeline
from cockpit.recording.timeline_model import (
    Action,
    Entry,
    Guard,
    GuardHost,
    HostError,
    Judged,
    Note,
    TimelineInput,
)
from cockpit.snapshot import Snapshot
from cockpit.state import HostState
from tests.support import SAMPLES, collect_root

CDT = "-05:00"


@functools.cache
def _collected(tree: str) -> Snapshot:
    return collect_root(SAMPLES / tree)


def state(tree: str, at: str, snapshot: Snapshot | None = None) -> HostState:
    """The tree judged at host time `at` (CDT), as host "web"."""
    judged = judge_snapshot(snapshot or _collected(tree), datetime.fromisoformat(at + CDT))
    return replace(judged, name="web")


def good(at: str) -> Judged:
    return Judged(datetime.fromisoformat(at + CDT), state("debian12-systemd", at))


def bad(at: str) -> Judged:
    return Judged(datetime.fromisoformat(at + CDT), state("weblogs-2011", at))


def down(at: str, category: str = "timeout", message: str = "no answer within 60s") -> HostError:
    return HostError(datetime.fromisoformat(at + CDT), "web", category, message)


def entries(inputs: list[TimelineInput]) -> tuple[Entry, ...]:
    (host,) = build_timeline(inputs).hosts
    return host.entries


def kinds(found: tuple[Entry, ...], ref: str | None = None) -> list[str]:
    return [e.kind for e in found if ref is None or e.ref == ref]


def test_verdict_findings_and_reboot_armed_then_disarmed_in_order() -> None:
    found = entries(
        [good("2011-09-29T21:00:00"), bad("2011-09-29T21:05:00"), good("2011-09-29T21:30:00")]
    )
    assert found[0].kind == "verdict" and "first reading: BOOTABLE" in found[0].text
    unbootable = next(e for e in found if e.kind == "verdict" and "UNBOOTABLE" in e.text)
    assert unbootable.when.isoformat() == "2011-09-29T21:05:00-05:00"  # host clock and zone
    assert "/sbin/init does not exist" in unbootable.text  # the blocker, named
    assert kinds(found, "init.boot-init-missing") == ["finding-appeared", "finding-cleared"]
    appeared = next(e for e in found if e.ref == "init.boot-init-missing")
    assert appeared.severity == "blocker"
    assert "next boot has no init" in appeared.text
    armed = next(e for e in found if e.kind == "reboot-armed")
    assert "root's crontab" in armed.text and "2011-09-30T03:15:00-05:00" in armed.text
    disarmed = next(e for e in found if e.kind == "reboot-disarmed")
    assert disarmed.t > armed.t  # gone at 21:30, long before its 03:15: disarmed, not fired
    assert "reboot-fired" not in kinds(found)
    times = [e.t for e in found]
    assert times == sorted(times)


def test_a_finding_that_flaps_every_refresh_is_one_line_with_counts() -> None:
    start = datetime.fromisoformat("2011-09-29T21:00:00" + CDT)
    g, b = (
        state("debian12-systemd", "2011-09-29T21:00:00"),
        state("weblogs-2011", "2011-09-29T21:00:00"),
    )
    inputs: list[TimelineInput] = [Judged(start, g)]
    for i in range(1, 401):  # 400 refreshes 5 s apart, alternating: ~33 minutes of noise
        when = start + timedelta(seconds=5 * i)
        # judged once per tree; each refresh carries its own host clock
        inputs.append(Judged(when, replace(b if i % 2 else g, host_time=when)))
    found = entries(inputs)
    assert len(found) < 25, [e.text for e in found]
    flap = next(e for e in found if e.ref == "init.boot-init-missing")
    assert flap.kind == "flapping"
    assert flap.count == 400
    assert "appeared 200, cleared 200" in flap.text and "ended cleared" in flap.text
    assert flap.until is not None and flap.until - flap.when == timedelta(seconds=5 * 399)
    verdict = [e for e in found if e.kind == "flapping" and e.text.startswith("verdict flapped")]
    assert len(verdict) == 1 and "ended BOOTABLE" in verdict[0].text
    reboot = [e for e in found if e.kind == "flapping" and e.text.startswith("reboot by")]
    assert len(reboot) == 1 and "armed 200, disarmed 200" in reboot[0].text


def test_a_real_change_and_its_fix_half_an_hour_later_are_not_folded() -> None:
    found = entries(
        [good("2011-09-29T21:00:00"), bad("2011-09-29T21:05:00"), good("2011-09-29T21:35:00")]
    )
    assert "flapping" not in kinds(found)
    assert kinds(found, "init.boot-init-missing") == ["finding-appeared", "finding-cleared"]


def test_reboot_fired_when_the_host_stops_answering_at_its_time() -> None:
    inputs: list[TimelineInput] = [bad("2011-09-30T03:14:50")]
    inputs += [down(f"2011-09-30T03:{m:02d}:20") for m in range(15, 36)]
    timeline = build_timeline(inputs)
    (host,) = timeline.hosts
    fired = next(e for e in host.entries if e.kind == "reboot-fired")
    assert fired.when.isoformat() == "2011-09-30T03:15:00-05:00"
    assert "root's crontab" in fired.text and "stopped answering at 03:15:20" in fired.text
    (lost,) = [e for e in host.entries if e.kind == "unreachable"]
    assert lost.count == 21 and "21 failed refreshes" in lost.text
    assert kinds(host.entries).index("reboot-fired") < kinds(host.entries).index("unreachable")
    assert not host.reachable_at_end
    assert host.unreachable_since is not None
    assert host.unreachable_since.isoformat() == "2011-09-30T03:15:20-05:00"
    assert host.final_verdict == "unbootable" and host.errors == 21


def test_unreachable_long_before_the_reboot_is_not_a_fired_reboot_and_comes_back() -> None:
    found = entries(
        [
            bad("2011-09-29T23:00:00"),
            down("2011-09-29T23:01:00", "refused", "connection refused"),
            down("2011-09-29T23:02:00"),
            bad("2011-09-29T23:30:00"),
        ]
    )
    assert "reboot-fired" not in kinds(found)
    lost = next(e for e in found if e.kind == "unreachable")
    assert lost.count == 2 and "refused x1, timeout x1" in lost.text
    back = next(e for e in found if e.kind == "reachable")
    assert "after 29m" in back.text


def test_reboot_time_passing_while_the_host_answers_is_not_a_reboot() -> None:
    found = entries([bad("2011-09-30T03:14:00"), bad("2011-09-30T03:16:00")])
    passed = next(e for e in found if e.kind == "reboot-passed")
    assert passed.when.isoformat() == "2011-09-30T03:15:00-05:00"
    assert "no sign it fired" in passed.text and "boot id unknown" in passed.text
    assert "reboot-fired" not in kinds(found)
    # the daily job armed for the next night is the same trigger, not a new arming
    assert kinds(found).count("reboot-armed") == 1
    assert "reboot-changed" not in kinds(found)


def _with_boot_id(tmp_path: Path, tree: str, boot_id: str) -> Snapshot:
    root = tmp_path / f"{tree}-{boot_id[:4]}" / tree
    shutil.copytree(SAMPLES / tree, root, symlinks=True)
    random = root / "proc/sys/kernel/random"
    random.mkdir(parents=True)
    (random / "boot_id").write_text(boot_id + "\n")
    return collect_root(root)


def test_new_boot_id_after_the_armed_time_is_the_reboot_firing(tmp_path: Path) -> None:
    before = _with_boot_id(tmp_path, "weblogs-2011", "aaaaaaaa-1111-2222-3333-444444444444")
    after = _with_boot_id(tmp_path, "weblogs-2011", "bbbbbbbb-1111-2222-3333-444444444444")
    t1, t2 = "2011-09-30T03:14:00", "2011-09-30T03:20:00"
    found = entries(
        [
            Judged(datetime.fromisoformat(t1 + CDT), state("weblogs-2011", t1, before)),
            Judged(datetime.fromisoformat(t2 + CDT), state("weblogs-2011", t2, after)),
        ]
    )
    fired = next(e for e in found if e.kind == "reboot-fired")
    assert "new boot id" in fired.text
    assert fired.when.isoformat() == "2011-09-30T03:15:00-05:00"
    rebooted = next(e for e in found if e.kind == "rebooted")
    assert "bbbbbbbb" in rebooted.text and "no armed reboot" not in rebooted.text
    assert "reboot-passed" not in kinds(found)


def test_new_boot_id_with_nothing_armed_says_so(tmp_path: Path) -> None:
    before = _with_boot_id(tmp_path, "debian12-systemd", "aaaaaaaa-1111-2222-3333-444444444444")
    after = _with_boot_id(tmp_path, "debian12-systemd", "cccccccc-1111-2222-3333-444444444444")
    t1, t2 = "2011-09-29T21:00:00", "2011-09-29T21:10:00"
    found = entries(
        [
            Judged(datetime.fromisoformat(t1 + CDT), state("debian12-systemd", t1, before)),
            Judged(datetime.fromisoformat(t2 + CDT), state("debian12-systemd", t2, after)),
        ]
    )
    (rebooted,) = [e for e in found if e.kind == "rebooted"]
    assert "no armed reboot was seen" in rebooted.text
    assert "reboot-fired" not in kinds(found)


def test_quit_guard_notes_and_actions_on_the_session_and_the_hosts_they_name() -> None:
    t = datetime.fromisoformat("2011-09-29T22:58:10" + CDT)
    guard_host = GuardHost(
        "web",
        "unbootable",
        (("init.boot-init-missing", "next boot has no init: /sbin/init does not exist"),),
        "2011-09-30T03:15:00-05:00",
        "root's crontab",
    )
    refused = Guard(t, "quit-refused", (guard_host,), via="q", user="admin")
    timeline = build_timeline(
        [
            bad("2011-09-29T22:58:00"),
            refused,
            replace(refused, t=t + timedelta(seconds=20)),  # q pressed again: one line, x2
            Guard(t + timedelta(minutes=1), "quit-override", (guard_host,), "q", "web", "admin"),
            Note(t + timedelta(minutes=2), None, "going to bed", "admin"),
            Action(
                t + timedelta(minutes=3), "web", "disarm-cron", "root's crontab", True, "", "admin"
            ),
        ]
    )
    session = timeline.session
    assert [e.kind for e in session] == ["quit-refused", "quit-override", "note", "action"]
    assert session[0].count == 2
    assert "by admin (via q)" in session[0].text and "/sbin/init does not exist" in session[0].text
    assert "typed 'web'" in session[1].text and "03:15:00-05:00" in session[1].text
    assert "disarm-cron on root's crontab by admin: ok" in session[3].text
    assert str(timeline.session_zone) == "America/Chicago"
    assert session[0].when.isoformat() == "2011-09-29T22:58:10-05:00"
    (host,) = timeline.hosts
    assert [k for k in kinds(host.entries) if k in ("quit-refused", "quit-override", "action")] == [
        "quit-refused",
        "quit-override",
        "action",
    ]
    assert "note" not in kinds(host.entries)  # a session note names no host


def test_a_host_never_read_is_unknown_not_ok() -> None:
    timeline = build_timeline([down("2011-09-29T21:00:00")], hosts=["web", "other"])
    web, other = timeline.hosts
    assert web.final_verdict == "unknown" and not web.reachable_at_end and web.errors == 1
    assert other.final_verdict == "unknown" and other.readings == 0 and other.entries == ()

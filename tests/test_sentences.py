"""The banner sentence: the incident's words on the incident's tree, and every variant."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from cockpit.render.sentences import banner, reboot_sentence, when_phrase
from cockpit.rules.finding import ArmedReboot, Finding, Severity
from cockpit.state import HostState
from tests.support import SAMPLES, judge_root

INCIDENT = (
    "UNBOOTABLE: /sbin/init is missing. root's crontab reboots this host at 03:15 CDT, in 4h15m."
)


@cache
def sample(name: str) -> HostState:
    return judge_root(SAMPLES / name, (SAMPLES / name / "AT").read_text().strip())


def test_weblogs_2011_reads_the_incident_sentence() -> None:
    state = sample("weblogs-2011")
    b = banner(state, state.host_time)
    assert b.sentence == INCIDENT
    assert (b.word, b.symbol, b.severity) == ("UNBOOTABLE", "✗", "blocker")


def test_the_countdown_follows_the_host_clock_and_the_next_day() -> None:
    state = sample("weblogs-2011")
    assert state.host_time is not None
    later = state.host_time + timedelta(hours=4, minutes=14, seconds=30)
    assert banner(state, later).sentence.endswith("at 03:15 CDT, in 30s.")
    # after 03:15 the daily job is armed again for the next night, not "overdue"
    after = state.host_time + timedelta(hours=4, minutes=16)
    assert "at 03:15 CDT, in 23h59m." in banner(state, after).sentence


def test_bootable_with_a_scheduled_shutdown() -> None:
    state = sample("fedora40-bls-reboot-scheduled")
    b = banner(state, state.host_time)
    assert b.word == "BOOTABLE" and b.severity == "warning" and b.symbol == "!"
    assert b.sentence.startswith("BOOTABLE: every boot stage proven (")
    assert b.sentence.endswith(
        "systemd scheduled shutdown reboots this host at 22:30 EDT, in 2h30m."
    )


def test_bootable_with_nothing_armed_and_critical_findings() -> None:
    state = sample("ubuntu2204-dpkg-interrupted")
    b = banner(state, state.host_time)
    assert "critical finding" in b.sentence and "before any reboot" in b.sentence
    assert b.sentence.endswith("No reboot is armed.")
    clean = banner(sample("debian12-systemd"), sample("debian12-systemd").host_time)
    assert clean.sentence == "BOOTABLE: every boot stage proven. No reboot is armed."
    assert clean.severity == "ok" and clean.symbol == "✓"


def test_unbootable_for_a_reason_other_than_init() -> None:
    state = sample("debian12-fstab-missing-uuid")
    b = banner(state, state.host_time)
    assert b.sentence.startswith("UNBOOTABLE: fstab source UUID=")
    assert b.sentence.endswith("No reboot is armed.")


NOW = datetime.fromisoformat("2024-06-12T20:00:00+00:00")


def _unknown(title: str, area: str = "init", critical: bool = True) -> Finding:
    return Finding(f"{area}.x", area, Severity.UNKNOWN, title, (), "", boot_critical=critical)


def test_unknown_says_why_and_an_unread_crontab_is_not_no_reboot() -> None:
    state = HostState(
        "h",
        "live",
        True,
        "unknown",
        "unknown",
        NOW,
        findings=(
            _unknown("could not check the next boot's init: /sbin/init denied"),
            _unknown("whether a reboot is scheduled is unknown: user crontabs", "reboots", False),
        ),
        next_reboot=None,
    )
    b = banner(state, NOW)
    assert (b.word, b.severity, b.symbol) == ("UNKNOWN", "unknown", "?")
    assert "could not check the next boot's init: /sbin/init denied" in b.sentence
    assert "No reboot is armed" not in b.sentence
    assert "Whether a reboot is armed is unknown: whether a reboot is scheduled" in b.sentence


def test_unreachable_and_not_yet_answered() -> None:
    failed = HostState.failed("h", "live", "timeout", "no answer in 20s")
    b = banner(failed, None)
    assert b.word == "UNREACHABLE" and b.severity == "unknown"
    assert b.sentence.startswith("UNREACHABLE (timeout): no answer in 20s.")
    assert "unknown" in b.sentence
    waiting = banner(None, None, phase="connecting")
    assert waiting.sentence.startswith("CONNECTING") and "unknown" in waiting.sentence


def test_reboot_time_unknown_and_far_away() -> None:
    armed = ArmedReboot("systemd timer r.timer", None, "r.timer", recurring=True)
    state = HostState("h", "live", True, "bootable", "warning", NOW, next_reboot=armed)
    assert (
        reboot_sentence(state, NOW) == "systemd timer r.timer will reboot this host (time unknown)."
    )
    far = NOW + timedelta(days=3, hours=2)
    assert when_phrase(far, NOW) == "on 2024-06-15 at 22:00 UTC, in 3d2h"
    assert when_phrase(NOW, NOW) == "at 20:00 UTC, due now"


def test_a_schedule_long_past_is_stale_in_the_banner_never_due_now() -> None:
    """Issue 13 §5: fedora40's shutdown file, judged two years on."""
    root = SAMPLES / "fedora40-bls-reboot-scheduled"
    state = judge_root(root, "2026-06-13T20:00:00-04:00")
    text = banner(state, state.host_time).sentence
    assert "due now" not in text and "in now" not in text
    assert (
        "systemd scheduled shutdown: a reboot was due at 2024-06-12 22:30 EDT, 2 years ago "
        "(overdue, or a stale schedule)." in text
    )

"""Issue 13 §3 and §5: a finding's time is data, said again at any now; a schedule whose
time has passed is stale or overdue, with its date: never a countdown, never first."""

from __future__ import annotations

from datetime import datetime, timedelta

from cockpit.facts.reboots import AtReboot, ScheduledShutdown
from cockpit.rules import reboots
from cockpit.rules.chain.model import BootChain
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.verdict import decide
from cockpit.rules.when import ago, order_key
from tests.reboots.test_rules import INCIDENT, NY, ROOT_JOB, facts

FEDORA_SD = ScheduledShutdown(
    "systemd scheduled shutdown",
    "/run/systemd/shutdown/scheduled",
    1718245800.0,  # 2024-06-12 22:30 EDT
    "reboot",
    ("/run/systemd/shutdown/scheduled: USEC=1718245800000000",),
)
FEDORA_SD_AT = datetime(2024, 6, 12, 22, 30, tzinfo=NY)
TWO_YEARS_ON = datetime(2026, 6, 13, 20, 0, tzinfo=NY)


def test_a_past_shutdown_is_stale_with_its_date_never_due_now() -> None:
    (f,) = reboots.judge(facts(shutdowns=(FEDORA_SD,)), TWO_YEARS_ON)
    assert f.title == (
        "systemd scheduled shutdown: a reboot scheduled for 2024-06-12 22:30 EDT, "
        "2 years ago: stale file?"
    )
    assert "in now" not in f.title and "due now" not in f.title
    assert "remove the stale /run/systemd/shutdown/scheduled" in f.remedy


def test_a_stale_schedule_never_sorts_before_a_real_one() -> None:
    found = reboots.armed(facts(cron=(ROOT_JOB,), shutdowns=(FEDORA_SD,)), TWO_YEARS_ON)
    assert [a.source for a in found] == ["root's crontab", "systemd scheduled shutdown"]
    verdict = decide([], found, TWO_YEARS_ON, BootChain(()))
    assert verdict.next_reboot is not None and verdict.next_reboot.source == "root's crontab"
    assert order_key(None, TWO_YEARS_ON) < order_key(FEDORA_SD_AT, TWO_YEARS_ON)


def test_a_findings_countdown_is_said_again_at_the_screens_now() -> None:
    (f,) = reboots.judge(facts(cron=(ROOT_JOB,)), INCIDENT)
    assert f.title.endswith("(next in 4h15m)")
    assert f.title_at(INCIDENT) == f.title  # said at judge time: the same words
    later = INCIDENT + timedelta(minutes=2)
    assert f.title_at(later).endswith("(next in 4h13m)")
    after = INCIDENT + timedelta(hours=4, minutes=16)
    assert f.title_at(after).endswith("(due 1m00s ago: refresh for the next run)")
    assert f.title_at(None) == f.title


def test_an_at_job_past_its_time_is_overdue() -> None:
    at = AtReboot("/var/spool/cron/atjobs/a", "a", 13, 1317370500, "/sbin/reboot", "reboot")
    (f,) = reboots.judge(facts(at_jobs=(at,)), INCIDENT)
    assert "(in " in f.title
    late = datetime.fromtimestamp(1317370500 + 90, tz=INCIDENT.tzinfo)
    assert f.title_at(late) == (
        "at job 13: a reboot due at 2011-09-30 03:15 CDT, 1m30s ago: overdue (is atd running?)"
    )


def test_the_combined_blocker_ticks_and_goes_overdue() -> None:
    armed = reboots.armed(facts(cron=(ROOT_JOB,)), INCIDENT)
    blocker = Finding("init.boot-init-missing", "init", Severity.BLOCKER, "no init", (), "")
    verdict = decide([blocker], armed, INCIDENT, BootChain(()))
    combined = next(f for f in verdict.findings if f.id.startswith("verdict."))
    assert combined.title.endswith("at 2011-09-30 03:15 CDT, in 4h15m")
    assert combined.title_at(INCIDENT + timedelta(hours=4)).endswith(", in 15m")
    gone = combined.title_at(INCIDENT + timedelta(hours=5))
    assert "45m ago: overdue" in gone and "in now" not in gone


def test_ago_in_words() -> None:
    assert ago(INCIDENT - timedelta(seconds=30), INCIDENT) == "30s ago"
    assert ago(INCIDENT - timedelta(days=800), INCIDENT) == "2 years ago"

"""Rules: reboot facts + now -> findings and armed reboots, in the host's time."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from cockpit.facts.reboots import (
    AtReboot,
    AutoReboot,
    CronReboot,
    RebootFacts,
    RebootFlag,
    ScheduledShutdown,
    SourceState,
    TimerReboot,
)
from cockpit.parsers import parse_snapshot
from cockpit.rules import reboots
from cockpit.rules.finding import Severity
from cockpit.rules.reboots.oncalendar import calendar_to_cron
from tests.support import SAMPLES, collect_root

CHI = ZoneInfo("America/Chicago")
NY = ZoneInfo("America/New_York")
INCIDENT = datetime(2011, 9, 29, 23, 0, tzinfo=CHI)
ROOT_JOB = CronReboot(
    "root's crontab",
    "/var/spool/cron/crontabs/root",
    "15 3 * * * /sbin/shutdown -r now",
    "root",
    "15 3 * * *",
    None,
    "reboot",
)

_BASE = parse_snapshot(collect_root(SAMPLES / "debian12-systemd"))


def facts(**kw: object):  # type: ignore[no-untyped-def]
    return replace(_BASE, reboots=RebootFacts(**kw))  # type: ignore[arg-type]


def test_incident_cron_title_has_0315_and_countdown() -> None:
    (f,) = reboots.judge(facts(cron=(ROOT_JOB,)), INCIDENT)
    assert f.id == "reboots.cron-reboot" and f.severity is Severity.WARNING
    assert f.title == "root's crontab reboots this host daily at 03:15 CDT (next in 4h15m)"
    assert f.evidence == ("/var/spool/cron/crontabs/root: 15 3 * * * /sbin/shutdown -r now",)
    assert "crontab -u root -e" in f.remedy
    (armed,) = reboots.armed(facts(cron=(ROOT_JOB,)), INCIDENT)
    assert armed.at == datetime(2011, 9, 30, 3, 15, tzinfo=CHI) and armed.recurring


def test_countdown_is_elapsed_time_across_dst() -> None:
    now = datetime(2011, 3, 12, 23, 0, tzinfo=CHI)  # 02:00 -> 03:00 that night
    (f,) = reboots.judge(facts(cron=(ROOT_JOB,)), now)
    assert "(next in 3h15m)" in f.title


def test_cron_tz_job_and_unknown_time_script() -> None:
    utc_job = replace(
        ROOT_JOB, zone="UTC", source="/etc/cron.d/nightly", path="/etc/cron.d/nightly"
    )
    script = CronReboot(
        "/etc/cron.daily/x", "/etc/cron.daily/x", "reboot", "root", None, None, "reboot"
    )
    now = datetime(2024, 6, 12, 20, 0, tzinfo=NY)
    found = reboots.judge(facts(cron=(utc_job, script)), now)
    assert found[0].title == (
        "/etc/cron.d/nightly reboots this host daily at 03:15 UTC (CRON_TZ=UTC) (next in 3h15m)"
    )
    assert "time unknown" in found[1].title
    armed = reboots.armed(facts(cron=(script, utc_job)), now)
    assert [a.at for a in armed] == [datetime(2024, 6, 12, 23, 15, tzinfo=NY), None]


def test_systemd_scheduled_shutdown_fedora_story() -> None:
    sd = ScheduledShutdown(
        "systemd scheduled shutdown",
        "/run/systemd/shutdown/scheduled",
        1718245800.0,
        "reboot",
        ("/run/systemd/shutdown/scheduled: USEC=1718245800000000",),
    )
    now = datetime(2024, 6, 12, 20, 0, tzinfo=NY)
    (f,) = reboots.judge(facts(shutdowns=(sd,)), now)
    assert f.id == "reboots.shutdown-scheduled" and f.severity is Severity.WARNING
    assert (
        f.title == "systemd scheduled shutdown reboots this host at 2024-06-12 22:30 EDT (in 2h30m)"
    )
    assert "shutdown -c" in f.remedy
    (armed,) = reboots.armed(facts(shutdowns=(sd,)), now)
    assert armed.at == datetime(2024, 6, 12, 22, 30, tzinfo=NY)


def test_sysvinit_shutdown_hhmm_and_offline_leftover() -> None:
    live = ScheduledShutdown(
        "sysvinit shutdown", "/var/run/shutdown.pid", None, "reboot", ("x",), None, "03:15"
    )
    (armed,) = reboots.armed(facts(shutdowns=(live,)), INCIDENT)
    assert armed.at == datetime(2011, 9, 30, 3, 15, tzinfo=CHI)
    stale = replace(live, live=False)
    assert reboots.armed(facts(shutdowns=(stale,)), INCIDENT) == []
    (f,) = reboots.judge(facts(shutdowns=(stale,)), INCIDENT)
    assert f.severity is Severity.INFO


def test_at_job_and_timer() -> None:
    at = AtReboot("/var/spool/cron/atjobs/a", "a", 13, 1317370500, "/sbin/reboot", "reboot")
    timer = TimerReboot(
        "nightly.timer",
        "/etc/systemd/system/nightly.timer",
        ("Mon *-*-* 04:00",),
        (),
        "reboot.target",
        "reboot",
        ("/etc/systemd/system/nightly.timer: Unit=reboot.target",),
        None,
        True,
    )
    off = replace(timer, timer="off.timer", enabled=False)
    found = reboots.judge(facts(at_jobs=(at,), timers=(timer, off)), INCIDENT)
    assert [f.id for f in found] == ["reboots.at-reboot", "reboots.timer-reboot"]
    assert "atrm 13" in found[0].remedy
    assert "next 2011-10-03 04:00 CDT" in found[1].title  # the Monday after
    armed = reboots.armed(facts(at_jobs=(at,), timers=(timer, off)), INCIDENT)
    assert [a.source for a in armed] == ["at job 13", "systemd timer nightly.timer"]


def test_calendar_to_cron() -> None:
    c = calendar_to_cron
    assert c("daily") == "0 0 * * *"
    assert c("weekly") == "0 0 * * mon"
    assert c("*-*-* 03:15:00") == "15 03 * * *"
    assert c("Mon *-*-* 04:00") == "00 04 * * mon"
    assert c("Mon..Fri 22:30") == "30 22 * * mon-fri"
    assert c("*-*-01 02:00") == "00 02 01 * *"
    assert c("*:0/15") is None and c("2024-06-12 03:00") is None and c("03:15:30") is None


def test_auto_reboot_info_without_flag_warning_and_armed_with_flag() -> None:
    auto = AutoReboot(
        "unattended-upgrades",
        "true",
        True,
        "02:00",
        False,
        (
            "/etc/apt/apt.conf.d/50unattended-upgrades: "
            'Unattended-Upgrade::Automatic-Reboot "true";',
        ),
    )
    (f,) = reboots.judge(facts(auto=(auto,)), INCIDENT)
    assert f.id == "reboots.auto-reboot-enabled" and f.severity is Severity.INFO
    assert reboots.armed(facts(auto=(auto,)), INCIDENT) == []
    flag = RebootFlag("/run/reboot-required", "*** System restart required ***", ("linux-base",))
    found = reboots.judge(facts(auto=(auto,), flags=(flag,)), INCIDENT)
    assert [(f.id, f.severity) for f in found] == [
        ("reboots.auto-reboot-enabled", Severity.WARNING),
        ("reboots.reboot-required-flag", Severity.WARNING),
    ]
    assert "/run/reboot-required.pkgs: linux-base" in found[1].evidence
    (armed,) = reboots.armed(facts(auto=(auto,), flags=(flag,)), INCIDENT)
    assert armed.at == datetime(2011, 10, 1, 2, 0, tzinfo=CHI)  # run 06:00 on the 30th, then 02:00


def test_unreadable_spool_is_unknown_not_boot_critical() -> None:
    src = (
        SourceState("reboots.spool.crontabs", "denied", "user crontabs"),
        SourceState("/etc/crontab", "ok", "system crontab"),
    )
    (f,) = reboots.judge(facts(sources=src), INCIDENT)
    assert f.id == "reboots.crontab-unreadable" and f.severity is Severity.UNKNOWN
    assert not f.boot_critical and "unknown" in f.title
    absent = (SourceState("/etc/crontab", "absent", "system crontab"),)
    assert reboots.judge(facts(sources=absent), INCIDENT) == []


def test_weblogs_sample_end_to_end() -> None:
    snap = collect_root(SAMPLES / "weblogs-2011")
    host = parse_snapshot(snap)
    found = [f for f in reboots.judge(host, INCIDENT) if f.id == "reboots.cron-reboot"]
    assert [f.title for f in found] == [
        "root's crontab reboots this host daily at 03:15 CDT (next in 4h15m)"
    ]

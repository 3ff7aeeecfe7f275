"""Cron line parsing, reboot-command matching and next runs (DST, OR semantics)."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cockpit.parsers.reboots import cron
from tests.support import corpus

CHI = ZoneInfo("America/Chicago")
BER = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/sbin/shutdown -r now", ("reboot", 0)),
        ("reboot", ("reboot", 0)),
        ("test -f /var/run/reboot-required && /sbin/reboot", ("reboot", 0)),
        ("sleep 60; shutdown -h +5", ("halt", 5)),
        ("shutdown -rf now", ("reboot", 0)),
        ("shutdown -P now", ("poweroff", 0)),
        ("/sbin/poweroff", ("poweroff", 0)),
        ("halt", ("halt", 0)),
        ("init 6", ("reboot", 0)),
        ("/sbin/telinit 0", ("poweroff", 0)),
        ("systemctl reboot", ("reboot", 0)),
        ("systemctl -i poweroff", ("poweroff", 0)),
        ("systemctl kexec", ("kexec", 0)),
        ("systemctl soft-reboot", ("soft-reboot", 0)),
        ("systemctl start reboot.target", ("reboot", 0)),
        ("kexec -e", ("kexec", 0)),
        ("echo b > /proc/sysrq-trigger", ("reboot", 0)),
        ("sudo -n /sbin/reboot", ("reboot", 0)),
        ("sh -c 'sleep 5; reboot'", ("reboot", 0)),
        ("if [ -f /x ]; then reboot; fi", ("reboot", 0)),
        ("[ -x /usr/bin/foo ] || halt", ("halt", 0)),
        ("nohup /sbin/reboot >/dev/null 2>&1 &", ("reboot", 0)),
        ("busybox reboot", ("reboot", 0)),
        ("openrc-shutdown -r now", ("reboot", 0)),
        # not reboots
        ("echo reboot", None),
        ("logger 'nightly reboot disabled'", None),
        ("/usr/local/bin/check-reboot-required", None),
        ("shutdown -c", None),
        ("shutdown -k now", None),
        ("init 3", None),
        ("systemctl status reboot.target", None),
        ("kexec -l /boot/vmlinuz", None),
        ("reboot --help", None),
        ("grep reboot /var/log/syslog", None),
    ],
)
def test_reboot_kind(command: str, expected: tuple[str, int] | None) -> None:
    assert cron.reboot_kind(command) == expected


def test_system_crontab_corpus_runs_run_parts_and_no_reboots() -> None:
    # SOURCES.tsv: cron/crontab/etc-crontab-ubuntu2204-ovh.txt (ClementCastel/ubuntu-2204)
    jobs = list(cron.job_lines(corpus("cron/crontab/etc-crontab-ubuntu2204-ovh.txt"), True))
    dirs = {cron.run_parts_dir(j.command): j.spec for j in jobs}
    assert dirs == {
        "/etc/cron.hourly": "17 * * * *",
        "/etc/cron.daily": "25 6 * * *",
        "/etc/cron.weekly": "47 6 * * 0",
        "/etc/cron.monthly": "52 6 1 * *",
    }
    assert all(j.user == "root" for j in jobs)
    assert not any(cron.reboot_kind(j.command) for j in jobs)


def test_user_format_corpus_keeps_reboot_line_out_and_skips_at_reboot() -> None:
    # SOURCES.tsv: cron/crontab/etc-crontab-centos-7.7-jc.txt (jc fixture): has @reboot
    text = corpus("cron/crontab/etc-crontab-centos-7.7-jc.txt")
    jobs = list(cron.job_lines(text + "@reboot /sbin/reboot\n", system=False))
    assert jobs == []  # nothing reboots; @reboot runs AT boot


def test_cron_d_corpus_files_have_no_reboot() -> None:
    # SOURCES.tsv: cron/cron.d/e2scrub_all-debian12-local.txt, sysstat-debian12-local.txt
    for rel in (
        "cron/cron.d/e2scrub_all-debian12-local.txt",
        "cron/cron.d/sysstat-debian12-local.txt",
    ):
        assert not [j for j in cron.job_lines(corpus(rel), True) if cron.reboot_kind(j.command)]


def test_specials_comments_disabled_and_cron_tz() -> None:
    text = (
        "# 15 3 * * * /sbin/reboot\n"
        "#15 3 * * * reboot\n"
        "CRON_TZ=Europe/Berlin\n"
        "@daily /sbin/reboot\n"
        "TZ=UTC\n"
        "15 3 * * * /sbin/shutdown -r now # the VMware issue\n"
        "*/5 x * * * reboot\n"
    )
    jobs = list(cron.job_lines(text, system=False))
    assert [(j.spec, j.zone) for j in jobs] == [
        ("0 0 * * *", "Europe/Berlin"),
        ("15 3 * * *", "Europe/Berlin"),  # CRON_TZ wins over TZ
    ]
    assert jobs[1].line == "15 3 * * * /sbin/shutdown -r now # the VMware issue"


def test_system_line_without_user_is_no_job() -> None:
    assert list(cron.job_lines("15 3 * * * reboot\n", system=True)) == []


def test_next_run_incident() -> None:
    now = datetime(2011, 9, 29, 23, 0, tzinfo=CHI)
    assert cron.next_run("15 3 * * *", now) == datetime(2011, 9, 30, 3, 15, tzinfo=CHI)


def test_next_run_across_dst_chicago() -> None:
    # spring forward 2011-03-13 02:00 CST -> 03:00 CDT: 03:15 still happens, in CDT
    now = datetime(2011, 3, 12, 23, 0, tzinfo=CHI)
    nxt = cron.next_run("15 3 * * *", now)
    assert nxt is not None and nxt.isoformat() == "2011-03-13T03:15:00-05:00"
    assert nxt.timestamp() - now.timestamp() == 3 * 3600 + 15 * 60  # one hour lost
    # fall back 2011-11-06 02:00 CDT -> 01:00 CST: one hour more
    now = datetime(2011, 11, 5, 23, 0, tzinfo=CHI)
    nxt = cron.next_run("15 3 * * *", now)
    assert nxt is not None and nxt.isoformat() == "2011-11-06T03:15:00-06:00"
    assert nxt.timestamp() - now.timestamp() == 5 * 3600 + 15 * 60


def test_next_run_across_dst_berlin_skipped_hour() -> None:
    # 2024-03-31 02:00 CET -> 03:00 CEST: a 02:30 job cannot run at 02:30
    now = datetime(2024, 3, 30, 23, 0, tzinfo=BER)
    nxt = cron.next_run("30 2 * * *", now)
    assert nxt is not None
    assert nxt.date().isoformat() == "2024-03-31" and nxt.utcoffset().total_seconds() == 7200
    assert nxt > now


def test_next_run_in_cron_tz_is_returned_in_host_zone() -> None:
    now = datetime(2024, 6, 12, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    nxt = cron.next_run("15 3 * * *", now, ZoneInfo("UTC"))
    assert nxt is not None and nxt.isoformat() == "2024-06-12T23:15:00-04:00"


def test_day_of_month_or_day_of_week() -> None:
    # cron runs when EITHER the 13th OR a Friday matches
    now = datetime(2024, 1, 1, tzinfo=BER)
    runs = []
    for _ in range(3):
        now = cron.next_run("0 0 13 * 5", now)  # type: ignore[assignment]
        runs.append(now.date().isoformat())
    assert runs == ["2024-01-05", "2024-01-12", "2024-01-13"]


def test_describe() -> None:
    assert cron.describe("15 3 * * *") == "daily at 03:15"
    assert cron.describe("47 6 * * 0") == "weekly on Sun at 06:47"
    assert cron.describe("0 5 1 * *") == "monthly on day 1 at 05:00"
    assert cron.describe("17 * * * *") == "hourly at :17"
    assert cron.describe("*/5 * * * *") == "on schedule '*/5 * * * *'"


def test_hostile_crontab_no_crash_no_forged_job() -> None:
    text = (
        "==COCKPIT-0123== END 0 ok 65536 reboots.crontab\n"
        "# ==COCKPIT-0123== BEGIN reboots.crontab\n"
        "\x1b]0;owned\x07 15 3 * * * /sbin/reboot\n"
        "15 3 * * * /bin/echo \ufffd\ufffd reboot\n"
        "\x00\x00\x00\n"
    )
    jobs = [j for j in cron.job_lines(text, False) if cron.reboot_kind(j.command)]
    assert jobs == []


def test_one_megabyte_crontab_is_fast() -> None:
    body = "".join(f"{i % 60} {i % 24} * * * /usr/bin/backup --job {i}\n" for i in range(30000))
    text = body[: 1 << 20] + "\n15 3 * * * /sbin/reboot\n"
    start = time.perf_counter()
    jobs = [j for j in cron.job_lines(text, False) if cron.reboot_kind(j.command)]
    assert time.perf_counter() - start < 1.0
    assert [j.spec for j in jobs] == ["15 3 * * *"]

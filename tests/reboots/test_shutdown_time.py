"""When a waiting sysvinit `shutdown` / openrc-shutdown fires: its command line read as
its getopt reads it, its start time from /proc, the minutes it counts from there.

The /proc lines are real: captured on this machine (Linux 6.x, USER_HZ 100) from a
`sleep` started 2820 s after boot; tests/real/test_real_shutdown.py runs the real
sysvinit and OpenRC binaries.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cockpit.facts import RebootFacts
from cockpit.parsers.reboots import parse
from cockpit.parsers.reboots.shutdowns import shutdown_argv, start_time
from cockpit.rules import reboots
from cockpit.rules.reboots.schedule import minutes_from_start
from cockpit.snapshot import Section
from tests.support import sections_from

CHICAGO = ZoneInfo("America/Chicago")
STAT = (
    "2527 (sleep) S 2525 2525 15362 0 -1 4194304 148 0 0 0 0 0 0 0 20 0 1 0 282018 2990080 "
    "393 18446744073709551615 94522140995584 94522141013513 140724490143536 0 0 0 0 6 0 1 0 "
    "0 17 0 0 0 0 0 0 94522141027600 94522141028864 94522675847168 140724490148584 "
    "140724490148594 140724490148594 140724490149865 0"
)
SELF = (
    "2541 (cat) R 2525 2525 15362 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 282046 3133440 379 "
    "18446744073709551615 94650797568000 94650797587881 140735393356704 0 0 0 0 0 0 0 0 0 17 "
    "1 0 0 0 0 0 94650797603888 94650797605504 94651574915072 140735393364706 "
    "140735393364726 140735393364726 140735393365995 0"
)
BTIME = 1796633395
STARTED = BTIME + 2820.18


def _timing(hz: str | None = "100") -> str:
    lines = [f"stat {STAT}", f"btime {BTIME}", "uptime 2820.44 839.84", f"self {SELF}"]
    if hz is not None:
        lines.append(f"hz {hz}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("argv", "kind", "when"),
    [
        (["/sbin/shutdown", "-r", "+90"], "reboot", "+90"),
        (["shutdown", "+90", "-r", "maintenance", "window"], "reboot", "+90"),  # permuted
        (["shutdown", "-t", "5", "-r", "10:30"], "reboot", "10:30"),  # -t takes an argument
        (["shutdown", "-rt5", "now"], "reboot", "now"),
        (["shutdown", "-h", "-P", "90"], "poweroff", "90"),
        (["shutdown", "-h", "+5"], "halt", "+5"),
        (["shutdown", "+90"], "single-user", "+90"),  # sysvinit's default runlevel is 1
        (["shutdown", "-k", "+90"], "warn-only", "+90"),
        (["shutdown", "-r", "-g", "23:00", "bye"], "reboot", "23:00"),
        (["shutdown", "-i6", "+1"], "reboot", "+1"),
        (["shutdown", "-r", "--", "+3"], "reboot", "+3"),
        (["shutdown"], "single-user", None),
        (["shutdown", "-r", "soon"], "reboot", None),
    ],
)
def test_sysvinit_command_lines(argv: list[str], kind: str, when: str | None) -> None:
    got = shutdown_argv(argv)
    assert (got.kind, got.when) == (kind, when)


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        (["openrc-shutdown", "-r", "+90"], "reboot"),
        (["openrc-shutdown", "--poweroff", "now"], "poweroff"),
        (["openrc-shutdown", "-s", "10"], "single-user"),
        (["openrc-shutdown", "-D", "-r", "+1"], "dry-run"),
        (["openrc-shutdown", "-K", "now"], "kexec"),
    ],
)
def test_openrc_command_lines(argv: list[str], kind: str) -> None:
    assert shutdown_argv(argv, openrc=True).kind == kind


def test_start_time_from_proc() -> None:
    got = start_time(Section("reboots.sdtime:/run/shutdown.pid", "ok", 0, _timing()))
    assert got is not None and got[0] == pytest.approx(STARTED)
    assert "getconf" in got[1]
    # no getconf: the collector's own start against uptime says 100 Hz as well
    got = start_time(Section("x", "ok", 0, _timing(hz=None)))
    assert got is not None and got[0] == pytest.approx(STARTED)
    assert start_time(Section("x", "ok", 0, "stat garbage\n")) is None
    assert start_time(Section("x", "missing")) is None


def test_minutes_like_shutdown_c() -> None:
    start = datetime(2024, 6, 12, 22, 40, 31, tzinfo=CHICAGO)
    assert minutes_from_start("+90", start) == 90
    assert minutes_from_start("90", start) == 90
    assert minutes_from_start("now", start) == 0
    assert minutes_from_start("23:00", start) == 20
    assert minutes_from_start("03:15", start) == 275  # tomorrow: +1440
    assert minutes_from_start("22:40", start) == 0
    assert minutes_from_start("25:00", start) is None


def _sections(cmdline: str, timing: str | None) -> dict[str, str | tuple[str, str]]:
    named: dict[str, str | tuple[str, str]] = {
        "host.mode": "live\n",
        "host.clock": "1796637000 -0500 CDT\n",
        "reboots.sysv.pid:/run/shutdown.pid": "2527\n",
        "reboots.sysv.pid.cmdline:/proc/2527/cmdline": cmdline,
    }
    if timing is not None:
        named["reboots.sdtime:/run/shutdown.pid"] = timing
    return named


def test_shutdown_plus_90_has_a_time_and_a_countdown() -> None:
    facts = parse(sections_from(_sections("/sbin/shutdown\x00-r\x00+90\x00", _timing())))
    (sd,) = facts.shutdowns
    assert sd.started == pytest.approx(STARTED)
    now = datetime.fromtimestamp(STARTED + 600, tz=CHICAGO)  # ten minutes later
    (finding,) = _scheduled(reboots.judge(_facts(facts), now))
    fire = datetime.fromtimestamp(STARTED + 90 * 60, tz=CHICAGO)
    assert finding.title == (
        f"sysvinit shutdown reboots this host at {fire:%Y-%m-%d %H:%M %Z} (in 1h20m)"
    )
    (armed,) = reboots.armed(_facts(facts), now)
    assert armed.at == fire


def test_without_start_time_plus_n_stays_unknown() -> None:
    facts = parse(sections_from(_sections("/sbin/shutdown\x00-r\x00+90\x00", None)))
    now = datetime.fromtimestamp(STARTED + 600, tz=CHICAGO)
    (finding,) = _scheduled(reboots.judge(_facts(facts), now))
    assert finding.title.endswith("(time unknown)")


def test_single_user_is_not_an_armed_reboot() -> None:
    facts = parse(sections_from(_sections("shutdown\x00+90\x00", _timing())))
    now = datetime.fromtimestamp(STARTED + 600, tz=CHICAGO)
    (finding,) = _scheduled(reboots.judge(_facts(facts), now))
    assert "single-user" in finding.title and "in 1h20m" in finding.title
    assert reboots.armed(_facts(facts), now) == []


def _scheduled(found):  # type: ignore[no-untyped-def]
    return [f for f in found if f.id == "reboots.shutdown-scheduled"]


def _facts(rb: RebootFacts):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from tests.services._run import facts as host_facts
    from tests.services.test_rules import _svc

    return replace(host_facts(_svc({})), reboots=rb)

"""The fleet's words, from real judged sample hosts and a stepped clock (no textual)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from functools import cache

from cockpit.hostspec import HostSpec
from cockpit.state import HostState
from cockpit.ui import fleet_banner, fleet_rows
from cockpit.ui.book import HostEntry
from tests.support import SAMPLES, judge_root
from tests.ui.conftest import INCIDENT_AT

AT = INCIDENT_AT.isoformat()


@cache
def judged(tree: str) -> HostState:
    return judge_root(SAMPLES / tree, AT)


def entry(tree: str, name: str | None = None, tags: tuple[str, ...] = ()) -> HostEntry:
    spec = HostSpec(name=name or tree, kind="offline", root=str(SAMPLES / tree), tags=tags)
    return HostEntry(spec, judged(tree), taken_at=INCIDENT_AT, updated_at=INCIDENT_AT, phase="ok")


def test_verdicts_are_words_and_symbols_and_unread_is_unknown() -> None:
    assert fleet_rows.verdict_cell(entry("weblogs-2011")) == ("✗ UNBOOTABLE", "blocker")
    assert fleet_rows.verdict_cell(entry("debian12-systemd")) == ("✓ BOOTABLE", "ok")
    never = HostEntry(HostSpec(name="new", kind="ssh"))
    assert fleet_rows.verdict_cell(never) == ("? UNKNOWN", "unknown")
    assert fleet_rows.reboot_cell(never, INCIDENT_AT) == "?"
    assert fleet_rows.refresh_cell(never, INCIDENT_AT) == "waiting"


def test_next_reboot_in_host_time_counts_down_with_the_clock() -> None:
    weblogs = entry("weblogs-2011")
    assert fleet_rows.reboot_cell(weblogs, INCIDENT_AT) == "03:15 CDT in 4h15m"
    later = INCIDENT_AT + timedelta(hours=4, minutes=10, seconds=30)
    assert fleet_rows.reboot_cell(weblogs, later) == "03:15 CDT in 4m30s"
    assert fleet_rows.refresh_cell(weblogs, later) == "4h ago"
    assert fleet_rows.reboot_cell(entry("debian12-systemd"), INCIDENT_AT) == "none armed"


def test_refresh_cell_says_connecting_and_backoff_with_its_wait() -> None:
    spec = HostSpec(name="web1", kind="ssh", address="web1")
    failed = HostState.failed("web1", "live", "timeout", "no answer within 30s")
    backoff = HostEntry(
        spec, failed, None, INCIDENT_AT, "backoff", 4, INCIDENT_AT + timedelta(seconds=8)
    )
    assert fleet_rows.refresh_cell(backoff, INCIDENT_AT) == "timeout, retry 8s"
    assert (
        fleet_rows.refresh_cell(backoff, INCIDENT_AT + timedelta(seconds=5)) == "timeout, retry 3s"
    )
    assert (
        fleet_rows.refresh_cell(HostEntry(spec, phase="connecting"), INCIDENT_AT) == "connecting…"
    )


def test_counts_of_packages_in_flight_and_failed_services() -> None:
    dpkg = entry("ubuntu2204-dpkg-interrupted")
    assert int(fleet_rows.packages_cell(dpkg)) >= 1
    assert fleet_rows.packages_cell(entry("debian12-systemd")) == "0"
    assert fleet_rows.failed_cell(entry("debian12-systemd")) in ("-", "?")  # a disk runs nothing
    assert fleet_rows.init_cell(entry("weblogs-2011")) == "unknown → missing"


def test_worst_first_order_and_the_banner_names_the_worst_host() -> None:
    trees = [p.name for p in sorted(SAMPLES.iterdir()) if (p / "AT").is_file()]
    entries = [entry(t) for t in trees]
    ordered = sorted(entries, key=lambda e: fleet_rows.worst_key(e, INCIDENT_AT))
    assert ordered[0].spec.name == "weblogs-2011"  # unbootable AND a reboot armed: first
    ranks = [fleet_rows.rank(e) for e in ordered]
    assert ranks == sorted(ranks)
    text, level = fleet_banner.banner(entries, INCIDENT_AT)
    assert level == "blocker"
    assert text.startswith("✗ weblogs-2011 UNBOOTABLE: reboot at 03:15 CDT in 4h15m")
    assert " — 8 hosts: 2 unbootable, " in text


def test_banner_for_a_bootable_fleet_and_for_an_unread_host() -> None:
    fine = dataclasses.replace(judged("debian12-systemd"), verdict="bootable", status="ok")
    ok = HostEntry(HostSpec(name="d12", kind="offline"), fine, INCIDENT_AT, INCIDENT_AT)
    text, level = fleet_banner.banner([ok], INCIDENT_AT)
    assert (text, level) == ("✓ d12 BOOTABLE", "ok")
    unread = HostEntry(HostSpec(name="web1", kind="ssh"), phase="connecting")
    text, level = fleet_banner.banner([ok, unread], INCIDENT_AT)
    assert level == "unknown" and text == "… reading 2 hosts: 1 answered so far"


def test_filter_matches_name_tags_verdict_and_error() -> None:
    weblogs = entry("weblogs-2011", tags=("incident", "gentoo"))
    assert fleet_rows.matches(weblogs, "GENTOO")
    assert fleet_rows.matches(weblogs, "unbootable")
    assert not fleet_rows.matches(entry("debian12-systemd"), "unbootable")
    failed = HostEntry(
        HostSpec(name="db", kind="ssh"), HostState.failed("db", "live", "auth", "denied")
    )
    assert fleet_rows.matches(failed, "auth") and fleet_rows.matches(failed, "")


def test_hostile_text_is_shown_as_pictures_never_obeyed() -> None:
    shown = fleet_rows.clean("a\x1b[2J\x1b]52;c;aGk=\x07[bold red]b[/]\nc\u202ed")
    assert "\x1b" not in shown and "\x07" not in shown and "\n" not in shown
    assert "␛[2J" in shown and "[bold red]b[/]" in shown and "<U+202E>" in shown
    hostile = dataclasses.replace(judged("debian12-systemd"), init_running="\x1b[31mx (pid 1)")
    evil = HostEntry(HostSpec(name="\x1b[5me", kind="offline"), hostile, INCIDENT_AT, INCIDENT_AT)
    cells = fleet_rows.row_cells(evil, INCIDENT_AT)
    assert all("\x1b" not in v for v in cells.values())
    assert cells["name"] == "␛[5me" and cells["init"].startswith("␛[31mx →")


def test_columns_fit_the_width_and_always_keep_name_verdict_reboot() -> None:
    for width in (60, 80, 100, 120, 200):
        keys = [c.key for c in fleet_rows.plan_columns(width, 29)]
        assert keys[:2] == ["name", "verdict"] and "reboot" in keys
        used = sum(c.width + 2 for c in fleet_rows.plan_columns(width, 29))
        assert width < 80 or used <= width
    wide = [c.key for c in fleet_rows.plan_columns(200, 12)]
    assert set(wide) == {c.key for c in fleet_rows.COLUMNS}


def test_data_age_is_coarse_so_a_fresh_answer_redraws_nothing() -> None:
    ages = [fleet_rows.age_text(s) for s in (0, 4.9, 9.99, 10, 19, 59, 60, 3599, 3600, 86400)]
    assert ages == [
        "<10s", "<10s", "<10s", "10s ago", "10s ago", "50s ago", "1m ago", "59m ago", "1h ago",
        "1d ago",
    ]  # fmt: skip


def test_unreachable_host_shows_the_reboot_last_seen_armed_never_none() -> None:
    weblogs = HostEntry(HostSpec(name="weblogs-2011", kind="ssh", address="weblogs"))
    weblogs.record(judged("weblogs-2011"), INCIDENT_AT)
    failed = HostState.failed("weblogs-2011", "live", "timeout", "no answer within 60 s")
    weblogs.record(failed, INCIDENT_AT + timedelta(minutes=5))
    later = INCIDENT_AT + timedelta(minutes=10)
    assert fleet_rows.reboot_cell(weblogs, later) == "? last seen 03:15 CDT"
    assert fleet_rows.verdict_cell(weblogs)[0] == "? UNKNOWN"  # now: unread, said so
    fixed = HostEntry(HostSpec(name="web1", kind="ssh", address="web1"))
    fixed.record(judged("debian12-systemd"), INCIDENT_AT)
    fixed.record(HostState.failed("web1", "live", "timeout", "gone"), INCIDENT_AT)
    assert fleet_rows.reboot_cell(fixed, later) == "?"  # nothing was armed: still not "none"

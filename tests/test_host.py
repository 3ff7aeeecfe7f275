"""Host identity and clock: the zone countdowns use, and countdowns across DST."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cockpit.parsers.host import parse
from cockpit.rules.verdict import countdown
from tests.support import sections_from


def test_zone_from_a_dangling_localtime_link() -> None:
    s = sections_from(
        {
            "host.tz": (
                "dangling",
                "path /etc/localtime\n"
                "link /etc/localtime -> ../usr/share/zoneinfo/America/New_York\n"
                "resolved /usr/share/zoneinfo/America/New_York\n",
            )
        }
    )
    assert parse(s).tz_name == "America/New_York"


def test_zone_from_etc_timezone_when_localtime_is_a_copy() -> None:
    s = sections_from({"host.tz": "path /etc/localtime\nresolved /etc/localtime\ntype f\n",
                       "host.tz.name": "America/Chicago\n"})  # fmt: skip
    assert parse(s).tz_name == "America/Chicago"


def test_hostile_zone_names_are_refused() -> None:
    s = sections_from({"host.tz.name": "../../etc/passwd\n"})
    assert parse(s).tz_name is None


def test_clock_and_offset_from_date() -> None:
    info = parse(sections_from({"host.clock": "1317355200 -0500 CDT\n"}))
    assert info.epoch == 1317355200 and info.utc_offset == -5 * 3600


def test_countdown_is_elapsed_time_across_dst() -> None:
    chicago = ZoneInfo("America/Chicago")
    now = datetime(2011, 11, 5, 23, 0, tzinfo=chicago)  # CDT; clocks go back at 02:00
    at = datetime(2011, 11, 6, 3, 15, tzinfo=chicago)  # CST
    assert countdown(at, now) == "5h15m"

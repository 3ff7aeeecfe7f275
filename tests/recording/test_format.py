"""The format's small parts: times, lines, headers, and the delta order hint."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.hostspec import HostSpec
from cockpit.recording.delta import apply_order, decode_section, natural_order, order_ranges
from cockpit.recording.format import (
    RecordingError,
    encode_line,
    header_record,
    iso,
    parse_header,
    parse_time,
)
from cockpit.snapshot import Section

CDT = timezone(timedelta(hours=-5))


def test_times_keep_their_offset_and_microseconds() -> None:
    t = datetime(2011, 9, 30, 3, 15, 0, 123456, tzinfo=CDT)
    assert iso(t) == "2011-09-30T03:15:00.123456-05:00"
    assert parse_time(iso(t)) == t and parse_time(iso(t)).utcoffset() == timedelta(hours=-5)
    assert parse_time("2011-09-30T08:15:00Z") == t.replace(microsecond=0)
    with pytest.raises(ValueError):
        iso(datetime(2011, 9, 30))  # noqa: DTZ001 (the point: naive is refused)
    with pytest.raises(ValueError):
        parse_time("2011-09-30T03:15:00")
    with pytest.raises(ValueError):
        parse_time(12)


def test_a_line_is_one_utf8_json_object_and_a_lone_surrogate_survives() -> None:
    line = encode_line({"t": "x", "text": "é \x1b[2J \ufffd"})
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert "é".encode() in line
    odd = encode_line({"t": "x", "text": "\udc80"})
    assert json.loads(odd) == {"t": "x", "text": "\udc80"}
    assert encode_line({"text": "a\nb"}).count(b"\n") == 1


def test_header_round_trip() -> None:
    started = datetime(2011, 9, 29, 22, tzinfo=CDT)
    hosts = [
        HostSpec("web1", "ssh", address="web1.example"),
        HostSpec("disk", "offline", root="/mnt"),
    ]
    line = encode_line(header_record(["cockpit", "web1"], hosts, started))
    header = parse_header(line.rstrip(b"\n"), "f")
    assert header.version == 1 and header.started == started
    assert header.argv == ("cockpit", "web1")
    assert [(h.name, h.kind, h.mode, h.root, h.address) for h in header.hosts] == [
        ("web1", "ssh", "live", "/", "web1.example"),
        ("disk", "offline", "offline", "/mnt", None),
    ]
    assert list(json.loads(line))[:2] == ["format", "version"]


def test_a_header_with_a_bad_version_or_start_is_refused() -> None:
    base = {"format": "cockpit-recording", "version": "1", "started": "2011-09-29T22:00:00Z"}
    with pytest.raises(RecordingError, match="version"):
        parse_header(json.dumps(base).encode(), "f")
    base.update(version=1, started="yesterday")
    with pytest.raises(RecordingError, match="start time"):
        parse_header(json.dumps(base).encode(), "f")


def test_a_section_must_have_its_five_fields_and_an_unknown_state_is_an_error() -> None:
    assert decode_section("n", ["ok", 0, "t", False, "p"]) == Section("n", "ok", 0, "t", False, "p")
    assert decode_section("n", ["weird", 1, "", True, "p", "future"]).state == "error"
    for bad in (
        ["ok", 0, "t", False],
        ["ok", "0", "t", False, "p"],
        ["ok", True, "t", False, "p"],
        {},
    ):
        with pytest.raises(ValueError):
            decode_section("n", bad)


@given(st.lists(st.integers(0, 40), unique=True), st.randoms())
def test_order_ranges_give_back_any_order(names: list[int], rnd) -> None:  # type: ignore[no-untyped-def]
    natural = [str(n) for n in names]
    actual = natural[:]
    rnd.shuffle(actual)
    assert apply_order(natural, order_ranges(natural, actual)) == actual


def test_the_cadence_reorder_costs_three_ranges() -> None:
    before = {n: Section(n, "ok") for n in "abcdefgh"}
    after = {n: Section(n, "ok") for n in "abcfghde"}  # d, e carried: moved last
    natural = natural_order(before, after)
    assert natural == list("abcdefgh")
    assert order_ranges(natural, list(after)) == [[0, 3], [5, 8], [3, 5]]


@pytest.mark.parametrize("bad", ["x", [[0, 2]], [[0, 1], [0, 1], [1, 3]], [[0, 9]], [[0, "3"]]])
def test_a_broken_order_hint_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        apply_order(["a", "b", "c"], bad)

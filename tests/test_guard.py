"""The one per-area guard (parsers/__init__.py): a parser that raises costs its area,
visibly, as UNKNOWN; it never reads as "nothing found", and never costs the snapshot.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import cache

import pytest

from cockpit import parsers
from cockpit.engine import judge_snapshot
from cockpit.parsers import AREAS, Area, ParseMemo, parse_snapshot
from cockpit.parsers.reboots import matcher
from cockpit.render import text_out
from cockpit.rules.finding import Severity
from cockpit.snapshot import Snapshot
from cockpit.words import Verdict
from tests.support import SAMPLES, collect_root

AT = datetime.fromisoformat("2011-09-29T23:00:00-05:00")
HEALTHY_AT = datetime.fromisoformat("2024-06-12T20:00:00+02:00")


@cache
def incident() -> Snapshot:
    return collect_root(SAMPLES / "weblogs-2011")


@cache
def healthy() -> Snapshot:
    return collect_root(SAMPLES / "debian12-systemd")


def _boom(_sections: object) -> object:
    raise KeyError("a parser bug")


@pytest.mark.parametrize("area", AREAS, ids=[a.name for a in AREAS])
def test_a_raising_parser_costs_its_area_as_unknown(
    area: Area[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = parse_snapshot(healthy())
    good = judge_snapshot(healthy(), HEALTHY_AT)
    monkeypatch.setattr(parsers, area.name.upper(), dataclasses.replace(area, parse=_boom))
    facts = parse_snapshot(healthy())
    assert [(f.area, f.boot_critical) for f in facts.failures] == [(area.name, area.boot_critical)]
    why = facts.failures[0].error
    assert why == f"{area.name} parser failed: KeyError: 'a parser bug'"
    assert getattr(facts, area.name) == area.unknown(why)  # the area's unknown facts
    others = {a.name for a in AREAS} - {area.name, "init"}  # init reads boot's cmdline
    assert all(getattr(facts, a) == getattr(fresh, a) for a in others)

    broken = judge_snapshot(healthy(), HEALTHY_AT)
    failed = [f for f in broken.findings if f.id == f"{area.name}.parse-failed"]
    assert len(failed) == 1 and failed[0].severity is Severity.UNKNOWN
    assert failed[0].evidence == (why,)
    assert not any(f.area == area.name and f is not failed[0] for f in broken.findings)
    if area.boot_critical:
        assert good.verdict == Verdict.BOOTABLE and broken.verdict == Verdict.UNKNOWN
    assert broken.status != "ok"


def test_a_cron_matcher_bug_is_unknown_never_no_reboot(monkeypatch: pytest.MonkeyPatch) -> None:
    """The incident itself: a matcher that raised used to answer "not a reboot", which
    would erase root's armed 03:15 reboot from the screen."""
    before = judge_snapshot(incident(), AT)
    assert before.next_reboot is not None

    def broken(words: list[str]) -> tuple[str, int] | None:
        raise IndexError("matcher bug")

    monkeypatch.setattr(matcher, "_segment_kind", broken)
    after = judge_snapshot(incident(), AT)
    assert after.facts is not None and "cron: IndexError" in after.facts.reboots.issues
    unknown = [f for f in after.findings if f.id == "reboots.crontab-unreadable"]
    assert unknown and unknown[0].severity is Severity.UNKNOWN
    assert any("cron: IndexError" in e for e in unknown[0].evidence)


def test_every_area_is_timed_and_the_memo_hits_are_said() -> None:
    memo = ParseMemo()
    first = parse_snapshot(healthy(), memo)
    again = parse_snapshot(healthy(), memo)
    assert [t.area for t in first.timings] == [a.name for a in AREAS]
    assert all(t.seconds >= 0 and t.memo_hit is False for t in first.timings)
    assert all(t.memo_hit is True for t in again.timings)
    assert all(t.memo_hit is None for t in parse_snapshot(healthy()).timings)
    assert first == again  # timings are about the parse, not facts about the host


def test_check_verbose_shows_parse_time_per_area() -> None:
    state = judge_snapshot(healthy(), HEALTHY_AT)
    shown = text_out.render([state], verbose=True)
    line = next(x for x in shown.splitlines() if "parse ms:" in x)
    assert all(f" {a.name} " in line for a in AREAS)
    assert "parse ms:" not in text_out.render([state], verbose=False)

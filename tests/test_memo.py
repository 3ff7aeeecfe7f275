"""The parse memo reuses an area's facts only when everything it read is unchanged."""

from __future__ import annotations

import pathlib
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.parsers import ParseMemo, parse_snapshot
from cockpit.parsers.memo import Answers
from cockpit.snapshot import Section, Sections, Snapshot
from tests.support import SAMPLES, collect_root

TREES = ("weblogs-2011", "debian12-systemd", "alpine320-openrc", "ubuntu2204-dpkg-interrupted")


@cache
def snapshot(tree: str) -> Snapshot:
    return collect_root(SAMPLES / tree)


def mutate(snap: Snapshot, name: str, text: str, state: str) -> Snapshot:
    old = snap.sections.by_name.get(name)
    new = dict(snap.sections.by_name)
    if old is None:
        new[name] = Section(name, state, 0, text)
    else:
        new[name] = replace(old, text=text, state=state)
    return replace(snap, sections=Sections(new))


@settings(max_examples=60, deadline=None)
@given(
    tree=st.sampled_from(TREES),
    pick=st.integers(min_value=0),
    text=st.text(max_size=200),
    state=st.sampled_from(["ok", "absent", "denied", "missing"]),
)
def test_memo_gives_the_facts_a_fresh_parse_gives(
    tree: str, pick: int, text: str, state: str
) -> None:
    base = snapshot(tree)
    names = sorted(base.sections)
    name = names[pick % len(names)]
    memo = ParseMemo()
    assert parse_snapshot(base, memo) == parse_snapshot(base)
    changed = mutate(base, name, text, state)
    assert parse_snapshot(changed, memo) == parse_snapshot(changed)
    # and back again
    assert parse_snapshot(base, memo) == parse_snapshot(base)


def test_unchanged_refresh_parses_nothing_and_a_crontab_edit_reparses_reboots_only() -> None:
    base = snapshot("weblogs-2011")
    memo = ParseMemo()
    parse_snapshot(base, memo)
    misses = memo.misses
    parse_snapshot(base, memo)
    assert memo.misses == misses
    cron = next(n for n in base.sections if "crontabs/root" in n)
    edited = mutate(base, cron, "# disarmed\n", "ok")
    facts = parse_snapshot(edited, memo)
    assert memo.misses == misses + 1
    assert facts == parse_snapshot(edited)


def test_no_parser_bypasses_the_tracked_view() -> None:
    """The memo sees reads through Sections' methods; `by_name` would go around it."""
    parsers = pathlib.Path(__file__).resolve().parent.parent / "cockpit" / "parsers"
    for module in parsers.glob("*.py"):
        if module.name != "memo.py":
            assert "by_name" not in module.read_text(), module.name


@settings(max_examples=40, deadline=None)
@given(
    tree=st.sampled_from(TREES),
    picks=st.lists(st.integers(min_value=0), min_size=1, max_size=6),
    text=st.text(max_size=50),
    drop=st.booleans(),
)
def test_a_refresh_loop_of_changes_gives_fresh_facts_every_time(
    tree: str, picks: list[int], text: str, drop: bool
) -> None:
    """The changed-names shortcut (sections that are the same objects as last time) over
    a sequence of snapshots: each one's facts equal a fresh parse, whether a section's
    text changes, it disappears, or it comes back."""
    base = snapshot(tree)
    names = sorted(base.sections)
    memo = ParseMemo()
    current = base
    assert parse_snapshot(current, memo) == parse_snapshot(current)
    for i, pick in enumerate(picks):
        name = names[pick % len(names)]
        new = dict(current.sections.by_name)
        if drop and i % 2:
            new.pop(name, None)
        else:
            new[name] = replace(base.sections[name], text=text + str(i))
        current = replace(current, sections=Sections(new))
        assert parse_snapshot(current, memo) == parse_snapshot(current)
    assert parse_snapshot(base, memo) == parse_snapshot(base)


def test_unchanged_objects_skip_the_answer_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    base = snapshot("debian12-systemd")
    memo = ParseMemo()
    parse_snapshot(base, memo)
    same = replace(base, sections=Sections(dict(base.sections.by_name)))

    def no_reads(self: Answers, read: tuple[str, str]) -> None:
        raise AssertionError(f"asked {read} though nothing changed")

    monkeypatch.setattr(Answers, "__call__", no_reads)
    hits = memo.hits
    assert parse_snapshot(same, memo) == parse_snapshot(base)
    areas = len(memo.entries)  # one entry per area parser (since_boot made it 7)
    assert memo.hits == hits + areas and memo.misses == areas

"""The judging budget (cockpit/budget.py): a host's sections are cut to what its probes
read and to a total per host, and judging runs off the event loop within a time bound."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from functools import cache

import pytest

from cockpit import budget
from cockpit.budget import HOST_TEXT_BUDGET, Judge, within_budget
from cockpit.engine import judge_snapshot
from cockpit.probes import ALL_PROBES
from cockpit.snapshot import Section, Sections, Snapshot
from tests.support import SAMPLES, collect_root

AT = (SAMPLES / "weblogs-2011" / "AT").read_text().strip()


@cache
def weblogs() -> Snapshot:
    return collect_root(SAMPLES / "weblogs-2011")


def flooded(snapshot: Snapshot, **texts: str) -> Snapshot:
    """`snapshot` with sections replaced (same probe) or added (probe "boot.files")."""
    sections = dict(snapshot.sections.by_name)
    for name, text in texts.items():
        old = sections.get(name)
        probe = old.probe if old is not None else "boot.files"
        sections[name] = Section(name, "ok", 0, text, False, probe)
    return dataclasses.replace(snapshot, sections=Sections(sections))


def test_an_ordinary_host_is_passed_through_untouched() -> None:
    for tree in ("weblogs-2011", "debian12-systemd", "ubuntu2204-dpkg-interrupted"):
        snapshot = collect_root(SAMPLES / tree)
        assert within_budget(snapshot) is snapshot


def test_a_section_larger_than_its_probe_reads_is_cut_and_said() -> None:
    crontab = weblogs().sections["reboots.crontab"]
    cap = next(p.cap_bytes for p in ALL_PROBES if p.name == crontab.probe)
    huge = flooded(weblogs(), **{"reboots.crontab": "# x\n" * (8 << 20)})  # 32 MiB
    cut = within_budget(huge)
    section = cut.sections["reboots.crontab"]
    assert len(section.text) == cap and section.truncated
    assert any("reboots.crontab" in i and "cut" in i for i in cut.framing_issues)
    assert within_budget(cut) is cut  # idempotent: a recorded snapshot replays the same


def test_over_the_host_budget_the_largest_sections_are_dropped_first() -> None:
    many = {f"boot.file:/boot/flood{i}": "menuentry x {\n" * 20_000 for i in range(60)}
    cut = within_budget(flooded(weblogs(), **many))
    total = sum(len(s.text) for s in cut.sections.values())
    assert total <= HOST_TEXT_BUDGET
    dropped = [n for n, s in cut.sections.items() if s.state == "missing"]
    assert dropped and all(n.startswith("boot.file:/boot/flood") for n in dropped)
    # the host's own sections were all kept, as they were
    for name, section in weblogs().sections.items():
        assert cut.sections[name] is section


def test_the_incident_blocker_survives_a_flood_of_its_crontab() -> None:
    state = judge_snapshot(within_budget(flooded(weblogs(), **{
        "reboots.crontab": "15 3 * * * root /sbin/reboot\n" + "#" * (31 << 20),
    })), None)  # fmt: skip
    assert state.verdict == "unbootable"
    assert any(f.id.startswith("init.") and f.severity.value == "blocker" for f in state.findings)
    assert any(f.id == "collector.incomplete" for f in state.findings)


def test_no_probe_raises_its_cap_inside_its_script() -> None:
    """The client cuts a section to its probe's declared cap: a script that set CAP
    higher would have its own output cut."""
    for probe in ALL_PROBES:
        for value in re.findall(r"\bCAP=(\d+)", probe.script):
            assert int(value) <= probe.cap_bytes, probe.name


async def test_judging_runs_off_the_loop_and_a_slow_one_is_over_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def slow(snapshot: Snapshot, at: object = None, memo: object = None) -> object:
        calls.append(1)
        end = time.monotonic() + (3.0 if len(calls) == 1 else 0)
        while time.monotonic() < end:  # pure Python, holding the GIL as parsers do
            pass
        return judge_snapshot(snapshot, None)

    monkeypatch.setattr(budget, "judge_snapshot", slow)
    judge = Judge(budget_s=0.5)
    lags: list[float] = []

    async def ticker() -> None:
        while True:
            t0 = time.monotonic()
            await asyncio.sleep(0.02)
            lags.append(time.monotonic() - t0 - 0.02)

    ticking = asyncio.ensure_future(ticker())
    t0 = time.monotonic()
    state = await judge.judge(weblogs())
    waited = time.monotonic() - t0
    again = await judge.judge(weblogs())  # the first is still running: not started twice
    await asyncio.sleep(3.0)
    done = await judge.judge(weblogs())
    ticking.cancel()
    assert 0.4 < waited < 2.0  # the budget (0.5 s), not the 3 s the judging took
    assert (state.error_category, state.verdict, state.reachable) == ("budget", "unknown", False)
    assert "took more than 0.5s" in (state.error or "")
    assert again.error_category == "budget" and "still judging" in (again.error or "")
    assert done.error_category is None and done.verdict == "unbootable"
    assert len(calls) == 2
    assert max(lags) < 0.5, max(lags)  # the loop kept running throughout


async def test_a_judging_bug_is_raised_to_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> object:
        raise ZeroDivisionError("parser bug")

    monkeypatch.setattr(budget, "judge_snapshot", broken)
    with pytest.raises(ZeroDivisionError):
        await Judge().judge(weblogs())

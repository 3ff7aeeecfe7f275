"""Slow checks on a slower cadence: skipped work is filled from the last refresh, visibly."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from cockpit.collector.cadence import ELF_EVERY, Cadence, carry_forward
from cockpit.hostspec import HostSpec
from cockpit.parsers import parse_snapshot
from cockpit.probes import ALL_PROBES
from cockpit.snapshot import Section, Sections, Snapshot
from cockpit.transports import OfflineRootTransport, collect
from tests.support import SAMPLES

NOW = datetime(2024, 1, 1, tzinfo=timezone.utc)


def snap(*sections: Section) -> Snapshot:
    return Snapshot("h", "live", Sections({s.name: s for s in sections}), NOW, 0.0)


def test_cached_section_takes_the_previous_copy_and_says_so() -> None:
    prev = snap(Section("init.elf:/x", "ok", text="class 64\n", probe="init.boot"))
    fresh = snap(Section("init.elf:/x", "cached", probe="init.boot"))
    merged = carry_forward(prev, fresh, set())
    assert merged.sections["init.elf:/x"].text == "class 64\n"
    assert merged.carried == ("init.elf:/x",)


def test_cached_without_a_previous_copy_is_missing_never_ok() -> None:
    fresh = snap(Section("init.elf:/new", "cached", probe="init.boot"))
    merged = carry_forward(snap(), fresh, set())
    assert merged.sections["init.elf:/new"].state == "missing"


def test_skipped_probe_sections_are_carried_others_are_not() -> None:
    prev = snap(
        Section("init.have:/sbin/openrc", "ok", text="x", probe="init.installed"),
        Section("reboots.cron", "ok", text="old", probe="reboots.cron"),
    )
    fresh = snap(Section("reboots.cron", "ok", text="new", probe="reboots.cron"))
    merged = carry_forward(prev, fresh, {"init.installed"})
    assert merged.sections["init.have:/sbin/openrc"].text == "x"
    assert merged.sections["reboots.cron"].text == "new"
    assert merged.carried == ("init.have:/sbin/openrc",)


def test_refresh_loop_reuses_elf_checks_then_asks_again() -> None:
    root = SAMPLES / "debian12-systemd"
    transport = OfflineRootTransport(HostSpec(root.name, "offline", root=str(root)))
    cadence = Cadence()

    async def refresh() -> Snapshot:
        return await collect(transport, ALL_PROBES, cadence=cadence)

    first = asyncio.run(refresh())
    elf = [n for n in first.sections if n.startswith("init.elf:")]
    assert elf and not first.carried
    second = asyncio.run(refresh())
    assert set(elf) <= set(second.carried)
    # Same facts either way: the cadence changes the cost, never the answer.
    facts1, facts2 = parse_snapshot(first), parse_snapshot(second)
    assert facts1.init == facts2.init
    for _ in range(ELF_EVERY - 2):
        asyncio.run(refresh())
    due = asyncio.run(refresh())
    assert not set(elf) & set(due.carried)


def test_a_one_shot_collect_runs_everything() -> None:
    root = SAMPLES / "debian12-systemd"
    transport = OfflineRootTransport(HostSpec(root.name, "offline", root=str(root)))
    s = asyncio.run(collect(transport))
    assert s.carried == ()
    assert all(sec.state != "cached" for sec in s.sections.values())


def test_the_plan_answers_membership_like_a_list() -> None:
    """collect() asks `p not in to_run` for every probe: same answers, by identity fast."""
    cadence = Cadence()
    cadence.previous = snap()
    cadence.tick = 1
    run, _ = cadence.plan(ALL_PROBES)
    skipped = [p for p in ALL_PROBES if p not in run]
    assert skipped == [p for p in ALL_PROBES if p not in list(run)]
    assert skipped and all(p.every > 1 for p in skipped)
    from dataclasses import replace as copy

    assert copy(run[0]) in run  # an equal probe that is another object

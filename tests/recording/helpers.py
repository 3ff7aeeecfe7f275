"""Snapshots for recording tests: real ones from the sample trees, and cheap variations."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from cockpit.snapshot import Section, Sections, Snapshot
from tests.support import SAMPLES, collect_root

T0 = datetime(2011, 9, 29, 22, 0, tzinfo=timezone(timedelta(hours=-5)))


@functools.cache
def sample(tree: str = "weblogs-2011") -> Snapshot:
    """A real collector run on a sample tree (cached: the collector costs ~50 ms)."""
    return collect_root(SAMPLES / tree)


def at(snapshot: Snapshot, seconds: float, host: str | None = None) -> Snapshot:
    return replace(snapshot, started=T0 + timedelta(seconds=seconds), host=host or snapshot.host)


def with_section(snapshot: Snapshot, name: str, text: str, state: str = "ok") -> Snapshot:
    """The snapshot with one section changed (or appended), order otherwise kept."""
    sections = dict(snapshot.sections.by_name)
    old = sections.get(name)
    sections[name] = Section(name, state, 0, text, False, old.probe if old else "extra")
    return replace(snapshot, sections=Sections(sections))


def without_section(snapshot: Snapshot, name: str) -> Snapshot:
    sections = {n: s for n, s in snapshot.sections.items() if n != name}
    return replace(snapshot, sections=Sections(sections))


def small(host: str, seconds: float, **texts: str) -> Snapshot:
    """A tiny synthetic snapshot (seek tests write thousands of them)."""
    sections = {n: Section(n, "ok", 0, t, False, "p") for n, t in texts.items()}
    return Snapshot(
        host=host,
        mode="live",
        sections=Sections(sections),
        started=T0 + timedelta(seconds=seconds),
        duration_s=0.25,
    )

"""Collapse flapping: a finding that comes and goes every refresh is one line, not thousands.

Transitions of one key (a finding id, the verdict, reachability) that follow each other
within FLAP_GAP form a cluster; a cluster of FLAP_MIN or more becomes one `flapping` entry
with counts and the state it ended in. Streaming, with bounded memory per key: a 24-hour
recording of a flapping check holds one small aggregate, not every transition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta

from cockpit.recording.timeline_model import Entry

#: Transitions closer than this belong to one episode.
FLAP_GAP = timedelta(minutes=10)
#: This many transitions in one episode (appear, clear, appear, clear) make it flapping.
FLAP_MIN = 4

#: Builds the one line for a flapping cluster: (first, last, counts by kind, total).
Summarize = Callable[[Entry, Entry, Counter[str], int], Entry]


@dataclass
class _Cluster:
    first: Entry
    last: Entry
    held: list[Entry] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    n: int = 0

    def add(self, entry: Entry) -> None:
        self.last = entry
        self.n += 1
        self.counts[tally_key(entry)] += 1
        if self.n < FLAP_MIN:
            self.held.append(entry)
        else:
            self.held.clear()  # from here only the aggregate is kept


def tally_key(entry: Entry) -> str:
    """What a cluster counts: the kind, and for the verdict the verdict it went to."""
    verdict = dict(entry.detail).get("verdict")
    return f"{entry.kind}:{verdict}" if entry.kind == "verdict" and verdict else entry.kind


class FlapFolder:
    """Per-key clusters of transitions; `done` collects the entries that are final."""

    def __init__(self, summarize: Summarize) -> None:
        self._summarize = summarize
        self._open: dict[str, _Cluster] = {}
        self.done: list[Entry] = []

    def add(self, key: str, entry: Entry) -> None:
        cluster = self._open.get(key)
        if cluster is not None and entry.t - cluster.last.t > FLAP_GAP:
            self._flush(key)
            cluster = None
        if cluster is None:
            cluster = self._open[key] = _Cluster(first=entry, last=entry)
        cluster.add(entry)

    def _flush(self, key: str) -> None:
        cluster = self._open.pop(key)
        if cluster.n < FLAP_MIN:
            self.done.extend(cluster.held)
        else:
            self.done.append(
                self._summarize(cluster.first, cluster.last, cluster.counts, cluster.n)
            )

    def flush_all(self) -> None:
        for key in list(self._open):
            self._flush(key)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.done)


def flapping_entry(first: Entry, last: Entry, what: str, counts: str, ended: str, n: int) -> Entry:
    """The one line for an episode: `what` flapped (`counts`) from first to last, `ended`."""
    span = f"{first.when.strftime('%H:%M:%S')}-{last.when.strftime('%H:%M:%S')}"
    return replace(
        first,
        kind="flapping",
        text=f"{what} flapped {n} times ({counts}) {span}; ended {ended}",
        count=n,
        until=last.when,
        detail=(*first.detail, ("ended", ended)),
    )

"""Parse only what changed since a host's last refresh.

Parsing is ~95% of the client's work per refresh (1-4 ms a host), and between two
refreshes most sections are byte-identical. Each area parser is a pure function of the
sections it reads, so: run it on a view that records every read (a name, a prefix, or the
whole mapping), keep the result with what was read, and next time reuse the result when
every one of those reads gives the same answer. Exact by construction: no list of "which
sections belong to which area" to keep in sync with the parsers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cockpit.snapshot import Section, Sections

Read = tuple[str, str]  # ("name", n) | ("start", prefix) | ("all", "")


class TrackedSections(Sections):
    """A Sections view that remembers what a parser looked at."""

    def __init__(self, inner: Sections) -> None:
        object.__setattr__(self, "by_name", inner.by_name)
        object.__setattr__(self, "reads", [])

    reads: list[Read]

    def _note(self, kind: str, key: str) -> None:
        self.reads.append((kind, key))

    def get_section(self, name: str) -> Section:
        self._note("name", name)
        return super().get_section(name)

    def __getitem__(self, name: str) -> Section:
        self._note("name", name)
        return self.by_name[name]

    def starting(self, start: str) -> list[Section]:
        self._note("start", start)
        return super().starting(start)

    def __iter__(self) -> Iterator[str]:
        self._note("all", "")
        return iter(self.by_name)

    def __len__(self) -> int:
        self._note("all", "")
        return len(self.by_name)


class Answers:
    """Answers to recorded reads for one snapshot. Prefix reads come from one sorted list
    of names (a bisect each) instead of a scan of every name per prefix: a host has ~150
    sections and its areas ask ~50 prefix questions per refresh."""

    def __init__(self, sections: Sections) -> None:
        self.sections = sections
        self.names: list[str] | None = None

    def __call__(self, read: Read) -> Any:
        kind, key = read
        by_name = self.sections.by_name
        if kind == "name":
            return by_name.get(key)
        if kind == "start":
            if self.names is None:
                self.names = sorted(by_name)
            i = bisect_left(self.names, key)
            out = []
            while i < len(self.names) and self.names[i].startswith(key):
                out.append(by_name[self.names[i]])
                i += 1
            return out
        return dict(by_name)


@dataclass
class _Entry:
    reads: tuple[Read, ...]
    answers: tuple[Any, ...]
    facts: Any
    seen: int = -1  # the snapshot (ParseMemo.seen) these answers were last confirmed on
    names: frozenset[str] = frozenset()  # the reads, by kind, for the changed-names test
    prefixes: tuple[str, ...] = ()
    whole: bool = False

    @classmethod
    def of(cls, reads: tuple[Read, ...], answers: tuple[Any, ...], facts: Any, seen: int) -> _Entry:
        names = frozenset(key for kind, key in reads if kind == "name")
        prefixes = tuple(key for kind, key in reads if kind == "start")
        whole = any(kind == "all" for kind, _ in reads)
        return cls(reads, answers, facts, seen, names, prefixes, whole)

    def untouched_by(self, changed: list[str]) -> bool:
        """No read of this area can answer differently: none names a changed section."""
        if self.whole:
            return not changed
        names, prefixes = self.names, self.prefixes
        return not any(n in names or n.startswith(prefixes) for n in changed)


@dataclass
class ParseMemo:
    """One per watched host: the last facts of each area and what they were read from.

    Between two refreshes most Section objects are the very same objects (the splitter
    and the cadence hand out the previous ones for identical text), so the names whose
    section is a different object are listed once per snapshot, and an area none of whose
    reads touches one of them is a hit without re-asking its ~20 reads. Any doubt (a
    touched read, an area not confirmed on the previous snapshot) falls back to comparing
    every answer, which is exact on its own.
    """

    entries: dict[str, _Entry] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    seen: int = 0  # snapshots seen (one Answers object = one snapshot)
    _answers: Answers | None = field(default=None, repr=False)
    _previous: dict[str, Section] | None = field(default=None, repr=False)
    _changed: list[str] | None = field(default=None, repr=False)

    def _see(self, answers: Answers) -> None:
        """A new snapshot: which names differ (by identity) from the previous one."""
        if answers is self._answers:
            return
        now = dict(answers.sections.by_name)  # a copy: a caller's dict may change later
        before = self._previous
        changed: list[str] | None = None
        if before is not None:
            get = before.get
            changed = [n for n, s in now.items() if get(n) is not s]
            if len(now) - sum(n not in before for n in changed) != len(before):
                changed.extend(n for n in before if n not in now)  # removed names
        self.seen += 1
        self._answers, self._previous, self._changed = answers, now, changed

    def parse(
        self,
        area: str,
        parser: Callable[[Sections], Any],
        sections: Sections,
        answers: Answers | None = None,
    ) -> Any:
        """`answers`: shared by the areas of one snapshot (see parse_snapshot)."""
        answer_of = answers if answers is not None else Answers(sections)
        self._see(answer_of)
        entry = self.entries.get(area)
        if entry is not None:
            changed = self._changed
            if (
                entry.seen == self.seen - 1 and changed is not None and entry.untouched_by(changed)
            ) or all(
                # `is` first: unchanged sections are the same objects, and a dataclass
                # __eq__ builds two tuples to say what `is` says.
                (now := answer_of(read)) is answer or now == answer
                for read, answer in zip(entry.reads, entry.answers, strict=True)
            ):
                entry.seen = self.seen
                self.hits += 1
                return entry.facts
        self.misses += 1
        tracked = TrackedSections(sections)
        facts = parser(tracked)
        reads = tuple(dict.fromkeys(tracked.reads))
        answered = tuple(answer_of(r) for r in reads)
        self.entries[area] = _Entry.of(reads, answered, facts, self.seen)
        return facts

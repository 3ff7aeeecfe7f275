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


@dataclass
class ParseMemo:
    """One per watched host: the last facts of each area and what they were read from."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def parse(
        self,
        area: str,
        parser: Callable[[Sections], Any],
        sections: Sections,
        answers: Answers | None = None,
    ) -> Any:
        """`answers`: shared by the areas of one snapshot (see parse_snapshot)."""
        answer_of = answers if answers is not None else Answers(sections)
        entry = self.entries.get(area)
        if entry is not None and all(
            answer_of(read) == answer
            for read, answer in zip(entry.reads, entry.answers, strict=True)
        ):
            self.hits += 1
            return entry.facts
        self.misses += 1
        tracked = TrackedSections(sections)
        facts = parser(tracked)
        reads = tuple(dict.fromkeys(tracked.reads))
        self.entries[area] = _Entry(reads, tuple(answer_of(r) for r in reads), facts)
        return facts

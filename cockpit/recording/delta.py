"""Snapshots as keyframes and deltas: the one place that encodes and decodes them.

The writer calls `snapshot_record` and the reader `apply_record`, both here, so what a
delta means cannot drift between them. A delta holds the sections that differ from the
host's previous recorded snapshot ("set") and the names that went away ("del").

Section order matters to parsers (per-file sections are read in collector order, and a
cadence's carried sections come last), so replay must restore it exactly. Applying a
delta naturally gives the "natural order": the surviving old names in their old order,
then the new names in the order of "set". When the snapshot's order is not that (the
cadence moved its carried sections to the end, or brought them back), the delta adds
"order": [[i, j], ...], ranges of the natural order whose concatenation is the real
one: a few pairs, where a keyframe would cost the whole host (~25 KB). The key is an
addition DESIGN.md's "unknown keys are ignored" allows; it is only written when needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cockpit.recording.format import SNAPSHOT, iso, parse_time
from cockpit.snapshot import SECTION_STATES, Section, Sections, Snapshot
from cockpit.words import Mode


def encode_section(section: Section) -> list[Any]:
    return [section.state, section.rc, section.text, section.truncated, section.probe]


def decode_section(name: str, value: object) -> Section:
    """ValueError for anything but `[state, rc, text, truncated, probe]` of the right types."""
    if not isinstance(value, list) or len(value) < 5:
        raise ValueError(f"section {name!r} is not [state, rc, text, truncated, probe]")
    state, rc, text, truncated, probe = value[:5]
    if not (
        isinstance(state, str)
        and isinstance(rc, int)
        and not isinstance(rc, bool)
        and isinstance(text, str)
        and isinstance(truncated, bool)
        and isinstance(probe, str)
    ):
        raise ValueError(f"section {name!r} has a field of the wrong type")
    if state not in SECTION_STATES:
        state = "error"  # as the collector's own splitting treats an unknown state
    return Section(name, state, rc, text, truncated, probe)


def natural_order(previous: Mapping[str, Section], current: Mapping[str, Section]) -> list[str]:
    """The order a delta gives without an "order" key (see the module docstring)."""
    return [n for n in previous if n in current] + [n for n in current if n not in previous]


def order_ranges(natural: list[str], actual: list[str]) -> list[list[int]]:
    """`actual` as runs [i, j) of `natural` (same names, another order)."""
    index = {n: i for i, n in enumerate(natural)}
    runs: list[list[int]] = []
    for name in actual:
        i = index[name]
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    return runs


def apply_order(names: list[str], ranges: object) -> list[str]:
    """The inverse of `order_ranges`; ValueError unless the ranges cover each name once."""
    if not isinstance(ranges, list):
        raise ValueError('"order" is not a list of ranges')
    out: list[str] = []
    for r in ranges:
        if not (isinstance(r, list) and len(r) == 2 and all(isinstance(x, int) for x in r)):
            raise ValueError('"order" holds something other than [start, end] ranges')
        if not 0 <= r[0] < r[1] <= len(names):
            raise ValueError(f'"order" range {r} is outside the {len(names)} sections')
        out.extend(names[r[0] : r[1]])
    if len(out) != len(names) or set(out) != set(names):
        raise ValueError('"order" does not name every section exactly once')
    return out


def snapshot_record(
    snapshot: Snapshot, previous: Sections | None, seq: int, keyframe: bool, t: str
) -> dict[str, Any]:
    """The event dict for `snapshot`: a keyframe when asked or with no `previous`, else
    a delta against `previous` (with "order" when the natural order is not the real one)."""
    current = snapshot.sections.by_name
    order: list[list[int]] | None = None
    if keyframe or previous is None:
        changed = {n: encode_section(s) for n, s in current.items()}
        removed: list[str] = []
        keyframe = True
    else:
        old = previous.by_name
        changed = {
            n: encode_section(s)
            for n, s in current.items()
            if (o := old.get(n)) is not s and o != s  # carried sections are the same object
        }
        removed = [n for n in old if n not in current]
        natural = natural_order(old, current)
        # "set" lists changed names in the snapshot's order: new names among them come
        # out in their order, as natural_order assumes.
        if natural != list(current):
            order = order_ranges(natural, list(current))
    record: dict[str, Any] = {
        "t": t,
        "e": SNAPSHOT,
        "h": snapshot.host,
        "k": keyframe,
        "n": seq,
        "mode": snapshot.mode,
        "root": snapshot.root,
        "started": iso(snapshot.started),
        "duration_s": snapshot.duration_s,
        "framing_issues": list(snapshot.framing_issues),
        "carried": list(snapshot.carried),
        "set": changed,
    }
    if removed:
        record["del"] = removed
    if order is not None:
        record["order"] = order
    return record


def apply_record(record: Mapping[str, Any], previous: Sections | None) -> Snapshot:
    """The snapshot a record describes, given the host's previous one (ignored for a
    keyframe). ValueError when the record is malformed. A delta with no previous
    snapshot gives only its own sections: the caller says so (see reader.py)."""
    host = record.get("h")
    if not isinstance(host, str):
        raise ValueError("snapshot without a host name")
    changed = record.get("set", {})
    removed = record.get("del", [])
    if not isinstance(changed, dict) or not isinstance(removed, list):
        raise ValueError("snapshot whose set/del are not an object and a list")
    if record.get("k") is True or previous is None:
        sections = Sections({n: decode_section(n, v) for n, v in changed.items()})
    elif not changed and not removed and "order" not in record:
        sections = previous  # the common case: share the object (and ParseMemo's hits)
    else:
        gone = set(removed)
        merged = {n: s for n, s in previous.by_name.items() if n not in gone}
        for n, v in changed.items():
            merged[n] = decode_section(n, v)
        if "order" in record:
            merged = {n: merged[n] for n in apply_order(list(merged), record["order"])}
        sections = Sections(merged)
    mode = record.get("mode")
    duration = record.get("duration_s", 0.0)
    if mode not in tuple(Mode):
        raise ValueError(f"snapshot mode {mode!r} is neither live nor offline")
    if not isinstance(duration, (int, float)) or isinstance(duration, bool):
        raise ValueError("snapshot duration_s is not a number")
    return Snapshot(
        host=host,
        mode=Mode(mode),
        sections=sections,
        started=parse_time(record.get("started")),
        duration_s=float(duration),
        root=str(record.get("root", "/")),
        framing_issues=_strings(record.get("framing_issues", [])),
        carried=_strings(record.get("carried", [])),
    )


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError("expected a list of strings")
    return tuple(str(v) for v in value)

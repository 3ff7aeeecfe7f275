"""A recording's events, judged again, as timeline inputs.

Each recorded snapshot goes through today's parsers and rules (`judge_snapshot`, one
ParseMemo per host as in a live refresh loop), with the host's own clock from its
snapshot: a recording made today is re-judged by tomorrow's better rules. Only the small
judged summary reaches the timeline; no HostState is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cockpit.budget import within_budget
from cockpit.engine import judge_snapshot
from cockpit.parsers import ParseMemo
from cockpit.recording.events import (
    ActionEvent,
    ErrorEvent,
    Event,
    GuardEvent,
    NoteEvent,
    SnapshotEvent,
)
from cockpit.recording.reader import Recording
from cockpit.recording.replayed import replayed_snapshot
from cockpit.recording.timeline import build_timeline
from cockpit.recording.timeline_model import (
    Action,
    Guard,
    GuardHost,
    HostError,
    Judged,
    Note,
    Timeline,
    TimelineInput,
)
from cockpit.snapshot import Snapshot


def _replayed(event: SnapshotEvent) -> Snapshot:
    """The snapshot as replay shows it (re-framed through the collector's splitter, within
    the size budget live judged it under), so report and replay judge the same bytes."""
    return within_budget(replayed_snapshot(event))


def timeline_inputs(events: Iterable[Event]) -> Iterator[TimelineInput]:
    memos: dict[str, ParseMemo] = {}
    for event in events:
        if isinstance(event, SnapshotEvent):
            memo = memos.setdefault(event.host, ParseMemo())
            yield Judged(event.t, judge_snapshot(replayed_snapshot(event), memo=memo))
        elif isinstance(event, ErrorEvent):
            yield HostError(event.t, event.host, event.category, event.message)
        elif isinstance(event, NoteEvent):
            yield Note(event.t, event.host, event.text, event.user or None)
        elif isinstance(event, GuardEvent):
            hosts = tuple(
                GuardHost(
                    name=h.name,
                    verdict=h.verdict,
                    blockers=tuple((b.id, b.title) for b in h.blockers),
                    reboot_at=(
                        h.next_reboot.at.isoformat()
                        if h.next_reboot is not None and h.next_reboot.at is not None
                        else None
                    ),
                    reboot_source=h.next_reboot.source if h.next_reboot is not None else None,
                )
                for h in event.hosts
            )
            yield Guard(
                event.t, event.kind, hosts, event.via or None, event.typed, event.user or None
            )
        elif isinstance(event, ActionEvent):
            yield Action(
                event.t,
                event.host,
                event.kind,
                event.target,
                event.ok,
                event.message,
                event.user or None,
            )


def recording_timeline(recording: Recording) -> Timeline:
    """The whole recording's timeline (read once, start to end)."""
    names = [h.name for h in recording.hosts]
    return build_timeline(timeline_inputs(recording.events()), hosts=names)

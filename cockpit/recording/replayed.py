"""A recorded snapshot as replay judges it: handed, as a plain Snapshot, to the replay
transport's re-framing (transports/replay.py), so report, replay and live judge the same
bytes through the same collector splitting. Recording depends on the transport here,
never the other way round."""

from __future__ import annotations

from cockpit.recording.events import SnapshotEvent
from cockpit.snapshot import Snapshot
from cockpit.transports.replay import reframed


def replayed_snapshot(event: SnapshotEvent) -> Snapshot:
    """The event's snapshot, re-framed and split as the live collector's output is."""
    return reframed(event.snapshot)

"""MemoryLog: the one SessionLog test double, keeping the session's events in memory.

Tests assert on what the app, the quit guard and actions put on the record. Hand-written
doubles drifted from the real format (a guard event without its blockers, an action
keyed "at" instead of "t"); this one *is* the real JsonlRecorder with its single write
replaced by an append, so every event is the very dict a recording's line would hold
("t", "e", "h", then the event's keys, the "user" included).

Snapshots are the exception: they are kept as the Snapshot objects the app handed over
(in `.snapshots`, not in `.events`), because a test wants the sections, not a delta.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cockpit.recording.format import ACTION, ERROR, NOTE
from cockpit.recording.writer import JsonlRecorder
from cockpit.snapshot import Snapshot

#: The "user" recorded on notes, guard events and actions (the real one is the sudo caller).
USER = "tester"


class MemoryLog(JsonlRecorder):
    """A SessionLog recording in memory; `path` stays None ("not recorded") unless set."""

    def __init__(self, user: str = USER) -> None:
        super().__init__(Path(), fd=-1, user=user)
        self.path: Path | None = None
        self.events: list[dict[str, Any]] = []
        self.snapshots: list[Snapshot] = []
        self.closed = False

    def snapshot(self, snapshot: Snapshot) -> None:
        self.snapshots.append(snapshot)

    def close(self) -> None:
        self._fd = None  # nothing to close; later events are still kept, for the test
        self.closed = True

    def _write(self, record: dict[str, Any]) -> bool:
        self.events.append(record)
        return True

    # -- what the tests ask for ----------------------------------------------------------

    def of(self, kind: str) -> list[dict[str, Any]]:
        """The events of one type ("e"), in order."""
        return [e for e in self.events if e["e"] == kind]

    @property
    def actions(self) -> list[dict[str, Any]]:
        return self.of(ACTION)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.of(ERROR)

    @property
    def notes(self) -> list[dict[str, Any]]:
        return self.of(NOTE)

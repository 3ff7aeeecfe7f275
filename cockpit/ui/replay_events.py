"""What the report knows, at the replay's cursor: when an armed reboot fired, and since
when the host has not answered.

The post-mortem (`cockpit report`) infers "root's crontab reboot fired at 03:15:00: the
host stopped answering at 03:15:01" from the recorded states (recording/timeline_host.py).
Replay runs the very same timeline once, in a thread, and the banner says the event at
the cursor ("03:15:00 reboot fired (root's crontab); host unreachable since 03:15:01"),
so the screen tells the story the report tells. A long recording (judging every snapshot
of a day-long fleet would take minutes) is not scanned: the banner then says nothing
more than the states do, and the bar has no `r` marks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from cockpit.recording.cursor import Mark
from cockpit.recording.reader import Recording
from cockpit.recording.timeline_model import Entry

#: Files larger than this are not scanned for the story (about 2,000 snapshots).
MAX_BYTES = 24 << 20
_KINDS = ("reboot-fired", "unreachable", "reachable", "rebooted")


@dataclass(frozen=True)
class ReplayStory:
    """Per host, the timeline entries the banner speaks of, in time order."""

    entries: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    scanned: bool = False
    #: Each host's own zone (from its readings): times are said in it even where the
    #: cursor's state has no clock (an unreachable host after a jump).
    zones: dict[str, tzinfo] = field(default_factory=dict)

    @property
    def marks(self) -> tuple[Mark, ...]:
        return tuple(
            Mark(e.t, "reboot-fired", host)
            for host, entries in self.entries.items()
            for e in entries
            if e.kind == "reboot-fired"
        )

    def mark_words(self, mark: Mark) -> str:
        """What `]` / `[` say on landing on a mark."""
        at = mark.t.strftime("%H:%M:%S")
        if mark.kind == "reboot-fired" and mark.host is not None:
            found = self.fired(mark.host, mark.t)
            if found is not None:
                return f"{found.when:%H:%M:%S} {mark.host}: reboot fired ({found.ref})"
        words = {
            "note": "note",
            "quit-refused": "quit refused",
            "quit-override": "left on the record (quit override)",
            "session-lost": "session lost",
            "error": "refresh failed",
            "action": "action",
            "damaged": "recording damaged: lines skipped here",
        }.get(mark.kind, mark.kind)
        return f"{at} {words}" + (f": {mark.host}" if mark.host else "")

    def fired(self, host: str, t: datetime) -> Entry | None:
        """The last reboot that fired on `host` at or before client time `t`."""
        found = None
        for e in self.entries.get(host, ()):
            if e.t > t:
                break
            if e.kind == "reboot-fired":
                found = e
        return found

    def banner_event(self, host: str, t: datetime) -> str | None:
        """`03:15:00 reboot fired (root's crontab); host unreachable since 03:15:01`, while
        the host has not answered again; `...; back at 03:16:40` once it has."""
        fired = self.fired(host, t)
        if fired is None:
            return None
        said = f"{fired.when:%H:%M:%S %Z} reboot fired ({fired.ref})".replace("  ", " ")
        for e in self.entries.get(host, ()):
            if e.t < fired.t or e.t > t:
                continue
            if e.kind == "reachable":
                return f"{said}; back at {e.when:%H:%M:%S}"
            if e.kind == "unreachable":
                said = f"{said}; host unreachable since {e.when:%H:%M:%S}"
        return said


def story_of(recording: Recording) -> ReplayStory:
    """The story of a recording small enough to judge whole (else an empty one)."""
    try:
        if os.path.getsize(recording.path) > MAX_BYTES:
            return ReplayStory()
        from cockpit.recording.timeline_events import recording_timeline

        timeline = recording_timeline(recording)
    except Exception:  # the story is a help, never a reason for replay to fail
        return ReplayStory()
    return ReplayStory(
        {h.name: tuple(e for e in h.entries if e.kind in _KINDS) for h in timeline.hosts},
        scanned=True,
        zones={h.name: h.zone for h in timeline.hosts if h.zone is not None},
    )

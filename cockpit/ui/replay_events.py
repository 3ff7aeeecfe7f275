"""What the report knows, at the replay's cursor: when an armed reboot fired, and each
host's reboot watch (rebooting since, back after, not back) as live showed it.

The post-mortem (`cockpit report`) infers "root's crontab reboot fired at 03:15:00: the
host stopped answering at 03:15:01" from the recorded states (recording/timeline_host.py)
by folding them through the reboot watch (recording/reboot_watch.py). Replay runs the
very same timeline once, in a thread, and keeps each host's watch after every recorded
state: at the cursor, the screens show the watch of the last state at or before it, the
same fold live made of the same states, even after a jump that skipped them. A long
recording (judging every snapshot of a day-long fleet would take minutes) is not
scanned: the app then folds the states replay shows, and the bar has no `r` marks.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from cockpit.recording.cursor import Mark
from cockpit.recording.reader import Recording
from cockpit.recording.reboot_watch import RebootWatch
from cockpit.recording.timeline_model import Entry, HostError, Judged

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
    #: Each host's reboot watch after each of its recorded states: (client time, watch).
    watches: dict[str, tuple[tuple[datetime, RebootWatch], ...]] = field(default_factory=dict)

    def watch_at(self, host: str, t: datetime) -> RebootWatch | None:
        """The host's watch after its last recorded state at or before `t` (None: not
        scanned, the app folds what it is shown)."""
        if not self.scanned:
            return None
        steps = self.watches.get(host, ())
        i = bisect_right([at for at, _ in steps], t)
        return steps[i - 1][1] if i else RebootWatch()

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


def story_of(recording: Recording) -> ReplayStory:
    """The story of a recording small enough to judge whole (else an empty one)."""
    try:
        if os.path.getsize(recording.path) > MAX_BYTES:
            return ReplayStory()
        from cockpit.recording.timeline import TimelineBuilder
        from cockpit.recording.timeline_events import timeline_inputs

        builder = TimelineBuilder([h.name for h in recording.hosts])
        watches: dict[str, list[tuple[datetime, RebootWatch]]] = {}
        for event in timeline_inputs(recording.events()):
            builder.add(event)
            host = event.state.name if isinstance(event, Judged) else None
            host = event.host if isinstance(event, HostError) else host
            if host is not None:
                watches.setdefault(host, []).append((event.t, builder.watch(host)))
        timeline = builder.finish()
    except Exception:  # the story is a help, never a reason for replay to fail
        return ReplayStory()
    return ReplayStory(
        {h.name: tuple(e for e in h.entries if e.kind in _KINDS) for h in timeline.hosts},
        scanned=True,
        zones={h.name: h.zone for h in timeline.hosts if h.zone is not None},
        watches={name: tuple(steps) for name, steps in watches.items()},
    )

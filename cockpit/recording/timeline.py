"""The post-mortem timeline: a session's judged events in, each host's story out.

Pure: `build_timeline(inputs)` takes judged events in recording order (see
timeline_model) and never reads a file, so tests feed it HostStates from the engine and
`cockpit report` feeds it a recording through `timeline_events`. Per host it tells when
the verdict changed, when each finding appeared and cleared, when reboots were armed,
disarmed or fired, when the host stopped answering and came back; for the session, who
was refused at quit, who overrode, notes and actions. Noise is folded (timeline_flaps):
a finding that flaps every refresh is one line with counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from cockpit.recording.reboot_watch import RebootWatch
from cockpit.recording.timeline_host import HostTracker
from cockpit.recording.timeline_model import (
    Action,
    Entry,
    Guard,
    HostError,
    Judged,
    Note,
    Timeline,
    TimelineInput,
)

#: Identical session events (a q pressed ten times) this close together are one line.
REPEAT_GAP = timedelta(minutes=10)

_GUARD_WORDS = {
    "quit-refused": "quit refused",
    "quit-override": "quit overridden",
    "session-lost": "session lost",
}


def _guard_text(event: Guard, only: str | None = None) -> str:
    who = f" by {event.user}" if event.user else ""
    via = f" (via {event.via})" if event.via else ""
    head = f"{_GUARD_WORDS.get(event.kind, event.kind)}{who}{via}"
    if event.kind == "quit-override" and event.typed is not None:
        head += f", typed {event.typed!r}"
    parts = []
    for h in event.hosts:
        if only is not None and h.name != only:
            continue
        part = f"{h.name} {h.verdict.upper()}"
        if h.blockers:
            part += " (blockers: " + "; ".join(title for _, title in h.blockers) + ")"
        if h.reboot_at:
            part += f", reboot at {h.reboot_at}" + (
                f" by {h.reboot_source}" if h.reboot_source else ""
            )
        parts.append(part)
    return head + (": " + " | ".join(parts) if parts else "")


def _action_text(event: Action) -> str:
    who = f" by {event.user}" if event.user else ""
    result = "ok" if event.ok else "FAILED"
    msg = f": {event.message}" if event.message else ""
    return f"action {event.kind} on {event.target}{who}: {result}{msg}"


def _note_text(event: Note) -> str:
    who = f" ({event.user})" if event.user else ""
    return f"note{who}: {event.text}"


class TimelineBuilder:
    """Streaming: feed events with `add` in recording order, then `finish` once."""

    def __init__(self, hosts: Sequence[str] = ()) -> None:
        self._hosts: dict[str, HostTracker] = {name: HostTracker(name) for name in hosts}
        self._session: list[Entry] = []

    def _host(self, name: str) -> HostTracker:
        tracker = self._hosts.get(name)
        if tracker is None:
            tracker = self._hosts[name] = HostTracker(name)
        return tracker

    def watch(self, name: str) -> RebootWatch:
        """The host's reboot watch as folded so far (replay shows it at its cursor)."""
        return self._host(name).watch

    def _session_entry(self, entry: Entry) -> None:
        last = self._session[-1] if self._session else None
        if (
            last is not None
            and (last.kind, last.ref, last.text) == (entry.kind, entry.ref, entry.text)
            and entry.t - last.t <= REPEAT_GAP
        ):
            self._session[-1] = replace(last, count=last.count + 1, until=entry.when)
            return
        self._session.append(entry)

    def _host_entry(self, name: str, t: datetime, kind: str, text: str, **kw: object) -> None:
        tracker = self._host(name)
        entry = Entry(t=t, when=tracker.when(t), kind=kind, text=text, host=name, **kw)  # type: ignore[arg-type]
        last = tracker.entries[-1] if tracker.entries else None
        if last is not None and (last.kind, last.text) == (kind, text) and t - last.t <= REPEAT_GAP:
            tracker.entries[-1] = replace(last, count=last.count + 1, until=entry.when)
            return
        tracker.add(entry)

    def add(self, event: TimelineInput) -> None:
        if isinstance(event, Judged):
            self._host(event.state.name).judged(event.t, event.state)
        elif isinstance(event, HostError):
            self._host(event.host).failed(event.t, event.category, event.message)
        elif isinstance(event, Guard):
            self._session_entry(
                Entry(event.t, event.t, event.kind, _guard_text(event), ref=event.via)
            )
            for h in event.hosts:
                self._host_entry(
                    h.name, event.t, event.kind, _guard_text(event, h.name), ref=event.via
                )
        elif isinstance(event, Note):
            text = _note_text(event)
            self._session_entry(Entry(event.t, event.t, "note", text, host=event.host))
            if event.host is not None:
                self._host_entry(event.host, event.t, "note", text)
        elif isinstance(event, Action):
            text = _action_text(event)
            detail = (("target", event.target), ("ok", "true" if event.ok else "false"))
            self._session_entry(
                Entry(
                    event.t, event.t, "action", text, host=event.host, ref=event.kind, detail=detail
                )
            )
            if event.host is not None:
                self._host_entry(event.host, event.t, "action", text, ref=event.kind, detail=detail)

    def finish(self) -> Timeline:
        hosts = tuple(tracker.finish() for tracker in self._hosts.values())
        zone = _shared_zone([h.zone for h in hosts])
        session = tuple(
            replace(
                e, when=e.t.astimezone(zone), until=e.until.astimezone(zone) if e.until else None
            )
            if zone is not None
            else e
            for e in self._session
        )
        return Timeline(hosts=hosts, session=session, session_zone=zone)


def _shared_zone(zones: Iterable[tzinfo | None]) -> tzinfo | None:
    """The hosts' zone when every host that was read shares one; else None (client time)."""
    found = {str(z): z for z in zones if z is not None}
    return next(iter(found.values())) if len(found) == 1 else None


def build_timeline(inputs: Iterable[TimelineInput], hosts: Sequence[str] = ()) -> Timeline:
    """The whole story. `hosts`: the recording's host order (hosts first seen later follow)."""
    builder = TimelineBuilder(hosts)
    for event in inputs:
        builder.add(event)
    return builder.finish()

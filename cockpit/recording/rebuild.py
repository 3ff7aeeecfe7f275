"""From event lines to typed events: deltas resolved per host, damage said out loud.

A delta only means something on top of the host's previous snapshot. When a line of
that host is lost (a corrupt line: its "n" skips a number) or there is no base (a
delta right after an error, a seek that found no keyframe), the deltas that follow
cannot be trusted until the next keyframe. They are skipped, and one synthetic
ErrorEvent (category "recording-damaged") marks the host unknown for that span rather
than showing a snapshot that never existed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cockpit.recording.delta import apply_record
from cockpit.recording.events import ErrorEvent, Event, SnapshotEvent, decode_other
from cockpit.recording.format import MAX_LINE_BYTES, SNAPSHOT, loads, parse_time
from cockpit.recording.seek import Overlong
from cockpit.snapshot import Sections

DAMAGED = "recording-damaged"


@dataclass
class _Track:
    sections: Sections | None = None
    seq: int = -1
    broken: bool = False


class Rebuilder:
    """Feeds lines in file order (per host); hands back the events they hold."""

    def __init__(self, report: Callable[[int, str], None]) -> None:
        self._report = report  # (byte offset, message) -> None
        self._tracks: dict[str, _Track] = {}

    def feed(self, offset: int, line: bytes, where: str) -> Event | None:
        """The event on this line, or None (skipped: said through `report`, or an event
        kind from a newer writer, ignored like unknown keys)."""
        if isinstance(line, Overlong):
            self._report(
                offset,
                f"{where}: a line of {line.size} bytes, longer than the {MAX_LINE_BYTES} a "
                "recording line may be; skipped",
            )
            return None
        if not line.strip():
            return None
        try:
            record = loads(line)
        except ValueError:
            self._report(offset, f"{where}: not valid JSON, skipped")
            return None
        if not isinstance(record, dict) or "e" not in record or "t" not in record:
            self._report(offset, f"{where}: not an event line, skipped")
            return None
        try:
            if record["e"] == SNAPSHOT:
                return self._snapshot(offset, record, where)
            event = decode_other(record)
        except (ValueError, TypeError, KeyError) as exc:
            self._report(offset, f"{where}: malformed {record.get('e')!r} event ({exc}), skipped")
            return None
        if isinstance(event, ErrorEvent):
            self._tracks[event.host] = _Track()  # the next snapshot is a keyframe
        return event

    def _snapshot(self, offset: int, record: dict, where: str) -> Event | None:
        host = record.get("h")
        seq = record.get("n")
        if not isinstance(host, str) or not isinstance(seq, int):
            raise ValueError("no host name or sequence number")
        track = self._tracks.setdefault(host, _Track())
        keyframe = record.get("k") is True
        if not keyframe:
            gap = track.sections is None or track.broken or seq != track.seq + 1
            if gap:
                track.seq = seq
                if track.broken:
                    return None
                track.broken = True
                self._report(
                    offset,
                    f"{where}: host {host!r}: a snapshot before this one is missing; its "
                    "changes are skipped until the next keyframe (host shown unknown)",
                )
                return ErrorEvent(
                    parse_time(record.get("t")),
                    host,
                    DAMAGED,
                    "the recording lost a snapshot of this host here: unknown until the "
                    "next keyframe",
                )
        snapshot = apply_record(record, None if keyframe else track.sections)
        track.sections, track.seq, track.broken = snapshot.sections, seq, False
        return SnapshotEvent(parse_time(record.get("t")), host, seq, keyframe, snapshot)

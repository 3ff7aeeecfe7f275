"""`cockpit report --format json`: the timeline as one stable object.

`{"cockpit","recording","hosts":[{"name","entries":[...]}],"session":[...],"issues":[...]}`.
Add fields freely; never rename these. Text is kept as recorded (JSON escapes it);
consumers that render it must escape it for their medium.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cockpit import __version__
from cockpit.recording.format import Header
from cockpit.recording.timeline_model import Entry, HostTimeline, Timeline


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "time": _iso(entry.when),
        "client_time": _iso(entry.t),
        "kind": entry.kind,
        "host": entry.host,
        "text": entry.text,
        "ref": entry.ref,
        "severity": entry.severity,
        "count": entry.count,
        "until": _iso(entry.until),
        "detail": dict(entry.detail),
    }


def host_json(host: HostTimeline) -> dict[str, Any]:
    return {
        "name": host.name,
        "zone": str(host.zone) if host.zone is not None else None,
        "final": {
            "verdict": host.final_verdict,
            "status": host.final_status,
            "reachable": host.reachable_at_end,
            "unreachable_since": _iso(host.unreachable_since),
            "last_reading": _iso(host.last_reading),
            "reboot_armed": host.reboot_at_end,
        },
        "readings": host.readings,
        "errors": host.errors,
        "entries": [entry_json(e) for e in host.entries],
    }


def document(
    timeline: Timeline, *, source: str, header: Header, ended: datetime, issues: Sequence[str]
) -> dict[str, Any]:
    return {
        "cockpit": __version__,
        "recording": {
            "path": source,
            "version": header.version,
            "recorded_by": header.cockpit,
            "started": _iso(header.started),
            "ended": _iso(ended),
            "argv": list(header.argv),
            "hosts": [
                {
                    "name": h.name,
                    "kind": h.kind,
                    "mode": h.mode,
                    "root": h.root,
                    "address": h.address,
                }
                for h in header.hosts
            ],
        },
        "hosts": [host_json(h) for h in timeline.hosts],
        "session": [entry_json(e) for e in timeline.session],
        "issues": list(issues),
    }

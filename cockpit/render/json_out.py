"""The JSON contract of DESIGN.md: add fields freely, never rename these."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cockpit import __version__
from cockpit.state import HostState


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def host_json(state: HostState) -> dict[str, Any]:
    nxt = state.next_reboot
    return {
        "name": state.name,
        "reachable": state.reachable,
        "mode": state.mode,
        "verdict": state.verdict,
        "status": state.status,
        "host_time": _iso(state.host_time),
        "findings": [
            {
                "id": f.id,
                "area": f.area,
                "severity": f.severity.value,
                "title": f.title,
                "evidence": list(f.evidence),
                "remedy": f.remedy,
            }
            for f in state.findings
        ],
        "next_reboot": (
            {"at": _iso(nxt.at), "source": nxt.source, "evidence": nxt.evidence, "kind": nxt.kind}
            if nxt is not None
            else None
        ),
        "init": {"running": state.init_running, "boot": state.init_boot},
        "error": state.error,
        "error_category": state.error_category,
    }


def document(states: Sequence[HostState], generated: datetime) -> dict[str, Any]:
    return {
        "cockpit": __version__,
        "generated": generated.isoformat(),
        "hosts": [host_json(s) for s in states],
    }

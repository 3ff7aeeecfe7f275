"""The JSON contract of DESIGN.md: add fields freely, never rename these."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cockpit import __version__
from cockpit.rules.chain.model import BootChain
from cockpit.state import HostState


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def host_json(state: HostState) -> dict[str, Any]:
    """One HOST of the contract. `next_reboot_unknown` is there only when a place reboots
    hide in was not read whole: then `next_reboot: null` is "unknown", never "none", and
    an armed one is the next at or before its time."""
    nxt = state.next_reboot
    doc = {
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
        "boot_chain": chain_json(state.chain),
        "changed_since_boot": list(state.chain.changed_since_boot) if state.chain else [],
    }
    if state.reboots_unknown:
        doc["next_reboot_unknown"] = state.reboots_unknown
    return doc


def chain_json(chain: BootChain | None) -> list[dict[str, Any]]:
    """`boot_chain`: the stages in boot order, each with the evidence or reason it rests on
    (empty when the host could not be judged at all: see `error`)."""
    if chain is None:
        return []
    return [
        {
            "stage": s.stage.value,
            "state": s.state.value,
            "reason": s.reason,
            "evidence": list(s.evidence),
            "findings": list(s.findings),
            "proven_by": s.proven_by,
            "changed_since_boot": list(s.changed_since_boot),
        }
        for s in chain
    ]


def document(states: Sequence[HostState], generated: datetime) -> dict[str, Any]:
    return {
        "cockpit": __version__,
        "generated": generated.isoformat(),
        "hosts": [host_json(s) for s in states],
    }

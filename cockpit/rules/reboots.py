"""reboots rules. STUB: an empty judgement must never read as OK, so it says unknown."""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.rules.finding import ArmedReboot, Finding, Severity


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    return [
        Finding(
            id="reboots.not-checked",
            area="reboots",
            severity=Severity.UNKNOWN,
            title="reboots not checked yet",
            evidence=(),
            remedy="",
        )
    ]


def armed(facts: HostFacts, now: datetime) -> list[ArmedReboot]:
    """Every armed reboot with its next time at `now`, soonest first (None last)."""
    return []

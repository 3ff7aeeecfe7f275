"""packages rules. STUB: an empty judgement must never read as OK, so it says unknown."""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.rules.finding import Finding, Severity


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    return [
        Finding(
            id="packages.not-checked",
            area="packages",
            severity=Severity.UNKNOWN,
            title="packages not checked yet",
            evidence=(),
            remedy="",
            boot_critical=True,
        )
    ]

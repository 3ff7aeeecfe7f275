"""How every init finding is built: one place for the `init.` id prefix and the area."""

from __future__ import annotations

from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity

AREA = "init"


def finding(
    id_: str,
    sev: Severity,
    title: str,
    evidence: list[str],
    remedy: str,
    critical: bool = False,
    stage: Stage | None = None,
) -> Finding:
    return Finding(
        id=f"init.{id_}",
        area=AREA,
        severity=sev,
        title=title,
        evidence=tuple(evidence),
        remedy=remedy,
        boot_critical=critical,
        stage=stage,
    )

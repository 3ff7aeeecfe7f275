"""Pure rules: facts (+ now) -> findings, armed reboots, verdict."""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.rules import boot, host, init, packages, reboots, services
from cockpit.rules.finding import ArmedReboot, Finding, Severity
from cockpit.rules.verdict import Judgement, decide

AREA_RULES = (host, init, boot, reboots, packages, services)


def judge_all(facts: HostFacts, now: datetime) -> Judgement:
    findings: list[Finding] = []
    for module in AREA_RULES:
        findings.extend(module.judge(facts, now))
    return decide(findings, reboots.armed(facts, now), now)


__all__ = ["ArmedReboot", "Finding", "Judgement", "Severity", "judge_all"]

"""Pure rules: facts (+ now) -> findings, armed reboots, verdict."""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts, ParseFailure
from cockpit.rules import boot, host, init, packages, reboots, services
from cockpit.rules.chain.build import build_chain
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import ArmedReboot, Finding, Severity
from cockpit.rules.verdict import Judgement, decide

AREA_RULES = (
    ("host", host.judge),
    ("init", init.judge),
    ("boot", boot.judge),
    ("reboots", reboots.judge),
    ("packages", packages.judge),
    ("services", services.judge),
)


#: The first boot-chain stage an area's facts decide: its parser failing leaves it unproven.
_FIRST_STAGE = {
    "boot": Stage.ENTRY,
    "init": Stage.INIT_EXEC,
    "services": Stage.REMOTE_ACCESS,
}


def parse_failed(failure: ParseFailure) -> Finding:
    """The one finding for an area whose parser raised: its facts are unknown, not empty."""
    return Finding(
        id=f"{failure.area}.parse-failed",
        area=failure.area,
        severity=Severity.UNKNOWN,
        title=f"the {failure.area} facts could not be read",
        evidence=(failure.error,),
        remedy="Report this with `cockpit check -v` output.",
        boot_critical=failure.boot_critical,
        stage=_FIRST_STAGE.get(failure.area),
    )


def judge_all(facts: HostFacts, now: datetime) -> Judgement:
    """Every area's rules, except where the area's parser failed: that area's facts are
    its unknown ones, so it gets its parse-failed finding instead of a judgement."""
    failed = {f.area: f for f in facts.failures}
    findings: list[Finding] = []
    for area, judge in AREA_RULES:
        if area in failed:
            findings.append(parse_failed(failed[area]))
        else:
            findings.extend(judge(facts, now))
    judged = {area for area, _ in AREA_RULES}
    # An area no rule judges on its own (since_boot feeds the chain's live pass): its
    # failure is still said, and the live pass then proves nothing by the boot.
    findings.extend(parse_failed(f) for f in facts.failures if f.area not in judged)
    armed = reboots.armed(facts, now) if "reboots" not in failed else []
    unknown = (
        "the reboots facts could not be read"
        if "reboots" in failed
        else reboots.unknown_why(facts.reboots)
    )
    return decide(findings, armed, now, build_chain(facts, findings), unknown)


__all__ = ["ArmedReboot", "Finding", "Judgement", "Severity", "judge_all"]

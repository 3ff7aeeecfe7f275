"""The verdict: bootable, unbootable or unknown, read from the boot chain.

The chain (rules/chain) is the verdict's only source: bootable only when every boot stage
is proven. Two safety nets stay here: a BLOCKER finding that names no stage still makes
the host unbootable, and a boot-critical UNKNOWN that names no stage (damaged collector
output) still keeps it from being called bootable.

The incident's lesson is that the danger is a combination: an unbootable state AND an
armed reboot nobody remembers. That combination is its own blocker, with a countdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cockpit.rules.chain.model import BootChain, StageState
from cockpit.rules.finding import ArmedReboot, Finding, Severity
from cockpit.rules.when import AGO, AT, IN, Timed, countdown, order_key
from cockpit.words import Status, Verdict

__all__ = ["Judgement", "countdown", "decide"]


@dataclass(frozen=True)
class Judgement:
    """What the rules concluded about one host at `now`: verdict, status, the findings
    (worst first) and the soonest armed reboot."""

    verdict: Verdict
    status: Status
    findings: tuple[Finding, ...]
    next_reboot: ArmedReboot | None
    chain: BootChain | None = None
    #: Why the next reboot cannot be known (a place reboots hide in was not read whole):
    #: then no reboot is "none", and an armed one is the next "at or before" its time.
    reboots_unknown: str | None = None


def _combined(reboot: ArmedReboot) -> tuple[str, Timed | None]:
    """The combined blocker's title (template): an armed reboot with its countdown, or,
    once its time has passed, overdue with its date (never "in now")."""
    head = f"UNBOOTABLE and {reboot.source}"
    if reboot.at is None:
        return f"{head} will {reboot.kind} this host (time unknown)", None
    timed = Timed(
        reboot.at,
        f"{head} will {reboot.kind} this host at {AT}, in {IN}",
        f"{head} was to {reboot.kind} this host at {AT}, {AGO}: overdue, or a stale schedule",
    )
    return "", timed


def _soonest(armed: Sequence[ArmedReboot], now: datetime) -> ArmedReboot | None:
    """The next reboot: the soonest future one, then one of unknown time, then a past
    one (overdue or stale: still armed as far as anyone knows, but never "next" first)."""
    ranked = sorted(armed, key=lambda r: order_key(r.at, now))
    return ranked[0] if ranked else None


def decide(
    findings: Sequence[Finding],
    armed: Sequence[ArmedReboot],
    now: datetime,
    chain: BootChain,
    reboots_unknown: str | None = None,
) -> Judgement:
    all_findings = list(findings)
    blockers = [f for f in all_findings if f.severity is Severity.BLOCKER]
    next_reboot = _soonest(armed, now)
    if blockers and next_reboot is not None:
        what = "; ".join(b.title for b in blockers[:2])
        title, timed = _combined(next_reboot)
        all_findings.append(
            Finding(
                id="verdict.reboot-armed-while-unbootable",
                area="reboots",
                severity=Severity.BLOCKER,
                title=timed.say(now) if timed is not None else title,
                timed=timed,
                evidence=(next_reboot.evidence, *(f"blocker: {b.title}" for b in blockers)),
                remedy=(
                    f"Disarm the reboot first ({next_reboot.source}), then fix: {what}. "
                    "Do not leave the session until both are done."
                ),
            )
        )
    verdict = chain.verdict
    if blockers:
        verdict = Verdict.UNBOOTABLE
    elif verdict == Verdict.BOOTABLE and any(
        f.severity is Severity.UNKNOWN and f.boot_critical and f.stage is None for f in all_findings
    ):
        verdict = Verdict.UNKNOWN
    severities = {f.severity for f in all_findings}
    remote = chain.stages[-1] if chain.stages else None
    unreachable = remote is not None and remote.state is StageState.BROKEN
    if verdict == Verdict.UNBOOTABLE or Severity.CRITICAL in severities or unreachable:
        status = Status.CRITICAL
    elif verdict == Verdict.UNKNOWN or Severity.UNKNOWN in severities:
        status = Status.UNKNOWN
    elif Severity.WARNING in severities:
        status = Status.WARNING
    else:
        status = Status.OK
    ordered = tuple(sorted(all_findings, key=lambda f: (f.severity.rank, f.area, f.id)))
    return Judgement(verdict, status, ordered, next_reboot, chain, reboots_unknown)

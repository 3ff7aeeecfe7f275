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
from cockpit.words import Status, Verdict


@dataclass(frozen=True)
class Judgement:
    """What the rules concluded about one host at `now`: verdict, status, the findings
    (worst first) and the soonest armed reboot."""

    verdict: Verdict
    status: Status
    findings: tuple[Finding, ...]
    next_reboot: ArmedReboot | None
    chain: BootChain | None = None


def countdown(at: datetime, now: datetime) -> str:
    """`4h15m`, `2d3h`, `45s`; `now` if due or past.

    Elapsed time, not wall-clock difference: Python subtracts two datetimes that share a
    ZoneInfo as wall times, which is an hour off across a DST change.
    """
    seconds = int(at.timestamp() - now.timestamp())
    if seconds <= 0:
        return "now"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s" if minutes < 10 else f"{minutes}m"
    return f"{secs}s"


def _describe(reboot: ArmedReboot, now: datetime) -> str:
    if reboot.at is None:
        return f"{reboot.source} will {reboot.kind} this host (time unknown)"
    when = reboot.at.strftime("%Y-%m-%d %H:%M %Z").strip()
    return f"{reboot.source} will {reboot.kind} this host at {when}, in {countdown(reboot.at, now)}"


def _soonest(armed: Sequence[ArmedReboot]) -> ArmedReboot | None:
    timed = sorted((r for r in armed if r.at is not None), key=lambda r: r.at)  # type: ignore[arg-type, return-value]
    if timed:
        return timed[0]
    return armed[0] if armed else None


def decide(
    findings: Sequence[Finding],
    armed: Sequence[ArmedReboot],
    now: datetime,
    chain: BootChain,
) -> Judgement:
    all_findings = list(findings)
    blockers = [f for f in all_findings if f.severity is Severity.BLOCKER]
    next_reboot = _soonest(armed)
    if blockers and next_reboot is not None:
        what = "; ".join(b.title for b in blockers[:2])
        all_findings.append(
            Finding(
                id="verdict.reboot-armed-while-unbootable",
                area="reboots",
                severity=Severity.BLOCKER,
                title=f"UNBOOTABLE and {_describe(next_reboot, now)}",
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
    return Judgement(verdict, status, ordered, next_reboot, chain)

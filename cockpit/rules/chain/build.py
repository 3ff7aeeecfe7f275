"""Facts + findings -> the boot chain. The one place a stage's state is decided.

A stage is broken when a BLOCKER finding names it (for remote access: a CRITICAL one,
since that stage decides reachability, not bootability); unknown when a boot-critical
UNKNOWN finding names it or its prover cannot prove it; proven only when its prover
proves it. Findings therefore explain; provers prove; neither alone can make a stage pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cockpit.facts import HostFacts
from cockpit.rules.chain.boot_stages import prove_entry, prove_kernel, prove_mounts
from cockpit.rules.chain.init_stages import (
    prove_init_config,
    prove_init_exec,
    prove_remote_access,
)
from cockpit.rules.chain.live import with_current_boot
from cockpit.rules.chain.model import BootChain, Gap, Proof, Stage, StageResult, StageState
from cockpit.rules.finding import Finding, Severity

Prover = Callable[[HostFacts], "Proof | Gap"]

PROVERS: dict[Stage, Prover] = {
    Stage.ENTRY: prove_entry,
    Stage.KERNEL: prove_kernel,
    Stage.MOUNTS: prove_mounts,
    Stage.INIT_EXEC: prove_init_exec,
    Stage.INIT_CONFIG: prove_init_config,
    Stage.REMOTE_ACCESS: prove_remote_access,
}


def _breaks(f: Finding, stage: Stage) -> bool:
    if stage.decides_verdict:
        return f.severity is Severity.BLOCKER
    return f.severity in (Severity.BLOCKER, Severity.CRITICAL)


def judge_stage(stage: Stage, facts: HostFacts, findings: Sequence[Finding]) -> StageResult:
    mine = [f for f in findings if f.stage is stage]
    broken = [f for f in mine if _breaks(f, stage)]
    if broken:
        first = broken[0]
        return StageResult(
            stage,
            StageState.BROKEN,
            first.title,
            first.evidence,
            tuple(f.id for f in broken),
        )
    unknown = [f for f in mine if f.severity is Severity.UNKNOWN]
    try:
        outcome = PROVERS[stage](facts)
    except Exception as exc:  # a prover bug must read as unknown, never as proven
        outcome = Gap(f"the {stage.label} check failed: {type(exc).__name__}: {exc}"[:300])
    if unknown:
        first = unknown[0]
        return StageResult(
            stage, StageState.UNKNOWN, first.title, first.evidence, tuple(f.id for f in unknown)
        )
    if isinstance(outcome, Proof):
        return StageResult(
            stage, StageState.PROVEN, outcome.reason, outcome.evidence, proven_by="files"
        )
    return StageResult(stage, StageState.UNKNOWN, outcome.reason, outcome.evidence)


def build_chain(facts: HostFacts, findings: Sequence[Finding]) -> BootChain:
    """Every stage in boot order. Stages after a broken one are still judged: an admin
    fixing the first blocker wants to know about the next one too. On a live host, the
    current boot then proves what has not changed since it (live.py)."""
    chain = BootChain(tuple(judge_stage(stage, facts, findings) for stage in Stage))
    return with_current_boot(chain, facts)

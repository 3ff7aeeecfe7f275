"""The chain's own logic: findings break, provers prove, nothing else passes a stage."""

from __future__ import annotations

import dataclasses

import pytest

from cockpit.rules.chain import build
from cockpit.rules.chain.build import build_chain
from cockpit.rules.chain.model import BootChain, Gap, Proof, Stage, StageResult, StageState
from cockpit.rules.finding import Finding, Severity
from tests.support import SAMPLES, judge_root


@pytest.fixture(scope="module")
def facts():  # type: ignore[no-untyped-def]
    at = (SAMPLES / "debian12-systemd/AT").read_text().strip()
    return judge_root(SAMPLES / "debian12-systemd", at).facts


def _all_proven(monkeypatch: pytest.MonkeyPatch) -> None:
    for stage in Stage:
        monkeypatch.setitem(build.PROVERS, stage, lambda f, s=stage: Proof(f"{s} ok", ("e",)))


def _finding(sev: Severity, stage: Stage | None) -> Finding:
    return Finding("x.y", "boot", sev, "title", ("ev",), "fix", stage=stage)


def test_every_stage_proven_is_bootable(facts, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _all_proven(monkeypatch)
    chain = build_chain(facts, [])
    assert chain.verdict == "bootable"
    assert [s.stage for s in chain] == list(Stage)
    assert all(s.proven_by == "files" for s in chain)


def test_a_blocker_breaks_its_stage_even_when_the_prover_proves(
    facts, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _all_proven(monkeypatch)
    chain = build_chain(facts, [_finding(Severity.BLOCKER, Stage.MOUNTS)])
    assert chain.get(Stage.MOUNTS).state is StageState.BROKEN  # type: ignore[union-attr]
    assert chain.verdict == "unbootable"


def test_an_unknown_finding_keeps_its_stage_unproven(
    facts, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _all_proven(monkeypatch)
    chain = build_chain(facts, [_finding(Severity.UNKNOWN, Stage.KERNEL)])
    assert chain.get(Stage.KERNEL).state is StageState.UNKNOWN  # type: ignore[union-attr]
    assert chain.verdict == "unknown"


def test_a_gap_without_any_finding_is_unknown_never_bootable(
    facts, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The failure mode nobody wrote a rule for: no finding, and no proof."""
    _all_proven(monkeypatch)
    monkeypatch.setitem(build.PROVERS, Stage.INIT_CONFIG, lambda f: Gap("no proof"))
    chain = build_chain(facts, [])
    assert chain.get(Stage.INIT_CONFIG).state is StageState.UNKNOWN  # type: ignore[union-attr]
    assert chain.verdict == "unknown"


def test_a_prover_that_crashes_is_unknown(facts, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _all_proven(monkeypatch)

    def boom(f: object) -> Proof:
        raise ValueError("bug")

    monkeypatch.setitem(build.PROVERS, Stage.ENTRY, boom)
    chain = build_chain(facts, [])
    assert chain.get(Stage.ENTRY).state is StageState.UNKNOWN  # type: ignore[union-attr]
    assert "ValueError" in chain.get(Stage.ENTRY).reason  # type: ignore[union-attr]


def test_remote_access_never_decides_the_verdict(facts, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _all_proven(monkeypatch)
    chain = build_chain(facts, [_finding(Severity.CRITICAL, Stage.REMOTE_ACCESS)])
    assert chain.get(Stage.REMOTE_ACCESS).state is StageState.BROKEN  # type: ignore[union-attr]
    assert chain.verdict == "bootable"
    # a CRITICAL finding on a boot stage is a risk, not a broken stage
    chain = build_chain(facts, [_finding(Severity.CRITICAL, Stage.KERNEL)])
    assert chain.get(Stage.KERNEL).state is StageState.PROVEN  # type: ignore[union-attr]


def test_empty_chain_is_never_bootable() -> None:
    assert BootChain(()).verdict == "unknown"
    only_remote = StageResult(Stage.REMOTE_ACCESS, StageState.PROVEN, "r")
    assert BootChain((only_remote,)).verdict == "unknown"


def test_every_blocker_the_rules_emit_on_the_samples_names_a_stage() -> None:
    """A blocker without a stage would still make the host unbootable (verdict.py), but
    it would be missing from the chain the screen and the JSON show."""
    for tree in sorted(p for p in SAMPLES.iterdir() if (p / "AT").is_file()):
        state = judge_root(tree, (tree / "AT").read_text().strip())
        for f in state.findings:
            if f.severity is Severity.BLOCKER and not f.id.startswith("verdict."):
                assert f.stage is not None, (tree.name, f.id)


def test_stage_results_are_frozen() -> None:
    r = StageResult(Stage.ENTRY, StageState.PROVEN, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.reason = "y"  # type: ignore[misc]

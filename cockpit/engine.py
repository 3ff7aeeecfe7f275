"""Snapshot -> HostState: parse, then judge. Pure and synchronous, so replay is exact."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from cockpit.hostclock import host_now
from cockpit.parsers import ParseMemo, parse_snapshot
from cockpit.rules import judge_all
from cockpit.rules.finding import Finding, Severity
from cockpit.snapshot import Snapshot
from cockpit.state import HostState
from cockpit.words import Mode, Status, Verdict


def _framing_finding(snapshot: Snapshot) -> Finding | None:
    if not snapshot.framing_issues:
        return None
    return Finding(
        id="collector.incomplete",
        area="host",
        severity=Severity.UNKNOWN,
        title="the collector's output was damaged or cut: some facts are unknown",
        evidence=snapshot.framing_issues[:10],
        remedy="Refresh; if it persists, run the collector by hand (`cockpit check -v`).",
        boot_critical=True,
    )


def judge_snapshot(
    snapshot: Snapshot, at: datetime | None = None, memo: ParseMemo | None = None
) -> HostState:
    """`memo`: the host's parse memo in a refresh loop (only changed areas are parsed)."""
    facts = parse_snapshot(snapshot, memo)
    now = host_now(facts.host, at, snapshot.started or datetime.now(timezone.utc))
    if snapshot.mode == Mode.OFFLINE and not facts.host.looks_like_linux:
        return HostState.failed(
            snapshot.host,
            snapshot.mode,
            "not-a-system",
            f"{snapshot.root} holds no Linux system (no etc/, usr/, bin/ or lib/ found)",
            host_time=now,
        )
    verdict = judge_all(facts, now)
    findings = verdict.findings
    framing = _framing_finding(snapshot)
    if framing is not None:
        findings = (*findings, framing)
        if verdict.verdict == Verdict.BOOTABLE:
            verdict = replace(
                verdict, verdict=Verdict.UNKNOWN, status=Status.UNKNOWN, findings=findings
            )
    return HostState(
        name=snapshot.host,
        mode=snapshot.mode,
        reachable=True,
        verdict=verdict.verdict,
        status=verdict.status,
        host_time=now,
        findings=findings,
        next_reboot=verdict.next_reboot,
        chain=verdict.chain,
        reboots_unknown=verdict.reboots_unknown,
        init_running=facts.init.running_label,
        init_boot=facts.init.boot_label,
        facts=facts,
        snapshot=snapshot,
    )

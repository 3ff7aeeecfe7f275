"""What every packages rule shares: how a finding is built and which locks are held now.

A held lock means the package manager is working: the family rules stay quiet about its
half-done states, which are its work in progress.
"""

from __future__ import annotations

from cockpit.facts.packages import Lock, PackageFacts, Transaction
from cockpit.rules.finding import Finding, Severity

AREA = "packages"


def finding(
    id_: str, sev: Severity, title: str, evidence: list[str] | tuple[str, ...], remedy: str
) -> Finding:
    return Finding(f"{AREA}.{id_}", AREA, sev, title, tuple(evidence[:12]), remedy)


def held_locks(p: PackageFacts, paths: tuple[str, ...]) -> list[Lock]:
    """The locks among `paths` that a live process holds."""
    return [lk for lk in p.locks if lk.held and lk.path in paths]


def run_interrupted(t: Transaction, remedy: str) -> Finding:
    """The finding for a package manager run that started and never finished."""
    what = f"{t.manager} run started {t.started or '(time unknown)'} never finished"
    if t.command:
        what += f": {t.command}"
    return finding("transaction-interrupted", Severity.CRITICAL, what, list(t.evidence), remedy)

"""What every packages rule shares: how a finding is built and which locks are held now.

A held lock means the package manager is working: the family rules stay quiet about its
half-done states, which are its work in progress.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone, tzinfo

from cockpit.facts.packages import Lock, PackageFacts, Transaction
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.when import AT, Timed

AREA = "packages"


def finding(
    id_: str, sev: Severity, title: str, evidence: list[str] | tuple[str, ...], remedy: str
) -> Finding:
    return Finding(f"{AREA}.{id_}", AREA, sev, title, tuple(evidence[:12]), remedy)


def held_locks(p: PackageFacts, paths: tuple[str, ...]) -> list[Lock]:
    """The locks among `paths` that a live process holds."""
    return [lk for lk in p.locks if lk.held and lk.path in paths]


def _run_title(t: Transaction, started: str) -> str:
    what = f"{t.manager} run started {started} never finished"
    return f"{what}: {t.command}" if t.command else what


def run_interrupted(t: Transaction, remedy: str) -> Finding:
    """The finding for a package manager run that started and never finished."""
    what = _run_title(t, t.started or "(time unknown)")
    return finding("transaction-interrupted", Severity.CRITICAL, what, list(t.evidence), remedy)


def started_at(t: Transaction, zone: tzinfo | None) -> datetime | None:
    """When a run started, in the host's zone. Logs write it their own way: apt a bare
    local wall time (`2024-04-17 21:41:52`: the host's zone), pacman ISO with an offset,
    emerge epoch seconds (which the parser gives as `... UTC`). None if unreadable."""
    text = (t.started or "").strip()
    if not text:
        return None
    utc = text.endswith(" UTC")
    try:
        at = datetime.fromisoformat(text.removesuffix(" UTC"))
    except ValueError:
        return None
    if utc:
        at = at.replace(tzinfo=timezone.utc)
    if at.tzinfo is None:
        return at.replace(tzinfo=zone) if zone is not None else None
    return at.astimezone(zone) if zone is not None else at


def with_start_time(f: Finding, t: Transaction, now: datetime) -> Finding:
    """The finding with its start time as data, said in the host's zone with its
    abbreviation on screen (`title_at`); its judged title stays the log's own words."""
    at = started_at(t, now.tzinfo)
    if at is None:
        return f
    title = _run_title(t, AT)
    return replace(f, timed=Timed(at, title, title))

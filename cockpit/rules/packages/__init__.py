"""Packages rules: changes caught half-way, locks, resume lists, removed essentials.

A package mid-change is a risk to finish before rebooting (CRITICAL when the boot depends
on it), never a BLOCKER by itself: blockers rest on the boot files, checked by the boot
and init areas. While a package manager is running (a live process holds its lock),
half-done states are its work in progress: we say it runs, and do not cry "interrupted".

This module says whether the package state could be read at all and runs the checks in
a fixed order; each family's own checks (dpkg, rpm, portage) and the cross-family ones
(locks, runs, essentials, config_merges) live in their modules, and what they say per
family comes from cockpit/distros.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.distros import MANAGERS
from cockpit.facts import HostFacts
from cockpit.facts.packages import PackageFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding
from cockpit.rules.packages.config_merges import config_merge_findings
from cockpit.rules.packages.dpkg import dpkg_findings
from cockpit.rules.packages.essentials import essential_removed_findings
from cockpit.rules.packages.locks import lock_findings
from cockpit.rules.packages.portage import resume_findings
from cockpit.rules.packages.rpm import yum_findings
from cockpit.rules.packages.runs import half_done_elsewhere, interrupted_runs
from cockpit.rules.unread import remedy


def _listed(names: list[str], last: str) -> str:
    """`a, b and c` (`last` is "and" or "or")."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"


def _states(issues: tuple[str, ...]) -> list[str]:
    """The section states at the end of `path: state` issue lines."""
    said = [i.rpartition(": ")[2] for i in issues]
    return ["denied" if s == "not readable" else s for s in said if s.replace(" ", "").isalpha()]


def _db(p: PackageFacts, as_root: bool | None = None) -> list[Finding]:
    if p.db_state == "unknown":
        return [
            finding(
                "db-unreadable",
                Severity.UNKNOWN,
                "package state not reported: changes in flight are unknown",
                list(p.issues),
                "Refresh; if it persists run the collector by hand (`cockpit check -v`).",
            )
        ]
    if p.db_state == "unreadable":
        homes = _listed([m.home for m in MANAGERS if m.reads_database], "or")
        return [
            finding(
                "db-unreadable",
                Severity.UNKNOWN,
                "package database could not be read: changes in flight are unknown",
                list(p.issues),
                remedy(_states(p.issues), as_root, f"{homes} must be readable."),
            )
        ]
    if p.db_state == "absent":
        known = [m.name for m in MANAGERS if m.understood]
        return [
            finding(
                "db-unreadable",
                Severity.UNKNOWN,
                f"no package database found ({', '.join(known)}): changes in flight unknown",
                [],
                "Check which package manager this host uses; "
                f"cockpit knows {_listed(known, 'and')}.",
            )
        ]
    return []


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    p = facts.packages
    findings = _db(p, facts.host.as_root)
    if p.db_state in ("unknown", "absent") and not p.managers:
        return findings
    findings += lock_findings(p)
    findings += dpkg_findings(p)
    findings += half_done_elsewhere(p)
    findings += interrupted_runs(p, now)
    findings += yum_findings(p)
    findings += resume_findings(p)
    findings += essential_removed_findings(p, now)
    findings += config_merge_findings(p, facts.host.family)
    return findings

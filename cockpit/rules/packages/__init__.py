"""Packages rules: changes caught half-way, locks, resume lists, removed essentials.

A package mid-change is a risk to finish before rebooting (CRITICAL when the boot depends
on it), never a BLOCKER by itself: blockers rest on the boot files, checked by the boot
and init areas. While a package manager is running (a live process holds its lock),
half-done states are its work in progress: we say it runs, and do not cry "interrupted".

This module says whether the package state could be read at all and runs the checks in
a fixed order; each family's checks (dpkg, rpm, pacman, portage) and the
cross-family ones (locks, essentials, config_merges) live in their modules.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.facts.packages import PackageFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding, with_start_time
from cockpit.rules.packages.config_merges import config_merge_findings
from cockpit.rules.packages.dpkg import apt_run_interrupted, dpkg_findings
from cockpit.rules.packages.essentials import essential_removed_findings
from cockpit.rules.packages.locks import lock_findings
from cockpit.rules.packages.pacman import pacman_run_interrupted
from cockpit.rules.packages.portage import resume_findings
from cockpit.rules.packages.rpm import yum_findings


def _db(p: PackageFacts) -> list[Finding]:
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
        return [
            finding(
                "db-unreadable",
                Severity.UNKNOWN,
                "package database could not be read: changes in flight are unknown",
                list(p.issues),
                "Run cockpit with a user that can read /var/lib/dpkg or /var/db/pkg (sudo = true).",
            )
        ]
    if p.db_state == "absent":
        return [
            finding(
                "db-unreadable",
                Severity.UNKNOWN,
                "no package database found (dpkg, rpm, pacman, portage, apk): "
                "changes in flight unknown",
                [],
                "Check which package manager this host uses; "
                "cockpit knows dpkg, rpm, pacman, portage and apk.",
            )
        ]
    return []


def _interrupted_runs(p: PackageFacts, now: datetime) -> list[Finding]:
    """Runs a log shows started and never finished, in the logs' order (emerge: the resume
    list says it better)."""
    out: list[Finding] = []
    for t in p.transactions:
        if t.complete or t.manager == "emerge":
            continue
        check = apt_run_interrupted if t.manager == "apt" else pacman_run_interrupted
        found = check(p, t)
        if found is not None:
            out.append(with_start_time(found, t, now))
    out += yum_findings(p)
    return out


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    p = facts.packages
    findings = _db(p)
    if p.db_state in ("unknown", "absent") and not p.managers:
        return findings
    findings += lock_findings(p)
    findings += dpkg_findings(p)
    findings += _interrupted_runs(p, now)
    findings += resume_findings(p)
    findings += essential_removed_findings(p, now)
    findings += config_merge_findings(p)
    return findings

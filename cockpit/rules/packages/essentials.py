"""Any package manager: the last init or libc package removed, and none installed.

Cross-family because the question is the same everywhere (will the next boot find an
init and a libc?) and the removal logs of dpkg, pacman and portage answer it alike.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.distros import essential_packages, manager
from cockpit.facts.packages import PackageFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding

_ANY = "Before any reboot: reinstall the {kind} package with the host's package manager."


def essential_removed_findings(p: PackageFacts, now: datetime) -> list[Finding]:
    if p.installed_keys is None:
        return []
    out: list[Finding] = []
    for kind in ("init", "libc"):
        candidates = essential_packages(kind)
        if p.installed_keys & candidates:
            continue  # a provider is installed
        gone = [r for r in p.removals if r.package in candidates]
        if not gone:
            continue
        last = gone[-1]
        version = f"-{last.version}" if last.version and last.manager == "portage" else ""
        when = last.when
        if last.epoch is not None and now.tzinfo is not None:
            when = (
                datetime.fromtimestamp(last.epoch, now.tzinfo).strftime("%Y-%m-%d %H:%M %Z").strip()
            )
        out.append(
            finding(
                "essential-removed",
                Severity.CRITICAL,
                f"{last.package}{version} ({kind}) was removed at {when} "
                f"and no {kind} package is installed",
                [r.evidence for r in gone[-3:]],
                _remedy(last.manager, kind),
            )
        )
    return out


def _remedy(manager_name: str, kind: str) -> str:
    """What to type, from the manager's cockpit/distros entry."""
    entry = manager(manager_name)
    known = entry.reinstall_essential.get(kind) if entry is not None else None
    return known or _ANY.format(kind=kind)

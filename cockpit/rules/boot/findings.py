"""Helpers every boot rule module shares: building a finding, naming an entry, remedies.

Kept apart so the rule modules (config, default entry, mounts, reboots) agree on the
evidence cap, on how an entry and a missing file are described, and on the remedy that
restores a kernel or initrd (each family's command is in cockpit/distros).
"""

from __future__ import annotations

from cockpit.distros import family
from cockpit.facts import HostFacts
from cockpit.facts.boot import EMPTY, MISSING, PRESENT, UNKNOWN, BootEntry, BootFile
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity


def finding(
    fid: str,
    sev: Severity,
    title: str,
    evidence: tuple[str, ...] | list[str],
    remedy: str,
    critical: bool = False,
    area: str = "boot",
    stage: Stage | None = None,
) -> Finding:
    return Finding(
        fid, area, sev, title, tuple(evidence)[:12], remedy, boot_critical=critical, stage=stage
    )


def entry_name(entry: BootEntry) -> str:
    return entry.menu_path or entry.title


def file_problem(f: BootFile) -> str | None:
    if f.state == MISSING:
        return f"{f.written} does not exist (looked for {', '.join(f.tried)})"
    if f.state == EMPTY:
        return f"{f.found} is empty (zero bytes) or a dangling link"
    if f.state == UNKNOWN:
        return f"{f.written}: {f.why or 'its directory could not be listed'}"
    return None


def entry_ok(entry: BootEntry | None) -> bool:
    if entry is None or entry.kernel is None or entry.kernel.state != PRESENT:
        return False
    return all(i.state == PRESENT for i in entry.initrds)


def regen_remedy(facts: HostFacts, what: str) -> str:
    """How to get a kernel or initrd back: the family's way (cockpit/distros), else words."""
    how = family(facts.host.family).restore_kernel
    generic = "reinstall the kernel package and regenerate the initrd and bootloader config"
    return f"Do not reboot. Restore the {what}: {how or generic}."

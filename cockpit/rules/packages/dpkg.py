"""dpkg and apt: packages left mid-change, pending triggers, an apt run that never ended.

The Debian family's half-done states live in dpkg's status file and journal; while dpkg
or apt holds its lock they are work in progress, said by `lock-held`, not here.
"""

from __future__ import annotations

from cockpit.facts.packages import (
    MID_STATES,
    TRIGGER_STATES,
    PackageFacts,
    PackageState,
    Transaction,
)
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding, held_locks, run_interrupted

DPKG_LOCKS = (
    "/var/lib/dpkg/lock-frontend",
    "/var/lib/dpkg/lock",
    "/var/run/unattended-upgrades.lock",
    "/var/run/unattended-upgrades.pid",
)
APT_LOCKS = (*DPKG_LOCKS, "/var/lib/apt/lists/lock", "/var/cache/apt/archives/lock")


def _states(items: list[PackageState], limit: int = 3) -> str:
    shown = ", ".join(f"{s.name} {s.state}" for s in items[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def dpkg_findings(p: PackageFacts) -> list[Finding]:
    out: list[Finding] = []
    busy = held_locks(p, DPKG_LOCKS)
    if busy:
        return out  # dpkg is working: its half-done states are in progress, said by lock-held
    mid = [s for s in p.mid_change if s.state in MID_STATES]
    essential = [s for s in mid if s.essential]
    other = [s for s in mid if not s.essential]
    if p.dpkg_journal:
        out.append(
            finding(
                "dpkg-interrupted",
                Severity.CRITICAL,
                "dpkg was interrupted: its journal holds uncommitted changes",
                [*p.dpkg_journal[:5], *(s.evidence for s in mid[:5])],
                "dpkg --configure -a   (then `apt-get -f install`); finish it before any reboot.",
            )
        )
    if essential:
        out.append(
            finding(
                "essential-mid-change",
                Severity.CRITICAL,
                f"{_states(essential)}: the boot needs it; finish it before any reboot",
                [s.evidence for s in essential],
                "dpkg --configure -a   (check `dpkg --audit` is empty afterwards), then reboot.",
            )
        )
    if other:
        out.append(
            finding(
                "half-installed",
                Severity.WARNING,
                f"{_states(other)}: packages left half-installed",
                [s.evidence for s in other],
                "dpkg --configure -a   (or `apt-get -f install`); "
                "`dpkg --audit` lists what is left.",
            )
        )
    trig = [s for s in p.mid_change if s.state in TRIGGER_STATES]
    if trig or p.unincorp_triggers:
        initramfs = any(s.name.startswith("initramfs-tools") for s in trig) or any(
            "initramfs" in t for t in p.unincorp_triggers
        )
        evidence = [s.evidence + (f" / Triggers: {s.triggers}" if s.triggers else "") for s in trig]
        evidence += [f"/var/lib/dpkg/triggers/Unincorp: {t}" for t in p.unincorp_triggers[:5]]
        if initramfs:
            out.append(
                finding(
                    "triggers-pending",
                    Severity.CRITICAL,
                    "initramfs-tools triggers pending: the initramfs was not regenerated",
                    evidence,
                    "dpkg --configure -a   (runs update-initramfs); "
                    "check /boot/initrd.img-* is new before a reboot.",
                )
            )
        else:
            names = ", ".join(s.name for s in trig[:3]) or "dpkg"
            out.append(
                finding(
                    "triggers-pending",
                    Severity.WARNING,
                    f"triggers pending ({names}): package setup not finished",
                    evidence,
                    "dpkg --configure -a   (or `dpkg --triggers-only -a`).",
                )
            )
    return out


def apt_run_interrupted(p: PackageFacts, t: Transaction) -> Finding | None:
    """An apt history entry with no End-Date, unless apt or dpkg is still running it."""
    if held_locks(p, APT_LOCKS):
        return None
    remedy = "dpkg --configure -a   then `apt-get -f install`, and re-run: " + (
        t.command or "the apt command"
    )
    return run_interrupted(t, remedy)

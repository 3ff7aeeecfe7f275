"""dpkg: its journal, packages left mid-change, pending triggers.

The Debian family's half-done states live in dpkg's status file and journal; while dpkg
holds its lock they are work in progress, said by `lock-held`, not here. An apt run that
never ended is judged with every manager's runs (runs.py).
"""

from __future__ import annotations

from cockpit.distros.table import DPKG
from cockpit.facts.packages import MID_STATES, TRIGGER_STATES, PackageFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding, held_locks
from cockpit.rules.packages.runs import half_done


def dpkg_findings(p: PackageFacts) -> list[Finding]:
    out: list[Finding] = []
    if held_locks(p, DPKG.working_locks()):
        return out  # dpkg is working: its half-done states are in progress, said by lock-held
    mine = [s for s in p.mid_change if s.manager == "dpkg"]
    mid = [s for s in mine if s.state in MID_STATES]
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
    out += half_done(DPKG, mid)
    trig = [s for s in mine if s.state in TRIGGER_STATES]
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

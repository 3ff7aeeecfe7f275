"""Boot rules: will the next boot find its kernel, initrd, root and mounts?

`judge` is the one entry point other code imports; it runs the boot rule modules in a fixed
order (the findings' order is part of the goldens): `config` (can the next boot be
judged at all), `default` (the default entry's kernel, initrd, modules, root=, and newer
kernels), `mounts` (fstab and crypttab), `reboot` (reboot pending, modules removed).
Blockers rest only on files the boot needs, checked directly; whatever could not be read is
UNKNOWN, and boot-critical when the verdict depends on it. A container's boot is its host's.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.rules.boot.config import ambiguous_findings, config_findings
from cockpit.rules.boot.default import default_entry_findings, newer_kernel_findings
from cockpit.rules.boot.findings import finding
from cockpit.rules.boot.fstab_syntax import fstab_syntax_findings
from cockpit.rules.boot.grub_files import grub_findings
from cockpit.rules.boot.kernel_findings import kernel_findings
from cockpit.rules.boot.kimage import kimage_findings
from cockpit.rules.boot.mounts import mount_findings
from cockpit.rules.boot.reboot import reboot_findings
from cockpit.rules.finding import Finding, Severity


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    b = facts.boot
    if facts.host.container:
        return [
            finding(
                "boot.container",
                Severity.INFO,
                f"this is a {facts.host.container} container: its boot is the host's business",
                [f"/run/systemd/container: {facts.host.container}"],
                "",
            )
        ]
    out = config_findings(b, facts)
    out.extend(grub_findings(b, facts))
    if b.loader is not None:
        if b.ambiguous:
            out.extend(ambiguous_findings(b))
        else:
            out.extend(default_entry_findings(b.loader, b, facts))
            out.extend(kimage_findings(b, facts))
            out.extend(newer_kernel_findings(b, facts))
            out.extend(kernel_findings(facts))
    out.extend(mount_findings(b, facts))
    out.extend(fstab_syntax_findings(facts))
    out.extend(reboot_findings(b, facts))
    return out

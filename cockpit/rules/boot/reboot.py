"""Reboot-required rules that boot facts answer (area `reboots`).

They compare the running kernel with the default entry's release, not with the newest
kernel installed (the classic false alarm), and notice when the running kernel's modules
directory is gone, so loading any new module fails until a reboot.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.boot import BootFacts
from cockpit.rules.boot.findings import entry_name, finding
from cockpit.rules.finding import Finding, Severity


def reboot_findings(b: BootFacts, facts: HostFacts) -> list[Finding]:
    out: list[Finding] = []
    running = facts.host.kernel_release
    if not running:
        return out
    entry = b.default_entry
    if entry is not None and entry.release and entry.release != running and not b.ambiguous:
        out.append(
            finding(
                "reboots.kernel-update-pending",
                Severity.WARNING,
                (
                    f"reboot pending: the default boot entry boots {entry.release}, the running "
                    f"kernel is {running}"
                ),
                [
                    f"running kernel: {running}",
                    f"default entry {entry_name(entry)!r}: {entry.release} ({entry.release_how})",
                    *entry.evidence[:2],
                ],
                (
                    "Reboot when convenient, once the verdict is BOOTABLE; nothing else loads the "
                    "new kernel."
                ),
                area="reboots",
            )
        )
    if b.modules_state == "ok" and b.modules and b.modules_for(running) == "absent":
        out.append(
            finding(
                "reboots.running-kernel-modules-removed",
                Severity.WARNING,
                (
                    f"the running kernel's modules are gone (/lib/modules/{running}): loading any "
                    "new "
                    "module fails until a reboot"
                ),
                [
                    f"running kernel: {running}",
                    "/lib/modules holds: " + ", ".join(r for r, _ in b.modules[:6]),
                ],
                (
                    "Reboot soon (after checking the verdict); until then avoid anything that "
                    "loads "
                    "modules (new USB devices, filesystems, iptables modules)."
                ),
                area="reboots",
            )
        )
    return out

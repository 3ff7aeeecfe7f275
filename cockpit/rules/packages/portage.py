"""portage: emerge stopped with merges left on its resume list.

The resume list says what is left better than emerge.log does; it is critical when the
kernel, udev, the init or libc is among what is left, since the boot depends on them.
"""

from __future__ import annotations

from cockpit.distros.table import PORTAGE
from cockpit.facts.packages import PackageFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding


def resume_findings(p: PackageFacts) -> list[Finding]:
    r = p.resume
    if r is None or p.emerge_running:
        return []
    key = [e for e in r.entries if PORTAGE.is_boot_package(e)]  # kernel, udev, init, libc
    evidence = [r.evidence]
    run = next((t for t in p.transactions if t.manager == "emerge"), None)
    if run is not None and not run.complete:
        evidence.extend(run.evidence)
    older = " (from an earlier run)" if r.source == "resume_backup" else ""
    if key:
        return [
            finding(
                "portage-resume-pending",
                Severity.CRITICAL,
                f"emerge stopped with {len(r.entries)} merges pending{older}, "
                f"including {', '.join(key[:4])}: finish them before any reboot",
                evidence,
                "emerge --resume   (or redo the update: `emerge -uDN @world`); "
                "check the kernel, udev and init are in place.",
            )
        ]
    return [
        finding(
            "portage-resume-pending",
            Severity.WARNING,
            f"emerge stopped with {len(r.entries)} merges pending{older}",
            evidence,
            "emerge --resume   (or `emaint --fix cleanresume` to drop the list).",
        )
    ]

"""A default kernel that is there but cut short: GRUB stops with "premature end of file".

The x86 boot protocol header says how long a bzImage must be; a file shorter than that
(an interrupted copy, a full /boot during a kernel upgrade) is present and not empty, so
only the header tells. Observed in tests/boot/oracle: `error: premature end of file`.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.boot import PRESENT, BootFacts
from cockpit.rules.boot.findings import finding, regen_remedy
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity


def kimage_findings(b: BootFacts, facts: HostFacts) -> list[Finding]:
    entry = b.default_entry
    if entry is None or entry.kernel is None or entry.kernel.state != PRESENT:
        return []
    image = b.kernel_image(entry.kernel.found)
    if image is None or image.complete is not False:
        return []
    return [
        finding(
            "boot.default-kernel-truncated",
            Severity.BLOCKER,
            f"the default entry's kernel {image.path} is cut short: {image.size} bytes, its "
            f"header needs {image.needed}; the boot loader stops on it",
            [
                *entry.evidence[:2],
                f"{image.path}: {image.size} bytes; bzImage header: setup + code = "
                f"{image.needed} bytes",
            ],
            regen_remedy(facts, "kernel image"),
            stage=Stage.ENTRY,
        )
    ]

"""The kernel stage's findings and its prover, both from one `analyze` (kernel_stage.py).

BLOCKER when the files show the boot stops (a root driver or filesystem module neither
built in nor in the initramfs, an initramfs for another release, a root=UUID= with no
initramfs to resolve it, a separate /usr nobody mounts before init); UNKNOWN when the
default entry's initramfs could not be read at all (with why: no zstd here, timed out).
Everything else the analysis could not settle keeps the stage unproven through the
prover's Gap, with the reason.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.boot import PRESENT
from cockpit.rules.boot.findings import finding
from cockpit.rules.boot.kernel_stage import analyze, summary
from cockpit.rules.chain.model import Gap, Proof, Stage
from cockpit.rules.finding import Finding, Severity


def _staged(f: Finding) -> Finding:
    return Finding(
        f.id, f.area, f.severity, f.title, f.evidence, f.remedy, f.boot_critical, Stage.KERNEL
    )


def kernel_findings(facts: HostFacts) -> list[Finding]:
    if facts.host.container:
        return []
    entry = facts.boot.default_entry
    if entry is not None and any(i.state != PRESENT for i in entry.initrds):
        return []  # the entry stage's blocker names the missing initrd: nothing to list
    an = analyze(facts)
    out: list[Finding] = []
    for fid, title, ev, remedy in an.blockers:
        out.append(_staged(finding(fid, Severity.BLOCKER, title, ev, remedy)))
    for lst in an.unreadable:
        if lst.state == "ok" and lst.entries:
            continue  # read, only cut: what it shows still counts; the prover says the rest
        out.append(
            _staged(
                finding(
                    "boot.initramfs-unreadable",
                    Severity.UNKNOWN,
                    f"the default entry's initramfs {lst.path} could not be read: {lst.why}",
                    [f"{lst.path}: {lst.state}", *(f"segment at {s}" for s in lst.segments)],
                    (
                        "Install the decompressor it needs (zstd, xz, lz4) where cockpit runs, "
                        "or check it on the host: `lsinitramfs`, `lsinitrd`, `lsinitcpio`."
                    ),
                    True,
                )
            )
        )
    return out


def prove(facts: HostFacts) -> Proof | Gap:
    """Proof only when the root device and root filesystem are shown reachable."""
    an = analyze(facts)
    if an.gap:
        return Gap(an.gap)
    ev = [f"root={an.root}: {an.root_how}"]
    if an.root_found is not True:
        return Gap(f"root={an.root} cannot be shown to exist", (an.root_how,))
    if an.blockers:
        return Gap(an.blockers[0][1], tuple(an.blockers[0][2]))
    assert an.avail is not None and an.entry is not None
    ev.extend(an.evidence)
    for lst in an.avail.listings:
        ev.append(summary(lst, an.avail.release, an.used))
    if not an.entry.initrds:
        ev.append(f"no initramfs: the kernel's own drivers ({an.avail.builtin_how})")
    else:
        ev.append(f"built-ins: {an.avail.builtin_how}")
    if an.gaps:
        return Gap(an.gaps[0], tuple(ev))
    return Proof("the kernel can find and mount root", tuple(ev))

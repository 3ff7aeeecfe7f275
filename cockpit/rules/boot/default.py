"""Boot rules for the default entry: its kernel, initrd, modules and root= device.

Blockers here rest only on what the entry names, checked against listings that were
actually read: a missing kernel or initrd, a root= that matches no device in a captured
/dev/disk/by-* list. Kernels newer than the default are compared with the default entry,
never with "the newest installed" (the classic false alarm), and are at most a WARNING.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.boot import EMPTY, MISSING, PRESENT, UNKNOWN, BootEntry, BootFacts, Loader
from cockpit.parsers.boot.menu import version_key
from cockpit.rules.boot.devices import resolve_source
from cockpit.rules.boot.findings import entry_name, file_problem, finding, regen_remedy
from cockpit.rules.chain import cmdline as kcmd
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.pasteable import word
from cockpit.rules.unread import remedy, states_in


def default_entry_findings(ld: Loader, b: BootFacts, facts: HostFacts) -> list[Finding]:
    out: list[Finding] = []
    entry = ld.default
    how = list(ld.default_evidence)
    if entry is None:
        if not ld.entries:
            return [
                finding(
                    "boot.default-entry-missing",
                    Severity.BLOCKER,
                    f"{ld.config} has no boot entry: nothing to boot",
                    [f"{ld.config}: no entries", *how],
                    (
                        "Regenerate the bootloader config (`update-grub`, `grub2-mkconfig -o ...`, "
                        "`update-extlinux`) and check it lists a kernel."
                    ),
                    stage=Stage.ENTRY,
                )
            ]
        return [
            finding(
                "boot.default-entry-unknown",
                Severity.UNKNOWN,
                f"cannot tell which {ld.kind} entry boots next: {ld.default_how}",
                [f"{ld.config}: {len(ld.entries)} entries", *how],
                "Check the bootloader's default (`grub-editenv list`, `bootctl status`).",
                True,
                stage=Stage.ENTRY,
            )
        ]
    if ld.default_missing:
        out.append(
            finding(
                "boot.default-entry-missing",
                Severity.WARNING,
                (
                    f"the default {ld.default_missing!r} names no entry: {ld.kind} falls back to "
                    f"{entry_name(entry)!r}"
                ),
                [*how, *entry.evidence[:1]],
                (
                    "Set the default to an existing entry (`grub-set-default`, "
                    "`grub2-set-default`, "
                    f"`bootctl set-default`); entry {entry_name(entry)!r} is what boots now."
                ),
                stage=Stage.ENTRY,
            )
        )
    name = entry_name(entry)
    chosen_how = f"default entry {name!r} ({ld.default_how})"
    if entry.kernel is None:
        out.append(
            finding(
                "boot.default-kernel-unknown",
                Severity.UNKNOWN,
                f"{chosen_how} loads no Linux kernel (chainloader or firmware entry?)",
                [*how, *entry.evidence],
                "Check the default entry in the bootloader config.",
                True,
                stage=Stage.ENTRY,
            )
        )
        return out
    problem = file_problem(entry.kernel)
    if entry.kernel.state in (MISSING, EMPTY):
        out.append(
            finding(
                "boot.default-kernel-missing",
                Severity.BLOCKER,
                (
                    "the default entry's kernel is "
                    f"{'missing' if entry.kernel.state == MISSING else 'empty'}: "
                    f"{entry.kernel.written}"
                ),
                [*entry.evidence, *how, problem or ""],
                regen_remedy(facts, "kernel image"),
                stage=Stage.ENTRY,
            )
        )
    elif entry.kernel.state == UNKNOWN:
        out.append(
            finding(
                "boot.default-files-unknown",
                Severity.UNKNOWN,
                f"could not check the default entry's kernel {entry.kernel.written}",
                [*entry.evidence, problem or ""],
                remedy(states_in([entry.kernel.why or ""]), facts.host.as_root),
                True,
                stage=Stage.ENTRY,
            )
        )
    for initrd in entry.initrds:
        problem = file_problem(initrd)
        if initrd.state in (MISSING, EMPTY):
            out.append(
                finding(
                    "boot.default-initrd-missing",
                    Severity.BLOCKER,
                    (
                        "the default entry's initrd is "
                        f"{'missing' if initrd.state == MISSING else 'empty'}: {initrd.written}"
                    ),
                    [*entry.evidence, problem or ""],
                    regen_remedy(facts, "initrd"),
                    stage=Stage.ENTRY,
                )
            )
        elif initrd.state == UNKNOWN:
            out.append(
                finding(
                    "boot.default-files-unknown",
                    Severity.UNKNOWN,
                    f"could not check the default entry's initrd {initrd.written}",
                    [*entry.evidence, problem or ""],
                    remedy(states_in([initrd.why or ""]), facts.host.as_root),
                    True,
                    stage=Stage.ENTRY,
                )
            )
    out.extend(_modules_findings(entry, b))
    out.extend(_root_findings(entry, facts))
    return out


def _modules_findings(entry: BootEntry, b: BootFacts) -> list[Finding]:
    rel = entry.release
    if rel is None:
        return [
            finding(
                "boot.default-release-unknown",
                Severity.INFO,
                (
                    "the default kernel's release cannot be told from "
                    f"{entry.kernel.written if entry.kernel else 'its entry'}: its modules were "
                    "not "
                    "checked"
                ),
                entry.evidence[:2],
                "",
                stage=Stage.KERNEL,
            )
        ]
    state = b.modules_for(rel)
    if state in (PRESENT, UNKNOWN):
        return []
    others = [r for r, s in b.modules if s == PRESENT]
    sev = Severity.CRITICAL if others or state == MISSING else Severity.WARNING
    what = (
        f"/lib/modules/{rel} has no modules.dep (depmod did not run)"
        if state == MISSING
        else f"/lib/modules/{rel} does not exist"
    )
    ev = [what, f"default kernel release {rel} ({entry.release_how})"]
    if others:
        ev.append("modules present for: " + ", ".join(others[:6]))
    return [
        finding(
            "boot.modules-missing-for-default",
            sev,
            (
                f"no kernel modules for the default kernel {rel}: disks, network and filesystems "
                "built as modules will not load"
            ),
            ev,
            (
                f"Reinstall the kernel package for {word(rel, 'RELEASE')} (or run "
                f"`depmod {word(rel, 'RELEASE')}` if only "
                "modules.dep "
                "is missing) before rebooting."
            ),
            stage=Stage.KERNEL,
        )
    ]


def _root_findings(entry: BootEntry, facts: HostFacts) -> list[Finding]:
    root = kcmd.value(entry.cmdline or "", "root")
    if not root:
        return []
    res = resolve_source(facts, root)
    if res.found is not False:
        return []
    return [
        finding(
            "boot.root-device-missing",
            Severity.BLOCKER,
            (
                f"the default entry's root={root} names no known device: the kernel will not find "
                "its "
                "root filesystem"
            ),
            [*entry.evidence[:3], res.how],
            (
                "Fix root= in the bootloader config (`blkid` shows the real UUIDs; "
                "/etc/default/grub "
                "then `update-grub`, or `grubby --update-kernel=ALL --args=root=...`)."
            ),
            stage=Stage.KERNEL,
        )
    ]


def newer_kernel_findings(b: BootFacts, facts: HostFacts) -> list[Finding]:
    entry = b.default_entry
    if entry is None or entry.release is None:
        return []
    base = version_key(entry.release)
    uses_initrd = bool(entry.initrds) or any(k.initrd for k in b.installed)
    out: list[Finding] = []
    for k in b.installed:
        if k.release is None or k.release == entry.release or version_key(k.release) <= base:
            continue
        if uses_initrd and (k.initrd is None or not k.initrd_nonempty):
            state = "no initrd" if k.initrd is None else f"{k.initrd} is empty"
            out.append(
                finding(
                    "boot.newer-kernel-without-initrd",
                    Severity.WARNING,
                    (
                        f"newer kernel {k.release} has {state}; not the default, so the next boot "
                        "is "
                        "not affected"
                    ),
                    [f"{k.path}: installed", f"default entry boots {entry.release}"],
                    regen_remedy(facts, f"initrd of {k.release}").replace(
                        "Do not reboot. ", "Before making it the default: "
                    ),
                )
            )
        else:
            out.append(
                finding(
                    "boot.newer-kernel-not-default",
                    Severity.INFO,
                    f"kernel {k.release} is installed but the default entry boots {entry.release}",
                    [f"{k.path}: installed", *entry.evidence[:1]],
                    (
                        "Nothing to do unless you meant to boot it: set the default entry "
                        "(grub-set-default / bootctl set-default)."
                    ),
                )
            )
    return out

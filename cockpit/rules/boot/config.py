"""Boot rules about the configuration itself: unreadable, absent, or several bootloaders.

These decide whether the next boot can be judged at all: an unreadable config or a host
with no bootloader (a kernel supplied by the hypervisor) is UNKNOWN, and several configured
bootloaders are only INFO when every one of their default entries would boot.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.boot import UNKNOWN, BootFacts
from cockpit.rules.boot.findings import entry_name, entry_ok, finding
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.unread import remedy, states_in


def config_findings(b: BootFacts, facts: HostFacts) -> list[Finding]:
    out: list[Finding] = []
    if b.unreadable:
        out.append(
            finding(
                "boot.config-unreadable",
                Severity.UNKNOWN,
                "boot configuration unreadable: the next boot cannot be judged",
                b.unreadable,
                remedy(states_in(b.unreadable), facts.host.as_root),
                True,
                stage=Stage.ENTRY,
            )
        )
    if b.loader is None and not b.unreadable:
        out.append(_no_loader(b, facts))
    return out


def _no_loader(b: BootFacts, facts: HostFacts) -> Finding:
    ev: list[str] = []
    if b.boot_dir_state == "ok":
        ev.append(
            f"/boot: {len(b.boot_dir_entries)} entries, no bootloader configuration"
            + (f" ({', '.join(b.boot_dir_entries[:6])})" if b.boot_dir_entries else " (empty)")
        )
    else:
        ev.append(f"/boot: {b.boot_dir_state}")
    running = facts.host.kernel_release
    external = False
    if running:
        has_image = any(running in name for name in b.boot_dir_entries)
        mods = b.modules_for(running)
        ev.append(
            f"running kernel {running}: "
            + ("its image is in /boot" if has_image else "no image for it in /boot")
            + f"; /lib/modules/{running}: {mods}"
        )
        external = not has_image and mods in ("absent", UNKNOWN)
    if b.proc_cmdline:
        ev.append(f"/proc/cmdline: {b.proc_cmdline[:200]}")
        if "BOOT_IMAGE=" not in b.proc_cmdline and "initrd=" not in b.proc_cmdline and running:
            external = True
    if external:
        title = (
            "no bootloader here: this host boots a kernel supplied from outside (hypervisor "
            "or provider); cockpit cannot see what the next boot loads"
        )
        remedy = (
            "Check with the hypervisor/provider which kernel and command line the next boot "
            "uses; nothing on this disk decides it."
        )
    else:
        title = (
            "no bootloader configuration found (GRUB, BLS, systemd-boot, extlinux): "
            "cannot tell what the next boot loads"
        )
        remedy = (
            "Mount /boot (and the ESP) if they are separate partitions, or check how this "
            "host boots (`efibootmgr -v`, the hypervisor's settings)."
        )
    return finding(
        "boot.no-bootloader-config", Severity.UNKNOWN, title, ev, remedy, True, stage=Stage.ENTRY
    )


def ambiguous_findings(b: BootFacts) -> list[Finding]:
    ev = [
        f"{ld.kind}: {ld.config}, default {(entry_name(ld.default) if ld.default else 'none')}"
        for ld in b.loaders
    ]
    if all(entry_ok(ld.default) for ld in b.loaders):
        return [
            finding(
                "boot.several-bootloaders",
                Severity.INFO,
                (
                    "several bootloaders are configured; the default entry of each one has its "
                    "kernel and initrd"
                ),
                ev,
                "Remove the bootloader that is not used, so the next boot is not a guess.",
            )
        ]
    return [
        finding(
            "boot.bootloader-ambiguous",
            Severity.UNKNOWN,
            (
                "several bootloaders are configured and not all of their default entries are "
                "bootable: which one the firmware starts cannot be told"
            ),
            ev,
            (
                "Check `efibootmgr -v` (BootOrder) to see which bootloader starts, fix or remove "
                "the "
                "other."
            ),
            True,
            stage=Stage.ENTRY,
        )
    ]

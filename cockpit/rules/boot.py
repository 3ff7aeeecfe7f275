"""Boot rules: will the next boot find its kernel, initrd, root and mounts?

Blockers rest only on files the boot needs, checked directly: the default entry's kernel
and initrd as listed in the tree, its `root=` against a device list that was actually read,
fstab sources that must mount. Whatever could not be read is UNKNOWN, and boot-critical
when the verdict depends on it. Offline trees rarely carry /dev: fstab sources that cannot
be checked there are INFO ("not possible offline"), so a healthy disk image still reads
BOOTABLE; a captured /dev/disk/by-* list makes them checkable, and then a missing one
counts. The reboot-required rules live here because they compare the running kernel with
the default entry (not the newest kernel installed: the classic false alarm).
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.facts.boot import (
    EMPTY,
    MISSING,
    PRESENT,
    UNKNOWN,
    BootEntry,
    BootFacts,
    BootFile,
    Loader,
)
from cockpit.parsers.bootloaders import version_key
from cockpit.rules.finding import Finding, Severity

SUDO = (
    "Run cockpit with root rights (`sudo cockpit check`, "
    "or `sudo = true` for the host in the inventory)."
)


def _f(
    fid: str,
    sev: Severity,
    title: str,
    evidence: tuple[str, ...] | list[str],
    remedy: str,
    critical: bool = False,
    area: str = "boot",
) -> Finding:
    return Finding(fid, area, sev, title, tuple(evidence)[:12], remedy, boot_critical=critical)


def _entry_name(entry: BootEntry) -> str:
    return entry.menu_path or entry.title


def _file_problem(f: BootFile) -> str | None:
    if f.state == MISSING:
        return f"{f.written} does not exist (looked for {', '.join(f.tried)})"
    if f.state == EMPTY:
        return f"{f.found} is empty (zero bytes) or a dangling link"
    if f.state == UNKNOWN:
        return f"{f.written}: its directory could not be listed"
    return None


def _entry_ok(entry: BootEntry | None) -> bool:
    if entry is None or entry.kernel is None or entry.kernel.state != PRESENT:
        return False
    return all(i.state == PRESENT for i in entry.initrds)


def _regen_remedy(facts: HostFacts, what: str) -> str:
    fam = facts.host.family
    hints = {
        "deb": "`update-initramfs -u -k <release>` / reinstall `linux-image-<release>`, "
        "then `update-grub`",
        "rh": "`dnf reinstall kernel-core-<release>` (or `dracut -f --kver <release>`), "
        "then `grub2-mkconfig -o /boot/grub2/grub.cfg`",
        "arch": "`pacman -S linux` (reinstalls vmlinuz and runs mkinitcpio -P)",
        "alpine": "`apk fix linux-lts` (or `mkinitfs <release>`), then `update-extlinux`",
        "gentoo": "copy the kernel back (`make install` in /usr/src/linux) "
        "or fix the `kernel` line in grub.conf",
    }
    return (
        f"Do not reboot. Restore the {what}: "
        + hints.get(
            fam, "reinstall the kernel package and regenerate the initrd and bootloader config"
        )
        + "."
    )


def _config_findings(b: BootFacts, facts: HostFacts) -> list[Finding]:
    out: list[Finding] = []
    if b.unreadable:
        out.append(
            _f(
                "boot.config-unreadable",
                Severity.UNKNOWN,
                "boot configuration unreadable: the next boot cannot be judged",
                b.unreadable,
                SUDO,
                True,
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
    return _f("boot.no-bootloader-config", Severity.UNKNOWN, title, ev, remedy, True)


def _ambiguous(b: BootFacts) -> list[Finding]:
    ev = [
        f"{ld.kind}: {ld.config}, default {(_entry_name(ld.default) if ld.default else 'none')}"
        for ld in b.loaders
    ]
    if all(_entry_ok(ld.default) for ld in b.loaders):
        return [
            _f(
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
        _f(
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
        )
    ]


def _default_findings(ld: Loader, b: BootFacts, facts: HostFacts) -> list[Finding]:
    out: list[Finding] = []
    entry = ld.default
    how = list(ld.default_evidence)
    if entry is None:
        if not ld.entries:
            return [
                _f(
                    "boot.default-entry-missing",
                    Severity.BLOCKER,
                    f"{ld.config} has no boot entry: nothing to boot",
                    [f"{ld.config}: no entries", *how],
                    (
                        "Regenerate the bootloader config (`update-grub`, `grub2-mkconfig -o ...`, "
                        "`update-extlinux`) and check it lists a kernel."
                    ),
                )
            ]
        return [
            _f(
                "boot.default-entry-unknown",
                Severity.UNKNOWN,
                f"cannot tell which {ld.kind} entry boots next: {ld.default_how}",
                [f"{ld.config}: {len(ld.entries)} entries", *how],
                "Check the bootloader's default (`grub-editenv list`, `bootctl status`).",
                True,
            )
        ]
    if ld.default_missing:
        out.append(
            _f(
                "boot.default-entry-missing",
                Severity.WARNING,
                (
                    f"the default {ld.default_missing!r} names no entry: {ld.kind} falls back to "
                    f"{_entry_name(entry)!r}"
                ),
                [*how, *entry.evidence[:1]],
                (
                    "Set the default to an existing entry (`grub-set-default`, "
                    "`grub2-set-default`, "
                    f"`bootctl set-default`); entry {_entry_name(entry)!r} is what boots now."
                ),
            )
        )
    name = _entry_name(entry)
    chosen_how = f"default entry {name!r} ({ld.default_how})"
    if entry.kernel is None:
        out.append(
            _f(
                "boot.default-kernel-unknown",
                Severity.UNKNOWN,
                f"{chosen_how} loads no Linux kernel (chainloader or firmware entry?)",
                [*how, *entry.evidence],
                "Check the default entry in the bootloader config.",
                True,
            )
        )
        return out
    problem = _file_problem(entry.kernel)
    if entry.kernel.state in (MISSING, EMPTY):
        out.append(
            _f(
                "boot.default-kernel-missing",
                Severity.BLOCKER,
                (
                    "the default entry's kernel is "
                    f"{'missing' if entry.kernel.state == MISSING else 'empty'}: "
                    f"{entry.kernel.written}"
                ),
                [*entry.evidence, *how, problem or ""],
                _regen_remedy(facts, "kernel image"),
            )
        )
    elif entry.kernel.state == UNKNOWN:
        out.append(
            _f(
                "boot.default-files-unknown",
                Severity.UNKNOWN,
                f"could not check the default entry's kernel {entry.kernel.written}",
                [*entry.evidence, problem or ""],
                SUDO,
                True,
            )
        )
    for initrd in entry.initrds:
        problem = _file_problem(initrd)
        if initrd.state in (MISSING, EMPTY):
            out.append(
                _f(
                    "boot.default-initrd-missing",
                    Severity.BLOCKER,
                    (
                        "the default entry's initrd is "
                        f"{'missing' if initrd.state == MISSING else 'empty'}: {initrd.written}"
                    ),
                    [*entry.evidence, problem or ""],
                    _regen_remedy(facts, "initrd"),
                )
            )
        elif initrd.state == UNKNOWN:
            out.append(
                _f(
                    "boot.default-files-unknown",
                    Severity.UNKNOWN,
                    f"could not check the default entry's initrd {initrd.written}",
                    [*entry.evidence, problem or ""],
                    SUDO,
                    True,
                )
            )
    out.extend(_modules_findings(entry, b))
    out.extend(_root_findings(entry, b))
    return out


def _modules_findings(entry: BootEntry, b: BootFacts) -> list[Finding]:
    rel = entry.release
    if rel is None:
        return [
            _f(
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
        _f(
            "boot.modules-missing-for-default",
            sev,
            (
                f"no kernel modules for the default kernel {rel}: disks, network and filesystems "
                "built as modules will not load"
            ),
            ev,
            (
                f"Reinstall the kernel package for {rel} (or run `depmod {rel}` if only "
                "modules.dep "
                "is missing) before rebooting."
            ),
        )
    ]


def _root_findings(entry: BootEntry, b: BootFacts) -> list[Finding]:
    root = next(
        (w[len("root=") :] for w in (entry.cmdline or "").split() if w.startswith("root=")), None
    )
    if not root or "=" not in root:
        return []
    tag, _, value = root.partition("=")
    kind = tag.lower()
    names = b.device_list(kind)
    if kind not in ("uuid", "label", "partuuid", "partlabel") or names is None:
        return []
    if value in names or value.lower() in names or value.replace(" ", "\\x20") in names:
        return []
    return [
        _f(
            "boot.root-device-missing",
            Severity.BLOCKER,
            (
                f"the default entry's root={root} names no known device: the kernel will not find "
                "its "
                "root filesystem"
            ),
            [*entry.evidence[:3], f"/dev/disk/by-{kind}: " + ", ".join(names[:8])],
            (
                "Fix root= in the bootloader config (`blkid` shows the real UUIDs; "
                "/etc/default/grub "
                "then `update-grub`, or `grubby --update-kernel=ALL --args=root=...`)."
            ),
        )
    ]


def _newer_kernels(b: BootFacts, facts: HostFacts) -> list[Finding]:
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
                _f(
                    "boot.newer-kernel-without-initrd",
                    Severity.WARNING,
                    (
                        f"newer kernel {k.release} has {state}; not the default, so the next boot "
                        "is "
                        "not affected"
                    ),
                    [f"{k.path}: installed", f"default entry boots {entry.release}"],
                    _regen_remedy(facts, f"initrd of {k.release}").replace(
                        "Do not reboot. ", "Before making it the default: "
                    ),
                )
            )
        else:
            out.append(
                _f(
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


def _fstab_findings(b: BootFacts, facts: HostFacts) -> list[Finding]:
    out: list[Finding] = []
    if b.fstab_state not in ("ok", "absent", "missing"):
        out.append(
            _f(
                "boot.fstab-unreadable",
                Severity.UNKNOWN,
                f"/etc/fstab could not be read ({b.fstab_state})",
                [f"/etc/fstab: {b.fstab_state}"],
                SUDO,
                True,
            )
        )
    offline = facts.mode == "offline"
    unchecked: list[str] = []
    for e in b.fstab:
        state = e.state
        if state == MISSING and offline and e.kind == "dev":
            state = UNKNOWN  # an offline tree without that /dev node only means "not captured"
        if state == UNKNOWN and not e.noauto:
            why = e.why if e.state == UNKNOWN else f"no {e.source} captured in this tree"
            unchecked.append(f"{e.line}  [{why}]")
            continue
        if state != MISSING:
            continue
        if e.noauto:
            sev, note = Severity.INFO, "noauto: not mounted at boot"
        elif e.fstype == "swap" or e.mountpoint in ("swap", "none"):
            sev, note = Severity.WARNING, "swap: the boot goes on without it"
        elif e.nofail or e.automount:
            sev, note = Severity.WARNING, "nofail/automount: the boot goes on without it"
        elif e.kind == "path" and offline:
            sev, note = Severity.WARNING, "a path that may live on another filesystem"
        else:
            sev, note = Severity.BLOCKER, "no nofail: the boot stops in emergency mode"
        out.append(
            _f(
                "boot.fstab-source-missing",
                sev,
                f"fstab source {e.source} for {e.mountpoint} does not exist ({note})",
                [e.line, e.why],
                (
                    "Fix the source on that /etc/fstab line (`blkid` lists real UUIDs/labels), or "
                    "add `nofail` to its options, or comment it out; test with `mount -a`."
                ),
            )
        )
    if unchecked:
        why = "offline tree without a captured /dev" if offline else "no device list on this host"
        out.append(
            _f(
                "boot.fstab-sources-not-checked",
                Severity.INFO,
                f"{len(unchecked)} fstab source(s) could not be checked ({why})",
                unchecked,
                "Check by hand: `blkid` on the real host, or capture /dev/disk/by-* with the tree.",
            )
        )
    required_maps = {
        e.source.rsplit("/", 1)[-1]
        for e in b.fstab
        if e.source.startswith("/dev/mapper/") and not (e.nofail or e.noauto)
    }
    for c in b.crypttab:
        state = UNKNOWN if (c.state == MISSING and offline and c.kind == "dev") else c.state
        if state != MISSING:
            continue
        name = c.mountpoint.rsplit("/", 1)[-1]
        sev = (
            Severity.BLOCKER
            if name in required_maps and not (c.nofail or c.noauto)
            else Severity.WARNING
        )
        out.append(
            _f(
                "boot.crypttab-source-missing",
                sev,
                f"crypttab device {c.source} for {name} does not exist",
                [c.line, c.why],
                (
                    "Fix the device on that /etc/crypttab line (`blkid`), or add `nofail` to it "
                    "and "
                    "to the fstab line that mounts it."
                ),
            )
        )
    return out


def _reboot_findings(b: BootFacts, facts: HostFacts) -> list[Finding]:
    out: list[Finding] = []
    running = facts.host.kernel_release
    if not running:
        return out
    entry = b.default_entry
    if entry is not None and entry.release and entry.release != running and not b.ambiguous:
        out.append(
            _f(
                "reboots.kernel-update-pending",
                Severity.WARNING,
                (
                    f"reboot pending: the default boot entry boots {entry.release}, the running "
                    f"kernel is {running}"
                ),
                [
                    f"running kernel: {running}",
                    f"default entry {_entry_name(entry)!r}: {entry.release} ({entry.release_how})",
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
            _f(
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


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    b = facts.boot
    if b.issues:
        return [
            _f(
                "boot.parse-failed",
                Severity.UNKNOWN,
                "the boot facts could not be read",
                b.issues,
                "Report this with `cockpit check -v` output.",
                True,
            )
        ]
    if facts.host.container:
        return [
            _f(
                "boot.container",
                Severity.INFO,
                f"this is a {facts.host.container} container: its boot is the host's business",
                [f"/run/systemd/container: {facts.host.container}"],
                "",
            )
        ]
    out = _config_findings(b, facts)
    if b.loader is not None:
        if b.ambiguous:
            out.extend(_ambiguous(b))
        else:
            out.extend(_default_findings(b.loader, b, facts))
            out.extend(_newer_kernels(b, facts))
    out.extend(_fstab_findings(b, facts))
    out.extend(_reboot_findings(b, facts))
    return out

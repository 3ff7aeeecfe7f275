"""Provers for the first three stages: boot entry, kernel + initramfs, mounts.

A prover proves: it returns Proof only when the files it read show the stage will pass,
with the lines that show it. Whatever it cannot show is a Gap with the reason. The
findings elsewhere say what is *wrong*; a prover never needs them to be silent to fail:
that is what makes a failure mode no rule knows end as unknown.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.boot import PRESENT, BootEntry, FstabEntry
from cockpit.rules.boot.devices import resolve_source, same_filesystem
from cockpit.rules.boot.grub_files import grub_proof
from cockpit.rules.boot.kernel_findings import prove as prove_kernel_stage
from cockpit.rules.chain import cmdline as kcmd
from cockpit.rules.chain.model import Gap, Proof

#: Filesystems with no device behind them: nothing to find at boot.
VIRTUAL_FS = frozenset(
    {
        "proc",
        "sysfs",
        "tmpfs",
        "devtmpfs",
        "devpts",
        "cgroup",
        "cgroup2",
        "securityfs",
        "debugfs",
        "tracefs",
        "configfs",
        "efivarfs",
        "hugetlbfs",
        "mqueue",
        "pstore",
        "bpf",
        "fusectl",
        "binfmt_misc",
        "ramfs",
    }
)


def container_proof(facts: HostFacts) -> Proof | None:
    """A container has no loader, kernel or fstab mounts of its own: the host's boot is."""
    if not facts.host.container:
        return None
    return Proof(
        f"{facts.host.container} container: started by its host, no bootloader or kernel of "
        "its own",
        (f"/run/systemd/container: {facts.host.container}",),
    )


def _entry_name(entry: BootEntry) -> str:
    return entry.menu_path or entry.title


def prove_entry(facts: HostFacts) -> Proof | Gap:
    b = facts.boot
    if (proof := container_proof(facts)) is not None:
        return proof
    if b.issues:
        return Gap("the boot facts could not be read", b.issues)
    if b.unreadable:
        return Gap("boot configuration unreadable", b.unreadable)
    ld = b.loader
    if ld is None:
        return Gap("no bootloader configuration: what the next boot loads is not on this disk")
    if b.ambiguous:
        return Gap(f"several bootloaders are configured: {b.loader_choice}")
    entry = ld.default
    if entry is None:
        return Gap(f"no default {ld.kind} entry could be told ({ld.default_how})")
    name = _entry_name(entry)
    ev = [f"{ld.kind} {ld.config}: default entry {name!r} ({ld.default_how})"]
    if entry.kernel is None:
        return Gap(f"default entry {name!r} loads no Linux kernel", tuple(ev))
    if entry.kernel.state != PRESENT:
        return Gap(f"default kernel {entry.kernel.written}: {entry.kernel.state}", tuple(ev))
    image = b.kernel_image(entry.kernel.found)
    where = entry.kernel.found or entry.kernel.written
    if image is None or image.complete is None:
        why = "not checked" if image is None else f"{image.format} image, {image.state}"
        return Gap(f"kernel {where}: whether the file is whole cannot be told ({why})", tuple(ev))
    if not image.complete:
        return Gap(f"kernel {where} is shorter than its header says", tuple(ev))
    ev.append(f"kernel {where}: {image.size} bytes, whole ({image.format} header: {image.needed})")
    for initrd in entry.initrds:
        if initrd.state != PRESENT:
            return Gap(f"default initrd {initrd.written}: {initrd.state}", tuple(ev))
        ev.append(f"initrd {initrd.found or initrd.written}: present, not empty")
    if entry.cmdline is None:
        return Gap(f"default entry {name!r} has no command line that could be read", tuple(ev))
    loader_files = grub_proof(b)
    if loader_files is None:
        return Gap(
            f"{ld.kind}: its own files (BIOS modules in /boot/grub/i386-pc, or an EFI image on "
            "the ESP) were not found",
            tuple(ev),
        )
    ev.append(loader_files)
    ev.append(f"command line: {entry.cmdline}")
    files = (
        "its kernel and initrd are there" if entry.initrds else "its kernel is there (no initrd)"
    )
    return Proof(f"{ld.kind} boots {name!r}: {files}", tuple(ev))


def root_spec(entry: BootEntry | None) -> str | None:
    if entry is None or entry.cmdline is None:
        return None
    return kcmd.value(entry.cmdline, "root")


def source_found(facts: HostFacts, source: str) -> tuple[bool | None, str]:
    """Is the block device `source` (UUID=, LABEL=, /dev/...) known to exist?

    True/False only against a device list that was read (live /dev/disk, a captured one,
    or the viewer's devices behind a mounted root); None when nothing could tell.
    """
    res = resolve_source(facts, source)
    return res.found, res.how


def prove_kernel(facts: HostFacts) -> Proof | Gap:
    """Can the kernel and initramfs find and mount root? (rules/boot/kernel_stage.py)"""
    if (proof := container_proof(facts)) is not None:
        return proof
    return prove_kernel_stage(facts)


def required_mounts(facts: HostFacts) -> list[FstabEntry]:
    """The fstab lines the boot waits for: not noauto/nofail/automount, not swap, not
    network (remote-fs failures do not stop a local boot), not virtual filesystems, and
    under systemd not `/` (root comes from root=: the boot oracle saw a bad fstab `/`
    boot to login with root read-only)."""
    out = []
    for e in facts.boot.fstab:
        if e.noauto or e.nofail or e.automount:
            continue
        if e.fstype == "swap" or e.mountpoint in ("swap", "none"):
            continue
        if e.kind == "network" or e.fstype in VIRTUAL_FS:
            continue
        if e.mountpoint == "/" and facts.init.boot_family == "systemd":
            continue  # root is mounted from root=; systemd only remounts it (see mounts.py)
        if facts.init.boot_family == "sysvinit" and not e.waited_for_by_sysvinit():
            continue  # mountall.sh fails it and goes on (facts.boot.FstabEntry)
        out.append(e)
    return out


def prove_mounts(facts: HostFacts) -> Proof | Gap:
    b = facts.boot
    if (proof := container_proof(facts)) is not None:
        return proof
    if b.fstab_state == "absent":
        return Gap("no /etc/fstab: root stays as the kernel mounted it (read-only with `ro`)")
    if b.fstab_state != "ok":
        return Gap(f"/etc/fstab could not be read ({b.fstab_state})")
    ev: list[str] = []
    for e in required_mounts(facts):
        found, how = source_found(facts, e.source)
        if found is not True:
            return Gap(
                f"fstab source {e.source} for {e.mountpoint} cannot be shown to exist",
                (e.line, how),
            )
        ev.append(f"{e.mountpoint}: {how}")
    root = root_spec(b.default_entry)
    fs_root = next((e for e in b.fstab if e.mountpoint == "/"), None)
    checks_root = facts.init.boot_family != "systemd"  # sysvinit's checkroot.sh, OpenRC's root
    if root and fs_root and checks_root and not _same_filesystem(facts, root, fs_root.source):
        return Gap(
            f"the kernel mounts root={root} but /etc/fstab names {fs_root.source} for /",
            (fs_root.line,),
        )
    if not ev:
        ev.append("/etc/fstab: no mount the boot waits for")
    return Proof("every mount the boot waits for has its source", tuple(ev))


def _same_filesystem(facts: HostFacts, a: str, b: str) -> bool:
    """Do two source specs name one filesystem? Equal specs do; otherwise a device list
    that maps both to one kernel device (root=/dev/vda1 and UUID=... -> vda1)."""
    return same_filesystem(facts, a, b) is True

"""Provers for the first three stages: boot entry, kernel + initramfs, mounts.

A prover proves: it returns Proof only when the files it read show the stage will pass,
with the lines that show it. Whatever it cannot show is a Gap with the reason. The
findings elsewhere say what is *wrong*; a prover never needs them to be silent to fail:
that is what makes a failure mode no rule knows end as unknown.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.boot import PRESENT, BootEntry, FstabEntry
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
    b = facts.boot
    tag, eq, val = source.partition("=")
    if eq and tag.upper() in ("UUID", "LABEL", "PARTUUID", "PARTLABEL"):
        kind = tag.lower()
        val = val.strip("\"'")
        names = b.device_list(kind)
        if names is None:
            return None, f"no /dev/disk/by-{kind} list to check {source} against"
        wanted = {val, val.lower(), val.replace(" ", "\\x20").replace("/", "\\x2f")}
        if wanted & set(names):
            return True, f"/dev/disk/by-{kind}/{val}: present"
        return False, f"/dev/disk/by-{kind}: {', '.join(names[:6]) or '(empty)'}"
    if source.startswith("/dev/"):
        name = source.rsplit("/", 1)[-1]
        if name in b.device_targets:
            return True, f"{source}: a captured /dev/disk link points at it"
        return None, f"{source}: no device list names it"
    return None, f"{source}: not a device name cockpit can check"


def prove_kernel(facts: HostFacts) -> Proof | Gap:
    """Can the kernel and initramfs find and mount root?"""
    if (proof := container_proof(facts)) is not None:
        return proof
    entry = facts.boot.default_entry
    if entry is None or entry.cmdline is None:
        return Gap("no default entry: the kernel and its command line are unknown")
    root = root_spec(entry)
    if not root:
        return Gap("the default entry's command line has no root=")
    found, how = source_found(facts, root)
    if found is not True:
        return Gap(f"root={root} cannot be shown to exist", (how,))
    ev = [f"root={root}: {how}"]
    initramfs = _initramfs_proof(facts, entry)
    if isinstance(initramfs, Gap):
        return Gap(initramfs.reason, (*ev, *initramfs.evidence))
    return Proof("the kernel can find and mount root", (*ev, *initramfs.evidence))


def _initramfs_proof(facts: HostFacts, entry: BootEntry) -> Proof | Gap:
    """The root device's driver and root filesystem's module are in the initramfs."""
    del facts
    if not entry.initrds:
        return Gap(
            "no initramfs: whether the kernel has its disk and root fs drivers built in "
            "was not checked"
        )
    return Gap(
        "the initramfs' contents were not read: the root device's driver and root "
        "filesystem module are not proven"
    )


def required_mounts(facts: HostFacts) -> list[FstabEntry]:
    """The fstab lines the boot waits for: not noauto/nofail/automount, not swap, not
    network (remote-fs failures do not stop a local boot), not virtual filesystems."""
    out = []
    for e in facts.boot.fstab:
        if e.noauto or e.nofail or e.automount:
            continue
        if e.fstype == "swap" or e.mountpoint in ("swap", "none"):
            continue
        if e.kind == "network" or e.fstype in VIRTUAL_FS:
            continue
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
    if root and fs_root is not None and not _same_filesystem(facts, root, fs_root.source):
        return Gap(
            f"the kernel mounts root={root} but /etc/fstab names {fs_root.source} for /",
            (fs_root.line,),
        )
    if not ev:
        ev.append("/etc/fstab: no mount the boot waits for")
    return Proof("every mount the boot waits for has its source", tuple(ev))


def _same_filesystem(facts: HostFacts, a: str, b: str) -> bool:
    """Do two source specs name one filesystem? Equal specs do; otherwise only a device
    list that maps both to one device could tell, and none carries that mapping yet."""
    del facts
    norm = {a.strip("\"'"), b.strip("\"'")}
    return len({s.upper() if s.upper().startswith("UUID=") else s for s in norm}) == 1

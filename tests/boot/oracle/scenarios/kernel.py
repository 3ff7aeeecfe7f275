"""Kernel + initramfs: can the initramfs find and mount root (and a separate /usr)?

Direct boots (-kernel/-initrd from grub.cfg's default entry): what is tested is the
initramfs's content and the root/usr devices, not how GRUB loads them.
"""

from __future__ import annotations

from tests.boot.oracle.layout import USR_UUID
from tests.boot.oracle.scenario import Scenario
from tests.boot.oracle.scenarios.edits import append, initramfs, truncate

K = "kernel"
USR_LINE = f"UUID={USR_UUID} /usr ext4 defaults 0 2\n"

SCENARIOS = [
    Scenario(
        "initramfs-no-virtio-blk",
        K,
        "systemd",
        (initramfs("list", "ext4\n"),),
        "initramfs-shell",
        "ALERT!  UUID=2b7a9c3e-51d4-4f0e-8a6b-93c1d2e4f5a6 does not exist.  Dropping to a shell!",
        doc="MODULES=list with only ext4: no driver for the virtio disk in the initramfs.",
    ),
    Scenario(
        "initramfs-no-ext4",
        K,
        "systemd",
        (initramfs("list", "virtio_pci\nvirtio_blk\n"),),
        "initramfs-shell",
        "Failed to mount /dev/vda1 as root file system.",
        doc="MODULES=list with the disk driver but no ext4 module.",
    ),
    Scenario(
        "initramfs-list-complete",
        K,
        "systemd",
        (initramfs("list", "virtio_pci\nvirtio_blk\next4\n"),),
        "booted",
        "vm login:",
        doc="A slimmed initramfs that has what this root needs: must stay bootable.",
    ),
    Scenario(
        "initrd-truncated",
        K,
        "systemd",
        (truncate("boot/initrd.img-*", 0.5),),
        "initramfs-shell",
        "ALERT!  UUID=2b7a9c3e-51d4-4f0e-8a6b-93c1d2e4f5a6 does not exist.  Dropping to a shell!",
        doc="The initrd cut in half (a full /boot during update-initramfs). SURPRISE: no "
        "kernel panic; the kernel unpacks what it can, initramfs-tools' /init runs without "
        "its modules and blkid ('/init: 434: /init: blkid: not found'), cannot find the root "
        "and drops to its shell.",
    ),
    Scenario(
        "usr-split-ok",
        K,
        "systemd",
        (append("etc/fstab", USR_LINE),),
        "booted",
        "vm login:",
        layout="usr",
        doc="/usr on its own partition, in fstab: the initramfs mounts it.",
    ),
    Scenario(
        "usr-split-not-in-fstab",
        K,
        "systemd",
        (),
        "initramfs-shell",
        "No init found. Try passing init= bootarg.",
        layout="usr",
        doc="/usr on its own partition, missing from fstab: the initramfs cannot know. "
        "run-init finds no /sbin/init (merged /usr: it lives in /usr) and gives up.",
        deciding_fact_off_disk="the tree is the disk's filesystems mounted in place (/usr populated); "
        "that /usr is a separate partition shows only in the captured device list "
        "(USR_UUID -> vda2), not which mount point it holds",
    ),
]

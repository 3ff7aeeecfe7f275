"""Kernel + initramfs: can it find and mount root (issue 11: `root=` resolvable, the root
device's driver in the initramfs, a separate /usr)?

Direct boots (-kernel/-initrd/-append from grub.cfg's default entry): what is tested is
the command line's root=, the initramfs's content and the root and /usr devices, not how
GRUB loads them. The entry-root-* scenarios keep the names they had when they were
filed under the entry stage; what they break is root=, which the kernel stage resolves.

initramfs-tools waits for a missing root device for max(30 s, rootdelay=) (scripts/local,
local_device_setup): a minimum no command line shortens, so those boots cost ~30 s more.
"""

from __future__ import annotations

from tests.boot.oracle.layout import USR_UUID
from tests.boot.oracle.scenario import Break, Scenario
from tests.boot.oracle.scenarios.edits import (
    append,
    apt_install,
    device_links,
    grub_default,
    initramfs,
    rm,
    sub,
    truncate,
    update_grub,
)
from tests.real.build import ROOT_UUID

K = "kernel"
USR_LINE = f"UUID={USR_UUID} /usr ext4 defaults 0 2\n"
OTHER_UUID = ROOT_UUID[:-1] + "7"  # a one-character typo of the root's UUID

PARTUUID = "6c3b1a2e-01"  # tests/real/disk.DISK_ID, partition 1


def cloud_kernel_alone(*cmdline: str) -> tuple[Break, ...]:
    """Debian's cloud kernel (NVMe and ext4 built in), installed beside the stock one and
    booted WITHOUT an initramfs: its initrd removed, so 10_linux writes its entry with no
    initrd line and root=PARTUUID= (GRUB_DISABLE_LINUX_PARTUUID=false: a kernel alone
    resolves PARTUUID=, not UUID=). It sorts first, so it is the default entry. The disk
    is NVMe (the scenario's disk="nvme"), and the captured device list says so."""
    words = '"console=tty0 console=ttyS0,115200n8 ' + " ".join(cmdline) + '"'
    return (
        apt_install("linux-image-cloud-amd64"),
        rm("boot/initrd.img-*-cloud-amd64"),
        grub_default("GRUB_DISABLE_LINUX_PARTUUID", "false"),
        grub_default("GRUB_CMDLINE_LINUX", words),
        update_grub(),
        device_links(
            (
                (f"by-uuid/{ROOT_UUID}", "../../nvme0n1p1"),
                (f"by-partuuid/{PARTUUID}", "../../nvme0n1p1"),
            )
        ),
    )


SCENARIOS = [
    Scenario(
        "entry-root-uuid-typo",
        K,
        "systemd",
        (sub("boot/grub/grub.cfg", f"root=UUID={ROOT_UUID}", f"root=UUID={OTHER_UUID}"),),
        "initramfs-shell",
        "ALERT!  UUID=2b7a9c3e-51d4-4f0e-8a6b-93c1d2e4f5a7 does not exist.  Dropping to a shell!",
        doc="grub.cfg hand-edited: the default entry's root= UUID has a typo.",
    ),
    Scenario(
        "entry-root-wrong-device",
        K,
        "systemd",
        (sub("boot/grub/grub.cfg", f"root=UUID={ROOT_UUID}", "root=/dev/sda1"),),
        "initramfs-shell",
        "ALERT!  /dev/sda1 does not exist.  Dropping to a shell!",
        doc="root=/dev/sda1 on a virtio disk (the disk is /dev/vda).",
    ),
    Scenario(
        "entry-root-by-name-ok",
        K,
        "systemd",
        (grub_default("GRUB_DISABLE_LINUX_UUID", "true"), update_grub()),
        "booted",
        "vm login:",
        doc="root=/dev/vda1 by name, which exists: must stay bootable.",
    ),
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
        "kernel-builtin-no-initrd-ok",
        K,
        "systemd",
        cloud_kernel_alone(),
        "booted",
        "vm login:",
        disk="nvme",
        doc="A kernel that needs no initramfs (Debian's cloud kernel: nvme and ext4 built "
        "in) booted alone on an NVMe disk: must stay bootable.",
    ),
    Scenario(
        "kernel-no-initrd-modular",
        K,
        "systemd",
        (rm("boot/initrd.img-*"), update_grub()),
        "kernel-panic",
        "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)",
        doc="The stock kernel's initrd removed and update-grub run: its entry has no initrd "
        "line, and this kernel has virtio_blk and ext4 as modules only.",
    ),
]

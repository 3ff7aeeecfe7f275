"""What the kernel needs to reach root: drivers by device name, modules by filesystem.

Static knowledge, shared by the probe (which kernel config symbols to read), the parser
and the kernel-stage rules. Module names are the kernel's (`_`, never `-`: the file
`xen-blkfront.ko` is module `xen_blkfront`).

A requirement is a tuple of alternatives groups: every group must be met by at least one
of its modules (built in or in the initramfs). `virtio_blk` needs a virtio transport too,
PCI on a PC, MMIO on a board: `(("virtio_blk",), ("virtio_pci", "virtio_mmio"))`.
"""

from __future__ import annotations

import re

Requirement = tuple[tuple[str, ...], ...]

#: Host bus adapters a SCSI-class disk (sd*) may sit behind. Which one this machine has
#: is hardware, not on the disk: any one present is what the evidence says it is.
HBA_DRIVERS = (
    "ahci",
    "ata_piix",
    "ata_generic",
    "pata_acpi",
    "virtio_scsi",
    "hv_storvsc",
    "vmw_pvscsi",
    "mptspi",
    "mptsas",
    "mpt3sas",
    "megaraid_sas",
    "aacraid",
    "hpsa",
    "smartpqi",
    "xen_scsifront",
    "usb_storage",
    "uas",
    "qla2xxx",
    "lpfc",
    "sym53c8xx",
    "BusLogic",
)

#: Kernel device name -> (driver requirement, what it is). First match wins.
DEVICE_DRIVERS: tuple[tuple[re.Pattern[str], Requirement, str], ...] = (
    (re.compile(r"vd[a-z]+\d*$"), (("virtio_blk",), ("virtio_pci", "virtio_mmio")), "virtio disk"),
    (re.compile(r"nvme\d+n\d+(p\d+)?$"), (("nvme",),), "NVMe disk"),
    (re.compile(r"xvd[a-z]+\d*$"), (("xen_blkfront",),), "Xen virtual disk"),
    (re.compile(r"mmcblk\d+(p\d+)?$"), (("mmc_block",),), "MMC/SD card"),
    (re.compile(r"sd[a-z]+\d*$"), (("sd_mod",), HBA_DRIVERS), "SCSI/SATA disk"),
    (re.compile(r"hd[a-z]\d*$"), (("ide_gd_mod", "ide_disk"),), "IDE disk (legacy driver)"),
)

#: Device names whose driver chain cockpit does not model (stacked or special devices).
UNMODELLED = re.compile(
    r"(dm-\d+|md\d+(p\d+)?|mapper/.*|loop\d+(p\d+)?|nbd\d+.*|zd\d+.*|rbd\d+.*)$"
)

#: The disk drivers a generic initramfs (initramfs-tools MODULES=most, dracut without
#: hostonly, mkinitcpio's fallback image) always carries: with all of them any common
#: disk is reachable, whatever its name turns out to be at boot.
GENERIC_DISK_SET = ("sd_mod", "ahci", "virtio_blk", "virtio_scsi", "nvme")

#: Filesystem type (fstab / rootfstype=) -> requirement.
FS_MODULES: dict[str, Requirement] = {
    "ext4": (("ext4",),),
    "ext3": (("ext4", "ext3"),),
    "ext2": (("ext4", "ext2"),),
    "xfs": (("xfs",),),
    "btrfs": (("btrfs",),),
    "vfat": (("vfat",),),
    "f2fs": (("f2fs",),),
    "jfs": (("jfs",),),
    "reiserfs": (("reiserfs",),),
    "nilfs2": (("nilfs2",),),
    "zfs": (("zfs",),),
    "bcachefs": (("bcachefs",),),
}

#: Module -> its Kconfig symbol, for kernels whose modules.builtin is not there (old or
#: custom kernels): `CONFIG_X=y` means built in. Also what the probe greps /boot/config-*.
CONFIG_SYMBOLS: dict[str, str] = {
    "virtio_blk": "VIRTIO_BLK",
    "virtio_pci": "VIRTIO_PCI",
    "virtio_mmio": "VIRTIO_MMIO",
    "virtio_scsi": "SCSI_VIRTIO",
    "nvme": "BLK_DEV_NVME",
    "xen_blkfront": "XEN_BLKDEV_FRONTEND",
    "mmc_block": "MMC_BLOCK",
    "sd_mod": "BLK_DEV_SD",
    "ahci": "SATA_AHCI",
    "ata_piix": "ATA_PIIX",
    "ata_generic": "ATA_GENERIC",
    "pata_acpi": "PATA_ACPI",
    "hv_storvsc": "HYPERV_STORAGE",
    "vmw_pvscsi": "VMWARE_PVSCSI",
    "mptspi": "FUSION_SPI",
    "mptsas": "FUSION_SAS",
    "mpt3sas": "SCSI_MPT3SAS",
    "megaraid_sas": "MEGARAID_SAS",
    "usb_storage": "USB_STORAGE",
    "ide_gd_mod": "IDE_GD",
    "ide_disk": "BLK_DEV_IDEDISK",
    "ext4": "EXT4_FS",
    "ext3": "EXT3_FS",
    "ext2": "EXT2_FS",
    "xfs": "XFS_FS",
    "btrfs": "BTRFS_FS",
    "vfat": "VFAT_FS",
    "f2fs": "F2FS_FS",
    "jfs": "JFS_FS",
    "reiserfs": "REISERFS_FS",
    "nilfs2": "NILFS2_FS",
}

#: Symbols read besides the modules' own: can the kernel load modules / an initramfs at
#: all, and does ext4 serve ext2/ext3.
EXTRA_SYMBOLS = ("MODULES", "BLK_DEV_INITRD", "EXT4_USE_FOR_EXT2", "DEVTMPFS")


def module_name(filename: str) -> str:
    """`xen-blkfront.ko.zst` or `xen-blkfront` -> `xen_blkfront`."""
    name = filename.rsplit("/", 1)[-1]
    name = re.sub(r"\.ko(\.(xz|zst|gz))?$", "", name)
    return name.replace("-", "_")


def device_requirement(kname: str) -> tuple[Requirement, str] | None:
    """The drivers a device of this kernel name needs, or None if not modelled."""
    for pattern, req, what in DEVICE_DRIVERS:
        if pattern.match(kname):
            return req, what
    return None


def config_grep() -> str:
    """The ERE the probe greps kernel configs with (only symbols cockpit reads)."""
    symbols = sorted({*CONFIG_SYMBOLS.values(), *EXTRA_SYMBOLS})
    alt = "|".join(symbols)
    return f"^(CONFIG_({alt})=|# CONFIG_({alt}) is not set)"

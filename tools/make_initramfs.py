"""Write small but real initramfs images: newc cpio archives, compressed as hosts do.

The sample trees (sample_hosts/) need an initramfs the kernel stage can read like a real
one: a newc archive whose module paths are where each generator puts them
(`usr/lib/modules/<release>/kernel/...ko[.xz|.zst|.gz]`), with the generator's own marker
files (initramfs-tools' conf/initramfs.conf, dracut's usr/lib/dracut/, mkinitcpio's
init_functions, Alpine's nlplug-findfs), compressed as that distribution does, behind an
uncompressed early microcode archive where the distribution adds one. File contents are
one line naming what the file stands for: the layout is real, the bytes are not.

Reproducible: every header has mtime 0 and inodes in order; gzip is written with mtime 0;
xz, bzip2 come from Python's own modules, zstd and lz4 from their command-line tools with
fixed levels. Run from the repository root:

    python3 tools/make_initramfs.py            # rewrite every sample tree's images
    python3 tools/make_initramfs.py --check    # fail if an image differs from its recipe
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import lzma
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_hosts"

Entry = tuple[str, int, bytes]  # name, mode, data

_DIR, _FILE, _EXE = 0o040755, 0o100644, 0o100755


def newc(entries: Iterable[Entry]) -> bytes:
    """A newc ("070701") archive of `entries`, directories created as needed, TRAILER!!!
    last, padded to 512 bytes as cpio does."""
    out = bytearray()
    ino = 0
    seen: set[str] = set()

    def one(name: str, mode: int, data: bytes) -> None:
        nonlocal ino
        ino += 1
        nlink = 2 if mode == _DIR else 1
        fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0)
        out.extend(b"070701" + b"".join(b"%08X" % f for f in fields))
        out.extend(name.encode() + b"\0")
        out.extend(b"\0" * (-len(out) % 4))
        out.extend(data)
        out.extend(b"\0" * (-len(out) % 4))

    for name, mode, data in entries:
        parts = name.split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i])
            if parent not in seen:
                seen.add(parent)
                one(parent, _DIR, b"")
        if name not in seen:
            seen.add(name)
            one(name, mode, data)
    one("TRAILER!!!", 0, b"")
    out.extend(b"\0" * (-len(out) % 512))
    return bytes(out)


def compress(data: bytes, fmt: str) -> bytes:
    if fmt == "none":
        return data
    if fmt == "gzip":
        return gzip.compress(data, compresslevel=9, mtime=0)
    if fmt == "xz":
        return lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32)
    if fmt == "bzip2":
        return bz2.compress(data, 9)
    tool = {"zstd": ["zstd", "-q", "-19", "-c"], "lz4": ["lz4", "-q", "-l", "-9", "-c"]}[fmt]
    return subprocess.run(tool, input=data, capture_output=True, check=True).stdout


def _stub(what: str) -> bytes:
    return f"cockpit sample initramfs: stands for {what}\n".encode()


#: Module name -> its path under kernel/ (as the kernel tree lays them out).
MODULE_PATHS = {
    "virtio_blk": "drivers/block/virtio_blk",
    "virtio_pci": "drivers/virtio/virtio_pci",
    "virtio_ring": "drivers/virtio/virtio_ring",
    "virtio": "drivers/virtio/virtio",
    "virtio_scsi": "drivers/scsi/virtio_scsi",
    "sd_mod": "drivers/scsi/sd_mod",
    "scsi_mod": "drivers/scsi/scsi_mod",
    "ahci": "drivers/ata/ahci",
    "libahci": "drivers/ata/libahci",
    "libata": "drivers/ata/libata",
    "nvme": "drivers/nvme/host/nvme",
    "nvme_core": "drivers/nvme/host/nvme-core",
    "xen_blkfront": "drivers/block/xen-blkfront",
    "usb_storage": "drivers/usb/storage/usb-storage",
    "ext4": "fs/ext4/ext4",
    "jbd2": "fs/jbd2/jbd2",
    "mbcache": "fs/mbcache",
    "crc16": "lib/crc16",
    "btrfs": "fs/btrfs/btrfs",
    "xfs": "fs/xfs/xfs",
    "xor": "crypto/xor",
    "raid6_pq": "lib/raid6/raid6_pq",
    "vfat": "fs/fat/vfat",
    "fat": "fs/fat/fat",
}

#: What MODULES=most (and a dracut/mkinitcpio image on a VM) carries for disks.
DISKS = ("virtio_blk", "virtio_pci", "virtio_ring", "virtio", "virtio_scsi", "sd_mod",
         "scsi_mod", "ahci", "libahci", "libata", "nvme", "nvme_core", "xen_blkfront")  # fmt: skip
EXT4 = ("ext4", "jbd2", "mbcache", "crc16")

#: Each generator's own files (the markers cockpit tells it by), and where modules go.
LAYOUTS: dict[str, tuple[tuple[str, int], ...]] = {
    "initramfs-tools": (
        ("init", _EXE),
        ("conf/initramfs.conf", _FILE),
        ("conf/arch.conf", _FILE),
        ("scripts/functions", _FILE),
        ("scripts/local", _FILE),
        ("scripts/init-top/udev", _EXE),
        ("scripts/init-bottom/udev", _EXE),
        ("usr/bin/run-init", _EXE),
        ("usr/bin/udevadm", _EXE),
        ("usr/bin/busybox", _EXE),
    ),
    "dracut": (
        ("init", _EXE),
        ("etc/initrd-release", _FILE),
        ("usr/lib/initrd-release", _FILE),
        ("usr/lib/dracut/modules.txt", _FILE),
        ("usr/lib/dracut/build-parameter.txt", _FILE),
        ("usr/lib/dracut/dracut-102-3.fc40", _FILE),
        ("usr/lib/systemd/systemd", _EXE),
        ("usr/bin/udevadm", _EXE),
    ),
    "mkinitcpio": (
        ("init", _EXE),
        ("init_functions", _FILE),
        ("config", _FILE),
        ("buildconfig", _FILE),
        ("hooks/udev", _FILE),
        ("usr/bin/busybox", _EXE),
        ("usr/bin/udevadm", _EXE),
        ("usr/bin/switch_root", _EXE),
    ),
    "mkinitfs": (
        ("init", _EXE),
        ("sbin/nlplug-findfs", _EXE),
        ("bin/busybox", _EXE),
        ("etc/mdev.conf", _FILE),
    ),
}


@dataclass(frozen=True)
class Image:
    """One initramfs file of a sample tree."""

    tree: str
    path: str  # inside the tree
    generator: str
    release: str
    modules: tuple[str, ...]
    compression: str
    module_ext: str = ".ko"  # .ko.xz (Fedora), .ko.zst (Arch), .ko.gz (Alpine)
    modules_dir: str = "usr/lib/modules"
    early_microcode: bool = False

    def entries(self) -> list[Entry]:
        out: list[Entry] = [
            (p, m, _stub(f"{self.generator}'s {p}")) for p, m in LAYOUTS[self.generator]
        ]
        base = f"{self.modules_dir}/{self.release}"
        for mod in self.modules:
            rel = MODULE_PATHS[mod]
            out.append((f"{base}/kernel/{rel}{self.module_ext}", _FILE, _stub(f"{mod}.ko")))
        for extra in ("modules.dep", "modules.order", "modules.builtin"):
            out.append((f"{base}/{extra}", _FILE, _stub(extra)))
        return out

    def build(self) -> bytes:
        main = compress(newc(sorted(self.entries())), self.compression)
        if not self.early_microcode:
            return main
        early = newc([("kernel/x86/microcode/AuthenticAMD.bin", _FILE, _stub("AMD microcode"))])
        return early + main


D12 = "6.1.0-18-amd64"
IMAGES: tuple[Image, ...] = (
    Image("debian12-systemd", f"boot/initrd.img-{D12}", "initramfs-tools", D12,
          DISKS + EXT4, "gzip"),
    Image("debian12-fstab-missing-uuid", f"boot/initrd.img-{D12}", "initramfs-tools", D12,
          DISKS + EXT4, "gzip"),
    Image("debian12-sysvinit", f"boot/initrd.img-{D12}", "initramfs-tools", D12,
          DISKS + EXT4, "gzip"),
    Image("debian12-sysvinit", "boot/initrd.img-6.1.0-21-amd64", "initramfs-tools",
          "6.1.0-21-amd64", DISKS + EXT4, "gzip"),
    Image("ubuntu2204-dpkg-interrupted", "boot/initrd.img-5.15.0-100-generic", "initramfs-tools",
          "5.15.0-100-generic", DISKS + EXT4, "zstd", early_microcode=True),
    Image("fedora40-bls-reboot-scheduled", "boot/initramfs-6.9.7-200.fc40.x86_64.img", "dracut",
          "6.9.7-200.fc40.x86_64", ("virtio_blk", "virtio_pci", "virtio_scsi", "btrfs", "xor",
          "raid6_pq", "vfat", "fat"), "zstd", ".ko.xz", early_microcode=True),
    Image("fedora40-bls-reboot-scheduled", "boot/initramfs-6.8.5-301.fc40.x86_64.img", "dracut",
          "6.8.5-301.fc40.x86_64", ("virtio_blk", "virtio_pci", "virtio_scsi", "btrfs", "xor",
          "raid6_pq", "vfat", "fat"), "zstd", ".ko.xz", early_microcode=True),
    Image("arch-modules-removed", "boot/initramfs-linux.img", "mkinitcpio", "6.10.2-arch1-1",
          ("virtio_blk", "virtio_pci", "virtio_scsi", "sd_mod", "ahci", "nvme", *EXT4), "zstd",
          ".ko.zst"),
    Image("arch-modules-removed", "boot/initramfs-linux-fallback.img", "mkinitcpio",
          "6.10.2-arch1-1", DISKS + EXT4, "zstd", ".ko.zst"),
    Image("alpine320-openrc", "boot/initramfs-lts", "mkinitfs", "6.6.31-0-lts",
          ("virtio_blk", "virtio_pci", "sd_mod", "usb_storage", *EXT4), "gzip", ".ko.gz",
          modules_dir="lib/modules"),
    # Void's dracut hook (hostonly off): the generic disk set, its gzip default
    Image("families/void-runit-kernel-unpacked", "boot/initramfs-6.6.52_1.img", "dracut",
          "6.6.52_1", DISKS + EXT4 + ("vfat", "fat"), "gzip"),
)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    bad = 0
    for img in IMAGES:
        target = SAMPLES / img.tree / img.path
        data = img.build()
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                print(f"differs: {target.relative_to(REPO)}")
                bad += 1
            continue
        target.write_bytes(data)
        print(f"wrote {target.relative_to(REPO)} ({len(data)} bytes, {img.compression})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

"""Small roots with a loader config naming real (tiny) initramfs images, for the tests."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support import REPO

sys.path.insert(0, str(REPO / "tools"))
import make_initramfs as mk

REL = "6.1.0-18-amd64"
UUID = "2b7a9c3e-51d4-4f0e-8a6b-93c1d2e4f5a6"


def image(
    modules: tuple[str, ...] = ("virtio_blk", "virtio_pci", "ext4"),
    compression: str = "gzip",
    early: bool = False,
    generator: str = "initramfs-tools",
    release: str = REL,
    ext: str = ".ko",
) -> bytes:
    return mk.Image(
        "t", "x", generator, release, modules, compression, ext, early_microcode=early
    ).build()


def debian_root(
    root: Path,
    initrd: bytes | None,
    cmdline: str = f"root=UUID={UUID} ro quiet",
    fstab: str = f"UUID={UUID} / ext4 errors=remount-ro 0 1\n",
    links: dict[str, str] | None = None,
    release: str = REL,
) -> Path:
    """A GRUB 2 Debian-like root whose one entry loads `initrd` (None: no initrd line)."""
    boot = root / "boot"
    (boot / "grub").mkdir(parents=True, exist_ok=True)
    (boot / f"vmlinuz-{release}").write_bytes(b"kernel\n")
    lines = ["menuentry 'Debian' {", f"\tlinux /boot/vmlinuz-{release} {cmdline}"]
    if initrd is not None:
        (boot / f"initrd.img-{release}").write_bytes(initrd)
        lines.append(f"\tinitrd /boot/initrd.img-{release}")
    lines.append("}")
    (boot / "grub/grub.cfg").write_text('set default="0"\n' + "\n".join(lines) + "\n")
    mods = root / "usr/lib/modules" / release
    mods.mkdir(parents=True, exist_ok=True)
    (mods / "modules.dep").write_text("kernel/fs/ext4/ext4.ko:\n")
    (mods / "modules.builtin").write_text("kernel/drivers/block/loop.ko\n")
    for name in ("lib", "bin", "sbin"):
        if not (root / name).exists():
            (root / "usr" / name).mkdir(parents=True, exist_ok=True)
            (root / name).symlink_to(f"usr/{name}")
    (root / "etc").mkdir(exist_ok=True)
    (root / "etc/fstab").write_text(fstab)
    for value, target in (links if links is not None else {UUID: "vda1"}).items():
        d = root / "dev/disk/by-uuid"
        d.mkdir(parents=True, exist_ok=True)
        (d / value).symlink_to(f"../../{target}")
    return root

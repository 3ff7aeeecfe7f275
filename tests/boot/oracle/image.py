"""A scenario tree -> the raw disk qemu boots.

The filesystems are written from the tree with `mke2fs -d` (tests/real/disk.py), so the
disk holds exactly the tree cockpit is run on. The boot sectors (MBR + core.img) are
those the BASE root's own grub-install wrote (build.grub_install, run once per base and
kept beside its extracted tree): on a real host they were put on the disk by the last
grub-install, and a breakage made later on the filesystem (even deleting
/boot/grub/i386-pc) does not rewrite them.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.boot.oracle.trees import DATA_UUID, USR_UUID
from tests.real import build, disk


@contextlib.contextmanager
def _without_usr(tree: Path) -> Iterator[Path]:
    """The tree with an empty /usr (what the root partition of a split-/usr host holds):
    a bind mount of the tree with a tmpfs over its usr/, so the tree itself is untouched."""
    with tempfile.TemporaryDirectory(dir=build.cache_dir(), prefix="stage-") as tmp:
        stage = Path(tmp)
        subprocess.run(["mount", "--bind", str(tree), str(stage)], check=True)
        try:
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "mode=0755", "usr", str(stage / "usr")],
                check=True,
            )
            try:
                yield stage
            finally:
                subprocess.run(["umount", str(stage / "usr")], check=False)
        finally:
            subprocess.run(["umount", str(stage)], check=False)


def make(layout: str, tree: Path, image: Path, base: Path) -> None:
    """Write the disk for `layout` (see trees.LAYOUT_DEVICES) and GRUB's boot sectors."""
    with tempfile.TemporaryDirectory(dir=build.cache_dir(), prefix="empty-") as empty:
        if layout == "usr":
            with _without_usr(tree) as rootfs:
                disk.make_image(
                    image,
                    [
                        disk.Partition(rootfs, build.ROOT_UUID, 512),
                        disk.Partition(tree / "usr", USR_UUID, 1536),
                    ],
                )
        else:
            parts = [disk.Partition(tree, build.ROOT_UUID, 2048)]
            if layout == "data":
                parts.append(disk.Partition(Path(empty), DATA_UUID, 64))
            disk.make_image(image, parts)
    disk.write_boot_area(image, boot_area(base))


def boot_area(base: Path) -> bytes:
    """The first MiB of a disk the base root's grub-install wrote; made once."""
    saved = base.with_name(base.name + ".bootarea")
    if not saved.exists():
        part = saved.with_suffix(".part")
        with tempfile.NamedTemporaryFile(suffix=".log") as log:
            build.grub_install(base, Path(log.name), boot_area=part)
        part.rename(saved)
    return saved.read_bytes()

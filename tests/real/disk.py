"""Disk images from root trees, without udev or partition device nodes.

Why this shape: the machines that run the tests have loop devices but no partition nodes
for them (no `/dev/loopNp1`, partscan is off), so a partition is reached through a second
loop device at its byte offset, and filesystems are written straight into the image file
with `mke2fs -d` at that offset (no mount needed). The boot sectors are the first MiB of a
disk the root's own `grub-install` wrote (build.grub_install): GRUB's embedded core.img
carries Reed-Solomon codes and a patched block list, so copying the files from
/boot/grub/i386-pc would not give the same bytes, and grub-bios-setup cannot be run on an
image outside the mounted root it probes.

Used by build.py (to run the real `grub-install` once per base root) and by the boot
oracle (tests/boot/oracle) to turn each scenario's tree into the disk it boots.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SECTOR = 512
ALIGN = 2048  # sectors: the first partition starts at 1 MiB, as the Debian installer does
# The msdos disk identifier: fixed, so PARTUUIDs (<id>-01, -02...) are the same on every
# image, as build.GRUB_PROBE_SHIM answers them (a random one would make root=PARTUUID=
# and grub.cfg disagree from one disk to the next).
DISK_ID = "0x6c3b1a2e"


@dataclass(frozen=True)
class Partition:
    """One ext4 partition: its content is `source` (a directory), named by `uuid`."""

    source: Path
    uuid: str
    size_mib: int


def _run(cmd: Sequence[str], **kw: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, check=False, **kw)  # type: ignore[call-overload]
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


def offsets(partitions: Sequence[Partition]) -> list[int]:
    """Byte offset of each partition, packed one after another from 1 MiB."""
    out, at = [], ALIGN * SECTOR
    for part in partitions:
        out.append(at)
        at += part.size_mib << 20
    return out


def make_table(image: Path, partitions: Sequence[Partition]) -> None:
    """A sparse raw disk of the right size with an msdos label (first partition bootable,
    as the installer marks it) and no filesystems yet."""
    starts = offsets(partitions)
    total = starts[-1] + (partitions[-1].size_mib << 20) + (1 << 20)
    image.unlink(missing_ok=True)
    with image.open("wb") as f:
        f.truncate(total)
    lines = ["label: dos", f"label-id: {DISK_ID}"]
    for i, (part, start) in enumerate(zip(partitions, starts, strict=True)):
        boot = ", bootable" if i == 0 else ""
        lines.append(f"start={start // SECTOR}, size={part.size_mib << 11}, type=83{boot}")
    _run(["sfdisk", "-q", str(image)], input="\n".join(lines) + "\n")


def mke2fs(image: Path, uuid: str, source: Path, size_mib: int, offset: int = 0) -> None:
    """An ext4 filesystem filled from `source`, written into `image` at `offset`."""
    _run(
        [
            "mke2fs", "-q", "-F", "-t", "ext4", "-U", uuid,
            "-E", f"offset={offset}", "-d", str(source), str(image), f"{size_mib}M",
        ]
    )  # fmt: skip


def make_image(image: Path, partitions: Sequence[Partition]) -> None:
    """A sparse raw disk: an msdos label and one ext4 filesystem per partition, filled
    from its source tree."""
    make_table(image, partitions)
    for part, start in zip(partitions, offsets(partitions), strict=True):
        mke2fs(image, part.uuid, part.source, part.size_mib, offset=start)


@contextlib.contextmanager
def loop(image: Path, offset: int = 0, read_only: bool = False) -> Iterator[Path]:
    """A loop device on `image` from `offset`, detached whatever happens."""
    cmd = ["losetup", "--show", "-f", "-o", str(offset)]
    if read_only:
        cmd.append("-r")
    dev = Path(_run([*cmd, str(image)]).stdout.strip())
    try:
        yield dev
    finally:
        subprocess.run(["losetup", "-d", str(dev)], check=False)


def write_boot_area(image: Path, boot_area: bytes) -> None:
    """Put a disk's saved first MiB (GRUB's boot.img in the MBR, core.img in the gap
    before the first partition) onto `image`, keeping the image's own partition table."""
    with image.open("r+b") as f:
        f.write(boot_area[:440])  # boot code; 440-511 is the disk id and partition table
        f.seek(SECTOR)
        f.write(boot_area[SECTOR : ALIGN * SECTOR])

"""What cockpit is run on: the disk as an admin inspecting a broken VM's disk sees it.

Why not the scenario tree: the tree is the union of every filesystem of the disk (a
split /usr is populated in it), which is what a BOOT may or may not assemble. An admin
who attaches the disk and prepares a chroot mounts the root filesystem, then what ITS
fstab mounts (`mount -a` in the root: not noauto, not swap, not `/` again), each at its
mount point, from the partitions of this disk. A filesystem fstab names that the disk
does not have (a typo'd UUID, a detached disk) cannot be mounted: its mount point stays
what the root filesystem holds. The captured device list stays what the tree carries
(/dev/disk/by-uuid, trees.py).

The view is built from the same parts image.py writes the disk from (layout.py): the
root filesystem is the tree with each separate partition's directory an empty mount
point (an empty tmpfs over it), and a partition fstab mounts is its tree directory (or an
empty filesystem) bound at the mount point. On a one-partition disk the view IS the tree
(nothing else exists to mount): the tree is used as it is. test_image.py checks the view
against the disk's filesystems mounted from a real image.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.boot.oracle import layout
from tests.real import build


@dataclass(frozen=True)
class Mount:
    """An fstab line the admin's `mount -a` mounts from this disk: partition `number`
    (2.. : layout.extra) at `point`."""

    point: str
    number: int


def partition_of(spec: str, lay: str) -> int | None:
    """Which partition of this disk an fstab source names (None: not on this disk)."""
    uuids = layout.by_uuid(lay)
    m = re.fullmatch(r"(?:UUID=|/dev/disk/by-uuid/)(\S+)", spec, re.I)
    if m:
        return uuids.get(m.group(1).lower())
    m = re.fullmatch(r"/dev/vda(\d+)", spec)
    if m and 1 <= int(m.group(1)) <= len(uuids):
        return int(m.group(1))
    return None  # LABEL=, PARTUUID=, another disk, a pseudo filesystem


def fstab_mounts(fstab: str, lay: str) -> list[Mount]:
    """The lines of `fstab` `mount -a` mounts from this disk's other partitions, in order."""
    out: list[Mount] = []
    for raw in fstab.splitlines():
        fields = raw.split("#", 1)[0].split()
        if len(fields) < 2:
            continue
        spec, point = fields[0], fields[1]
        fstype = fields[2] if len(fields) > 2 else "auto"
        opts = fields[3].split(",") if len(fields) > 3 else []
        if fstype == "swap" or point in ("/", "none") or "noauto" in opts:
            continue
        number = partition_of(spec, lay)
        if number is not None and number >= 2:
            out.append(Mount(point, number))
    return out


def _mount(args: list[str]) -> None:
    subprocess.run(["mount", *args], check=True)


@contextlib.contextmanager
def admin_view(lay: str, tree: Path) -> Iterator[Path]:
    """The disk of layout `lay` built from `tree`, mounted as an admin would: the root
    filesystem plus what its fstab mounts from the disk."""
    parts = layout.extra(lay)
    fstab = tree / "etc/fstab"
    text = fstab.read_text(errors="replace") if fstab.is_file() else ""
    mounts = fstab_mounts(text, lay)
    if not layout.separate(lay) and not mounts:
        yield tree  # the root filesystem is the tree, and nothing is mounted on it
        return
    done: list[Path] = []
    with tempfile.TemporaryDirectory(dir=build.cache_dir(), prefix="view-") as tmp:
        stage = Path(tmp)
        try:
            _mount(["--bind", str(tree), str(stage)])
            done.append(stage)
            # private: a mount under the view must not propagate back into the tree
            _mount(["--make-private", str(stage)])
            for holds in layout.separate(lay):  # an empty mount point on the root fs
                point = stage / holds.lstrip("/")
                mode = f"mode={os.stat(point).st_mode & 0o7777:o}"
                _mount(["-t", "tmpfs", "-o", mode, "mountpoint", str(point)])
                done.append(point)
            for m in mounts:
                point = stage / m.point.lstrip("/")
                if not point.is_dir():  # `mount` needs the directory on the root fs
                    continue
                holds = parts[m.number - 2].holds
                if holds:
                    _mount(["--bind", str(tree / holds.lstrip("/")), str(point)])
                else:
                    _mount(["-t", "tmpfs", "-o", "mode=755", "emptyfs", str(point)])
                done.append(point)
            yield stage
        finally:
            for point in reversed(done):
                if subprocess.run(["umount", str(point)], check=False).returncode != 0:
                    subprocess.run(["umount", "-l", str(point)], check=False)

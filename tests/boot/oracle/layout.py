"""Disk layouts: which partitions a scenario's disk has, and what each one holds.

Why one description: the disk qemu boots (image.py), the view cockpit is run on
(view.py) and the captured device list (trees.py) must all say the same thing about the
same disk. Partition 1 is always the root filesystem (build.ROOT_UUID, /dev/vda1); each
further partition either holds a directory of the scenario tree (`/usr` on a split-/usr
install, `/boot` on its own partition) or is an empty filesystem (a data disk). A
directory that lives on its own partition is an EMPTY mount point on the root filesystem,
as on a real install: whether it is filled at boot, and in an admin's view of the disk,
depends on fstab.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.real import build

DATA_UUID = "5d1f0a9b-7c3e-4e21-9a6f-0b8c2d4e6f81"
USR_UUID = "8e4c2a1f-3b5d-4c6e-9f70-1a2b3c4d5e6f"
BOOT_UUID = "3c9e7b1d-2a4f-4d6b-8e0c-5f7a9b1c3d5e"
ROOT_MIB = 2048


@dataclass(frozen=True)
class Part:
    """A partition after the root one: `holds` is the tree directory whose content it
    carries ("" = an empty filesystem), `uuid` its filesystem UUID."""

    holds: str
    uuid: str
    size_mib: int


LAYOUTS: dict[str, tuple[Part, ...]] = {
    "root": (),
    "data": (Part("", DATA_UUID, 64),),
    "usr": (Part("/usr", USR_UUID, 1536),),
    "boot": (Part("/boot", BOOT_UUID, 256),),
}


def extra(layout: str) -> tuple[Part, ...]:
    return LAYOUTS[layout]


def devices(layout: str) -> dict[str, str]:
    """uuid -> kernel name of each partition after the root (the captured device list;
    the root's own link is in the base tree)."""
    return {p.uuid: f"vda{i}" for i, p in enumerate(extra(layout), start=2)}


def by_uuid(layout: str) -> dict[str, int]:
    """Filesystem UUID -> partition number, root included."""
    return {build.ROOT_UUID: 1, **{p.uuid: i for i, p in enumerate(extra(layout), start=2)}}


def separate(layout: str) -> tuple[str, ...]:
    """Tree directories that live on their own partition (empty on the root filesystem)."""
    return tuple(p.holds for p in extra(layout) if p.holds)

"""The disk qemu boots holds what cockpit is shown (marker `boot`: builds real disks).

Two constructions must agree: image.make writes the disk from the base filesystem plus
the overlay's changes (and the layout's other partitions), view.admin_view shows cockpit
the tree as an admin's chroot of that disk would. Here the disk of each scenario is
written, its filesystems are mounted the admin's way from the IMAGE itself (the root
partition, then what its fstab mounts from the disk), and every file is compared with
the view: type, mode, owner, size, symlink target, device number and content.

The scenarios cover each way a recipe changes a tree: deletions by a package purge
(whiteouts), a mode change, files written, and the layouts with a second partition (/usr
mounted by fstab or not, /boot mounted). And usr-split-not-in-fstab's disk with /usr
mounted by hand: what cockpit must see through, since the boot does not mount it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.boot.oracle import image, layout, trees, view
from tests.boot.oracle.classify import BOOTED
from tests.boot.oracle.scenarios import BY_NAME
from tests.real import build, disk
from tests.support import judge_root

CASES = ("incident-systemd", "init-not-executable", "usr-split-ok", "usr-split-not-in-fstab",
         "boot-partition-ok")  # fmt: skip
# mke2fs makes lost+found at the top of every filesystem it writes; a tree has none
SKIP = {"lost+found"}


def listing(top: Path) -> dict[str, tuple[object, ...]]:
    out: dict[str, tuple[object, ...]] = {}
    for here, dirs, files in os.walk(top):
        rel_dir = Path(here).relative_to(top)
        dirs[:] = [d for d in dirs if d not in SKIP]
        for name in dirs + files:
            path = Path(here) / name
            st = os.lstat(path)
            kind = stat.S_IFMT(st.st_mode)
            extra: object = None
            if stat.S_ISREG(st.st_mode):
                extra = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISLNK(st.st_mode):
                extra = os.readlink(path)
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                extra = st.st_rdev
            size = st.st_size if stat.S_ISREG(st.st_mode) else 0
            mode = stat.S_IMODE(st.st_mode)
            out[str(rel_dir / name)] = (kind, mode, st.st_uid, st.st_gid, size, extra)
    return out


@contextlib.contextmanager
def _mount_at(dev: Path, point: Path) -> Iterator[None]:
    subprocess.run(["mount", "-t", "ext4", "-o", "ro,noload", str(dev), str(point)], check=True)
    try:
        yield
    finally:
        subprocess.run(["umount", str(point)], check=False)


@contextlib.contextmanager
def disk_as_admin(img: Path, lay: str) -> Iterator[Path]:
    """The image's root filesystem mounted, and what its fstab mounts from the disk."""
    starts = disk.offsets(image.partitions(lay, Path()))
    with contextlib.ExitStack() as stack:
        root = stack.enter_context(image.mounted(img, starts[0], read_only=True))
        for m in view.fstab_mounts((root / "etc/fstab").read_text(), lay):
            dev = stack.enter_context(disk.loop(img, starts[m.number - 1], read_only=True))
            stack.enter_context(_mount_at(dev, root / m.point.lstrip("/")))
        yield root


@pytest.mark.parametrize("name", CASES)
def test_disk_holds_the_view(name: str, oracle_host: None) -> None:
    scn = BY_NAME[name]
    with (
        trees.scenario_tree(scn) as tree,
        view.admin_view(scn.layout, tree) as shown,
        tempfile.TemporaryDirectory(dir=build.cache_dir(), prefix="imgtest-") as tmp,
    ):
        img = Path(tmp) / "disk.img"
        image.make(scn.layout, tree, trees.upper(scn), img, trees.lower(scn.variant), False)
        with disk_as_admin(img, scn.layout) as on_disk:
            got, want = listing(on_disk), listing(shown)
    diff = sorted(set(got.items()) ^ set(want.items()))
    assert not diff, f"{name}: disk and view differ at {len(diff)} entries, e.g. " + "; ".join(
        f"{p}: disk {got.get(p)} view {want.get(p)}" for p, _ in diff[:8]
    )
    assert layout.separate(scn.layout) or got  # a real comparison happened


def test_usr_mounted_by_hand_is_judged_as_the_boot_sees_it(oracle_host: None) -> None:
    """usr-split-not-in-fstab's own disk, as an admin who mounts /usr by hand sees it: init
    reads fine under /usr, but the boot (observed: 'No init found') never mounts it.
    cockpit, given the loop-mounted disk, says so from the viewer's mounts."""
    scn = BY_NAME["usr-split-not-in-fstab"]
    assert scn.expect not in BOOTED  # the boot failed: what the rule must predict
    number = next(i for i, p in enumerate(layout.extra(scn.layout), 2) if p.holds == "/usr")
    with (
        trees.scenario_tree(scn) as tree,
        tempfile.TemporaryDirectory(dir=build.cache_dir(), prefix="imgtest-") as tmp,
    ):
        img = Path(tmp) / "disk.img"
        image.make(scn.layout, tree, trees.upper(scn), img, trees.lower(scn.variant), False)
        starts = disk.offsets(image.partitions(scn.layout, Path()))
        with (
            image.mounted(img, starts[0], read_only=True) as root,
            disk.loop(img, starts[number - 1], read_only=True) as dev,
            _mount_at(dev, root / "usr"),
        ):
            state = judge_root(root)
    found = {f.id: f.severity.value for f in state.findings}
    assert state.verdict.value == "unbootable", found
    assert found.get("boot.init-on-unlisted-mount") == "blocker", found

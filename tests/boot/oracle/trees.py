"""Scenario trees: a cached Debian root (tests/real/build.py) plus one breakage.

Why overlays: a root is 700 MB; each scenario changes a few files. The base tarball is
extracted once into a persistent lower directory, and a scenario's tree is an overlay
mount whose upper directory (what the recipe changed, a few MB) is kept in the cache,
keyed by Scenario.tree_key(): a warm run re-mounts it instead of re-running the recipe
(some recipes rebuild an initramfs: a minute each). The lower is never written.

Layouts (layout.py) capture the device list the way build.py does for the root
partition (/dev/disk/by-uuid/<uuid> -> ../../vdaN inside the tree): a second partition
"data" (an empty ext4, for fstab cases), "usr" (/usr on its own partition, as in a
split-/usr install) or "boot" (/boot on its own partition). The tree is the union of the
disk's filesystems; what cockpit is run on is view.admin_view (what fstab mounts).
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from tests.boot.oracle import layout
from tests.boot.oracle.scenario import Scenario
from tests.real import build


def oracle_dir() -> Path:
    path = build.cache_dir() / "oracle"
    path.mkdir(parents=True, exist_ok=True)
    return path


def lower(variant: str) -> Path:
    """The variant's base tree, extracted once (a `.done` marker beside it says whole).
    Named after the tarball of the current recipe; once extracted, the tarball itself is
    not needed (another checkout's tests/real with an older RECIPE may replace it in the
    shared cache)."""
    tree = oracle_dir() / "lower" / build.tarball(variant).stem
    done = tree.with_name(tree.name + ".done")
    if done.exists():
        return tree
    tar = build.ensure(variant)
    with (oracle_dir() / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(tree, ignore_errors=True)
            build.unpack(tar, tree)
            done.touch()
            for stale in tree.parent.glob(f"{build.SUITE}-{variant}-*"):
                if stale.name not in (tree.name, done.name):
                    _remove(stale)
    return tree


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def chroot(tree: Path, cmd: Sequence[str], proc: bool = False) -> str:
    """Run a real tool inside a scenario tree (no daemon may start; /proc only if asked).
    A failing tool fails the recipe: a scenario must be exactly what it says."""
    done = build.run_in_chroot(tree, cmd, proc=proc, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd} exited {done.returncode}: {done.stdout}{done.stderr}")
    return done.stdout + done.stderr


@contextlib.contextmanager
def _overlay(low: Path, base: Path) -> Iterator[Path]:
    upper, work, root = base / "upper", base / "work", base / "root"
    for d in (upper, work, root):
        d.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "work", ignore_errors=True)  # left by an earlier mount
    opts = f"lowerdir={low},upperdir={upper},workdir={work}"
    subprocess.run(["mount", "-t", "overlay", "overlay", "-o", opts, str(root)], check=True)
    try:
        yield root
    finally:
        if subprocess.run(["umount", str(root)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(root)], check=False)


def upper(scn: Scenario) -> Path:
    """What the scenario's recipe changed in its base tree (the overlay's upper dir)."""
    return oracle_dir() / "trees" / scn.tree_key() / "upper"


@contextlib.contextmanager
def scenario_tree(scn: Scenario) -> Iterator[Path]:
    """The scenario's tree, mounted for the duration; built (and cached) if needed."""
    low = lower(scn.variant)
    base = upper(scn).parent
    built = base / "built"
    if not built.exists():
        shutil.rmtree(base, ignore_errors=True)
    with _overlay(low, base) as root:
        if not built.exists():
            byuuid = root / "dev/disk/by-uuid"
            for uuid, dev in layout.devices(scn.layout).items():
                (byuuid / uuid).symlink_to(f"../../{dev}")
            for brk in scn.breaks:
                brk(root)
            built.write_text(scn.name + "\n")
        yield root

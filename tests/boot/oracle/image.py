"""A scenario tree -> the raw disk qemu boots.

Why a base filesystem plus the scenario's changes: a root is ~700 MB and each scenario
changes a few files. Writing every disk whole (`mke2fs -d` of the tree) cost 5-10 s of
CPU per scenario; instead the variant's root filesystem is written ONCE from its base
tree (`mke2fs -d`, kept as <oracle>/base/<base>.ext4), and a scenario's disk is a sparse
copy of it (its data extents only, ~0.5 s) into which exactly what the scenario's overlay
changed is written: the overlay's upper directory, with its whiteouts as deletions
(apply_upper). The result holds the same files as `mke2fs -d` of the tree would
(test_image.py compares the two).

Partitions after the root (layout.py) are written whole with `mke2fs -d` from their tree
directory (small, or used by two scenarios), and that directory is emptied on the root
filesystem: a mount point, as on a real install.

The boot sectors (MBR + core.img) of disks booted through GRUB are those the BASE root's
own grub-install wrote (build.grub_install, run once per base and kept beside its
extracted tree): on a real host they were put on the disk by the last grub-install, and a
breakage made later on the filesystem (even deleting /boot/grub/i386-pc) does not rewrite
them. A direct boot (-kernel/-initrd) never reads them: its disk has none.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.boot.oracle import layout
from tests.real import build, disk

OVERLAY_XATTR = "trusted.overlay."


def base_dir() -> Path:
    path = build.cache_dir() / "oracle" / "base"
    path.mkdir(parents=True, exist_ok=True)
    return path


def base_fs(lower: Path) -> Path:
    """The root filesystem of a base tree (`lower`, trees.lower), written once."""
    out = base_dir() / f"{lower.name}.ext4"
    if out.exists():
        return out
    with (base_dir() / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if not out.exists():
            part = out.with_suffix(".part")
            part.unlink(missing_ok=True)
            with part.open("wb") as f:
                f.truncate(layout.ROOT_MIB << 20)
            disk.mke2fs(part, build.ROOT_UUID, lower, layout.ROOT_MIB)
            part.rename(out)
            variant = lower.name.split("-")[1]
            for stale in base_dir().glob(f"{build.SUITE}-{variant}-*.ext4"):
                if stale != out:
                    stale.unlink(missing_ok=True)
    return out


def copy_extents(src: Path, dst: int, offset: int) -> None:
    """Copy `src` into the open file `dst` at `offset`, its data extents only (holes
    stay holes: the copy of a 2 GiB filesystem holding 700 MB writes 700 MB)."""
    with src.open("rb") as f:
        fd, size, pos = f.fileno(), os.fstat(f.fileno()).st_size, 0
        while pos < size:
            try:
                start = os.lseek(fd, pos, os.SEEK_DATA)
            except OSError as exc:
                if exc.errno == errno.ENXIO:  # no data after pos
                    return
                raise
            end = os.lseek(fd, start, os.SEEK_HOLE)
            at = start
            while at < end:
                done = os.copy_file_range(fd, dst, end - at, at, offset + at)
                if done == 0:
                    raise OSError(f"copy_file_range stopped at {at} of {src}")
                at += done
            pos = end


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()


def _copy_meta(src: Path, dst: Path, st: os.stat_result) -> None:
    os.chown(dst, st.st_uid, st.st_gid, follow_symlinks=False)
    if not stat.S_ISLNK(st.st_mode):
        os.chmod(dst, stat.S_IMODE(st.st_mode))
        for name in os.listxattr(src):
            if not name.startswith(OVERLAY_XATTR):
                os.setxattr(dst, name, os.getxattr(src, name))
    os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)


def apply_upper(upper: Path, dst: Path) -> None:
    """Make `dst` (the base filesystem, mounted) what the overlay of `upper` over the
    base shows. overlayfs keeps in upper: whole copies of every changed or created file
    (metacopy is off), a whiteout (char device 0/0) for every deleted name, and an
    `opaque` mark on a directory that replaced one of the base (rename of a directory is
    a copy without redirect_dir, which is off)."""
    dirs: list[tuple[Path, Path, os.stat_result]] = []
    for here, subdirs, files in os.walk(upper):
        rel = Path(here).relative_to(upper)
        for name in sorted(subdirs) + sorted(files):
            src, tgt = Path(here) / name, dst / rel / name
            st = os.lstat(src)
            if stat.S_ISCHR(st.st_mode) and st.st_rdev == 0:  # whiteout
                _remove(tgt)
                continue
            if stat.S_ISDIR(st.st_mode):
                opaque = OVERLAY_XATTR + "opaque" in os.listxattr(src) and (
                    os.getxattr(src, OVERLAY_XATTR + "opaque") == b"y"
                )
                if tgt.is_symlink() or (tgt.exists() and (opaque or not tgt.is_dir())):
                    _remove(tgt)
                if not tgt.exists():
                    tgt.mkdir()
                dirs.append((src, tgt, st))
                continue
            _remove(tgt)
            if stat.S_ISLNK(st.st_mode):
                os.symlink(os.readlink(src), tgt)
            elif stat.S_ISREG(st.st_mode):
                shutil.copyfile(src, tgt, follow_symlinks=False)
            else:
                os.mknod(tgt, st.st_mode, st.st_rdev)
            _copy_meta(src, tgt, st)
    for src, tgt, st in reversed(dirs):  # children first: their writes move the dir's mtime
        _copy_meta(src, tgt, st)


def _empty(directory: Path) -> None:
    for child in directory.iterdir():
        _remove(child)


@contextlib.contextmanager
def mounted(image: Path, offset: int, read_only: bool = False) -> Iterator[Path]:
    """The ext4 filesystem at `offset` of `image`, mounted for the duration."""
    with tempfile.TemporaryDirectory(dir=build.cache_dir(), prefix="mnt-") as tmp:
        mnt = Path(tmp)
        with disk.loop(image, offset, read_only=read_only) as dev:
            opts = "ro,noload" if read_only else "rw"
            subprocess.run(["mount", "-t", "ext4", "-o", opts, str(dev), str(mnt)], check=True)
            try:
                yield mnt
            finally:
                if subprocess.run(["umount", str(mnt)], check=False).returncode != 0:
                    subprocess.run(["umount", "-l", str(mnt)], check=False)


def partitions(lay: str, tree: Path) -> list[disk.Partition]:
    root = disk.Partition(tree, build.ROOT_UUID, layout.ROOT_MIB)
    return [root] + [
        disk.Partition(tree / p.holds.lstrip("/") if p.holds else Path(), p.uuid, p.size_mib)
        for p in layout.extra(lay)
    ]


def make(lay: str, tree: Path, upper: Path, image: Path, lower: Path, grub: bool) -> None:
    """Write the disk for layout `lay`: partition 1 = the base filesystem + `upper`,
    with the layout's separate directories emptied; the others from their directory."""
    parts = partitions(lay, tree)
    base = base_fs(lower)
    disk.make_table(image, parts)
    starts = disk.offsets(parts)
    with image.open("r+b") as f:
        copy_extents(base, f.fileno(), starts[0])
    with mounted(image, starts[0]) as mnt:
        apply_upper(upper, mnt)
        for holds in layout.separate(lay):
            _empty(mnt / holds.lstrip("/"))
    with tempfile.TemporaryDirectory(dir=build.cache_dir(), prefix="empty-") as empty:
        for part, start in zip(parts[1:], starts[1:], strict=True):
            source = part.source if part.source != Path() else Path(empty)
            disk.mke2fs(image, part.uuid, source, part.size_mib, offset=start)
    if grub:
        disk.write_boot_area(image, boot_area(lower))


def boot_area(base: Path) -> bytes:
    """The first MiB of a disk the base root's grub-install wrote; made once."""
    saved = base.with_name(base.name + ".bootarea")
    if not saved.exists():
        with (base_dir() / ".lock").open("w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            if not saved.exists():
                part = saved.with_suffix(".part")
                with tempfile.NamedTemporaryFile(suffix=".log") as log:
                    build.grub_install(base, Path(log.name), boot_area=part)
                part.rename(saved)
    return saved.read_bytes()

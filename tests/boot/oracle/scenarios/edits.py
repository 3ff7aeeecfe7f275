"""Small break factories: each returns a function that changes a tree one way.

A break's source and the arguments it closes over are its cache key (scenario.describe),
so factories take only plain values. They do what an admin does: edit a file, remove
one, run a Debian tool in a chroot (update-grub, update-initramfs, systemctl, dpkg).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from tests.boot.oracle.scenario import Break
from tests.boot.oracle.trees import chroot
from tests.real import build


def _p(root: Path, rel: str) -> Path:
    return root / rel.lstrip("/")


def kernel_version(root: Path) -> str:
    (kernel,) = sorted((root / "boot").glob("vmlinuz-*"))
    return kernel.name[len("vmlinuz-") :]


def rm(*paths: str) -> Break:
    """Remove files, symlinks or directories (glob patterns allowed)."""

    def remove(root: Path) -> None:
        for rel in paths:
            hits = list(root.glob(rel.lstrip("/")))
            assert hits, f"nothing matches {rel}"
            for hit in hits:
                if hit.is_dir() and not hit.is_symlink():
                    shutil.rmtree(hit)
                else:
                    hit.unlink()

    return remove


def write(rel: str, text: str, mode: int = 0o644) -> Break:
    """(Re)place a file (a symlink there is replaced, not followed)."""

    def put(root: Path) -> None:
        path = _p(root, rel)
        if path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
        path.chmod(mode)

    return put


def symlink(rel: str, target: str) -> Break:
    def link(root: Path) -> None:
        path = _p(root, rel)
        if path.is_symlink() or path.exists():
            path.unlink()
        path.symlink_to(target)

    return link


def chmod(rel: str, mode: int) -> Break:
    def change(root: Path) -> None:
        _p(root, rel).chmod(mode)

    return change


def append(rel: str, text: str) -> Break:
    def add(root: Path) -> None:
        with _p(root, rel).open("a") as f:
            f.write(text)

    return add


def sub(rel: str, old: str, new: str, count: int = 1) -> Break:
    """Replace `old` by `new` (the first `count` times; 0 = all) in a file, which must
    contain it: an editor's change."""

    def edit(root: Path) -> None:
        path = _p(root, rel)
        text = path.read_text()
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, count or -1))

    return edit


def run(*cmd: str, proc: bool = False) -> Break:
    """A real tool inside the tree."""

    def tool(root: Path) -> None:
        chroot(root, cmd, proc=proc)

    return tool


def update_grub() -> Break:
    """`update-grub` as on an installed host (build.write_grub_cfg: the real grub-mkconfig
    with grub-probe answering for /dev/vda1)."""

    def mkconfig(root: Path) -> None:
        with tempfile.NamedTemporaryFile(suffix=".log") as log:
            build.write_grub_cfg(root, Path(log.name))

    return mkconfig


def grub_default(key: str, value: str) -> Break:
    """Set KEY=value in /etc/default/grub (replacing the line), as an admin edits it."""

    def edit(root: Path) -> None:
        path = root / "etc/default/grub"
        lines = path.read_text().splitlines()
        out = [ln for ln in lines if not ln.startswith(f"{key}=")]
        out.append(f"{key}={value}")
        path.write_text("\n".join(out) + "\n")

    return edit


def cmdline(*words: str) -> tuple[Break, Break]:
    """Words added to GRUB_CMDLINE_LINUX, then update-grub: how a kernel command line
    change reaches grub.cfg on Debian."""
    value = '"console=tty0 console=ttyS0,115200n8 ' + " ".join(words) + '"'
    return grub_default("GRUB_CMDLINE_LINUX", value), update_grub()


def initramfs(modules_mode: str, modules: str) -> Break:
    """MODULES= in initramfs.conf and /etc/initramfs-tools/modules, then
    `update-initramfs -u`: the initramfs an admin slimmed down."""

    def rebuild(root: Path) -> None:
        conf = root / "etc/initramfs-tools/initramfs.conf"
        text = conf.read_text().replace("MODULES=most", f"MODULES={modules_mode}")
        conf.write_text(text)
        with (root / "etc/initramfs-tools/modules").open("a") as f:
            f.write(modules)
        chroot(root, ["update-initramfs", "-u", "-k", kernel_version(root)], proc=True)

    return rebuild


def truncate(rel_glob: str, keep: float) -> Break:
    """Cut files to a fraction of their size (a full /boot during an update)."""

    def cut(root: Path) -> None:
        for path in root.glob(rel_glob.lstrip("/")):
            size = path.stat().st_size
            with path.open("r+b") as f:
                f.truncate(int(size * keep))

    return cut


def elf_interp(rel: str, new_interp: str) -> Break:
    """Rewrite the PT_INTERP string of an ELF in place (same length or shorter): a binary
    whose interpreter is not on this system, as a copy from another distro has."""

    def patch(root: Path) -> None:
        target = _p(root, rel)  # a real file: pass the path symlinks lead to
        assert not target.is_symlink(), rel
        data = bytearray(target.read_bytes())
        phoff, phentsize, phnum = (
            struct.unpack_from("<Q", data, 0x20)[0],
            *struct.unpack_from("<HH", data, 0x36),
        )
        for i in range(phnum):
            off = phoff + i * phentsize
            if struct.unpack_from("<I", data, off)[0] == 3:  # PT_INTERP
                p_offset, _, _, p_filesz = struct.unpack_from("<QQQQ", data, off + 8)
                raw = new_interp.encode() + b"\0"
                assert len(raw) <= p_filesz
                data[p_offset : p_offset + p_filesz] = raw.ljust(p_filesz, b"\0")
                target.write_bytes(bytes(data))
                return
        raise AssertionError(f"{rel} has no PT_INTERP")

    return patch


def foreign_elf(rel: str) -> Break:
    """A well-formed static ELF64 executable for another machine (aarch64) where the init
    is: what a wrong-architecture package leaves behind."""

    def put(root: Path) -> None:
        ehdr = struct.pack(
            "<4sBBBBB7sHHIQQQIHHHHHH",
            b"\x7fELF", 2, 1, 1, 0, 0, b"\0" * 7,
            2, 183, 1, 0x400078, 64, 0, 0, 64, 56, 1, 0, 0, 0,
        )  # fmt: skip
        phdr = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 0x80, 0x80, 0x1000)
        code = b"\x00\x00\x80\xd2\xa8\x0b\x80\xd2\x01\x00\x00\xd4"  # mov x0,0; exit
        path = _p(root, rel)
        if path.is_symlink():
            path.unlink()
        path.write_bytes(ehdr + phdr + code)
        path.chmod(0o755)

    return put


# grub-probe's answers for a disk whose /boot is its own partition (vda2), by device;
# the other targets as build.GRUB_PROBE_SHIM answers them
SEPARATE_BOOT_SHIM = """#!/bin/sh
# Temporary stand-in for grub-probe while grub-mkconfig runs in a chroot (tests/boot).
t= dev= prev= last=
for a in "$@"; do
  case "$a" in --target=*) t=${a#--target=};; esac
  [ "$prev" = --device ] && dev=$a
  prev=$a last=$a
done
if [ -z "$dev" ]; then
  case "$last" in /boot|/boot/*) dev=/dev/vda2;; *) dev=/dev/vda1;; esac
fi
case "$dev" in /dev/vda2) n=2 u=%(boot)s;; *) n=1 u=%(root)s;; esac
case "$t" in
  device) echo "$dev";;
  fs_uuid) echo "$u";;
  fs) echo ext2;;
  partmap) echo msdos;;
  abstraction) ;;
  drive) echo "(hd0,msdos$n)";;
  compatibility_hint) echo "hd0,msdos$n";;
  hints_string) echo "--hint-bios=hd0,msdos$n --hint-efi=hd0,msdos$n --hint-baremetal=ahci0,msdos$n";;
  partuuid) echo "6c3b1a2e-0$n";;
  fs_label) ;;
  *) exit 1;;
esac
"""


def separate_boot(boot_uuid: str) -> Break:
    """update-grub as on a host whose /boot is its own partition (vda2, `boot_uuid`):
    the real grub-mkconfig writes `search --fs-uuid BOOT` and `linux /vmlinuz-...`
    (paths relative to /boot's filesystem). /boot is a real mount while it runs (a
    tmpfs holding a copy of it: grub-mkrelpath tells the mount point by its device) and
    grub-probe answers for vda1 / vda2 (SEPARATE_BOOT_SHIM)."""

    def regen(root: Path) -> None:
        boot = root / "boot"
        probe = root / "usr/sbin/grub-probe"
        real = probe.with_name("grub-probe.real-cockpit-tests")
        vda1 = root / "dev/vda1"
        with tempfile.TemporaryDirectory(dir=build.cache_dir(), prefix="boot-") as tmp:
            keep = Path(tmp) / "boot"
            shutil.copytree(boot, keep, symlinks=True)
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "mode=755", "boot", str(boot)], check=True
            )
            try:
                subprocess.run(["cp", "-a", f"{keep}/.", str(boot)], check=True)
                probe.rename(real)
                try:
                    probe.write_text(
                        SEPARATE_BOOT_SHIM % {"boot": boot_uuid, "root": build.ROOT_UUID}
                    )
                    probe.chmod(0o755)
                    vda1.touch()
                    chroot(root, ["grub-mkconfig", "-o", "/boot/grub/grub.cfg"], proc=True)
                finally:
                    vda1.unlink(missing_ok=True)
                    probe.unlink(missing_ok=True)
                    real.rename(probe)
                cfg = (boot / "grub/grub.cfg").read_bytes()
            finally:
                subprocess.run(["umount", str(boot)], check=True)
        (boot / "grub/grub.cfg").write_bytes(cfg)

    return regen


def apt_install(*packages: str) -> Break:
    """`apt-get install` from the mirror, as an admin does (tests/real/build.apt_install:
    no daemon starts). Kernel packages run update-grub from their hooks: grub-probe
    answers for /dev/vda1 meanwhile (build.grub_probe_shim), as on the installed host."""

    def install(root: Path) -> None:
        with tempfile.NamedTemporaryFile(suffix=".log") as log, build.grub_probe_shim(root):
            build.apt_install(root, packages, Path(log.name))

    return install


def device_links(links: tuple[tuple[str, str], ...]) -> Break:
    """Replace the captured device list's links (/dev/disk/by-*/NAME -> ../../DEV): the
    devices of the disk this root is booted from (an NVMe disk names them nvme0n1pN)."""

    def capture(root: Path) -> None:
        for rel, target in links:
            path = root / "dev/disk" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_symlink() or path.exists():
                path.unlink()
            path.symlink_to(target)

    return capture


def unlink(*rels: str) -> Break:
    """Remove symlinks by name. Not `rm`: its glob follows links, and an absolute link
    (OpenRC's runlevel entries -> /etc/init.d/...) dangles when seen from outside the
    chroot, so the glob would not find it."""

    def remove(root: Path) -> None:
        for rel in rels:
            path = root / rel.lstrip("/")
            assert path.is_symlink(), f"{rel} is not a symlink"
            path.unlink()

    return remove

"""The kernel probe (collector/sh/50-initramfs.sh) under dash, bash and busybox ash, on
real newc archives compressed every way kernels accept, in roots built in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cockpit.collector import build_script, split_output
from cockpit.parsers.boot import initramfs as kinit
from cockpit.probes.kernel import PROBES
from cockpit.snapshot import Sections
from tests.kernel.helpers import REL, debian_root, image, mk
from tests.support import run_probes

NAME = f"boot.kernel.initramfs:/boot/initrd.img-{REL}"


def listing(sections: Sections):
    return kinit.parse_listing(sections[NAME])


@pytest.mark.parametrize(
    ("compression", "early", "segments"),
    [
        ("gzip", False, ["0 gzip"]),
        ("zstd", False, ["0 zstd"]),
        ("xz", False, ["0 xz"]),
        ("lz4", False, ["0 lz4"]),
        ("bzip2", False, ["0 bzip2"]),
        ("none", False, ["0 cpio 32"]),
        ("gzip", True, ["0 cpio 5", "1024 gzip"]),
        ("zstd", True, ["0 cpio 5", "1024 zstd"]),
    ],
)
def test_every_compression_and_an_early_cpio(
    shell: str, tmp_path: Path, compression: str, early: bool, segments: list[str]
) -> None:
    debian_root(tmp_path, image(compression=compression, early=early))
    s = run_probes(PROBES, shell, tmp_path)
    got = listing(s)
    assert got.state == "ok" and got.complete, (got, s[NAME].text)
    assert got.segments == tuple(segments)
    assert {"virtio_blk", "virtio_pci", "ext4"} <= got.modules_of(REL)
    assert got.generator == "initramfs-tools"
    if early:
        assert "kernel/x86/microcode/AuthenticAMD.bin" in got.files
    assert s["boot.kernel.files"].text == f"initrd /boot/initrd.img-{REL} /boot/initrd.img-{REL}\n"
    assert s[f"boot.kernel.builtin:{REL}"].text.splitlines()[1:] == ["kernel/drivers/block/loop.ko"]


def test_a_cached_fingerprint_is_not_read_again(shell: str, tmp_path: Path) -> None:
    debian_root(tmp_path, image())
    first = run_probes(PROBES, shell, tmp_path)
    fp = first[NAME].text.splitlines()[0].split()[1]
    built = build_script(PROBES, mode="offline", root=str(tmp_path), cached=[f"{NAME}#{fp}"])
    out = subprocess.run([*shell.split(), "-s"], input=built.script.encode(), capture_output=True)
    again = split_output(out.stdout, built.boundary).sections
    assert again[NAME].state == "cached" and again[NAME].text == ""
    # a different fingerprint (the file changed) is read afresh
    built = build_script(PROBES, mode="offline", root=str(tmp_path), cached=[f"{NAME}#1:2:3"])
    out = subprocess.run([*shell.split(), "-s"], input=built.script.encode(), capture_output=True)
    assert split_output(out.stdout, built.boundary).sections[NAME].state == "ok"


def test_garbage_is_an_error_never_an_empty_listing(shell: str, tmp_path: Path) -> None:
    debian_root(tmp_path, b"\x7fELF not an initramfs at all\n")
    got = listing(run_probes(PROBES, shell, tmp_path))
    assert got.state == "error" and not got.complete
    assert got.segments == ("0 unknown:7f454c46",)


def test_a_cut_stream_is_not_complete(shell: str, tmp_path: Path) -> None:
    debian_root(tmp_path, image(compression="gzip")[:300])
    got = listing(run_probes(PROBES, shell, tmp_path))
    assert got.state == "error" and not got.complete
    # gzip itself failed on it: the kernel's unpacker stops there too (oracle: initrd-truncated)
    assert got.damaged is not None and got.damaged.startswith("gzip ")


def test_a_whole_stream_is_not_damaged(shell: str, tmp_path: Path) -> None:
    debian_root(tmp_path, image(compression="gzip"))
    got = listing(run_probes(PROBES, shell, tmp_path))
    assert got.state == "ok" and got.damaged is None


def test_at_most_three_fresh_listings_a_run(shell: str, tmp_path: Path) -> None:
    debian_root(tmp_path, image())
    cfg = tmp_path / "boot/grub/grub.cfg"
    extra = []
    for i in range(4):
        (tmp_path / f"boot/initrd-{i}.img").write_bytes(image())
        extra.append(f"menuentry 'e{i}' {{\n\tlinux /boot/vmlinuz-{REL} root=/dev/vda1\n"
                     f"\tinitrd /boot/initrd-{i}.img\n}}\n")  # fmt: skip
    cfg.write_text(cfg.read_text() + "".join(extra))
    s = run_probes(PROBES, shell, tmp_path)
    states = [x.state for x in s.starting("boot.kernel.initramfs:")]
    assert states == ["ok", "ok", "ok", "error", "error"]
    deferred = s.starting("boot.kernel.initramfs:")[3]
    assert deferred.text == "deferred\n"  # no fingerprint: the next refresh lists it


def test_extlinux_relative_initrd_and_hostile_paths(shell: str, tmp_path: Path) -> None:
    (tmp_path / "boot").mkdir()
    (tmp_path / "boot/initramfs-lts").write_bytes(image(generator="mkinitfs", ext=".ko.gz"))
    (tmp_path / "boot/extlinux.conf").write_text(
        "DEFAULT lts\nLABEL lts\n  LINUX vmlinuz-lts\n  INITRD initramfs-lts\n"
        "  APPEND root=UUID=x initrd=/boot/a$(reboot)b,/etc/../../../etc/shadow\n"
    )
    s = run_probes(PROBES, shell, tmp_path)
    assert s["boot.kernel.files"].text == "initrd /boot/initramfs-lts /boot/initramfs-lts\n"
    got = kinit.parse_listing(s["boot.kernel.initramfs:/boot/initramfs-lts"])
    assert got.generator == "mkinitfs" and "virtio_blk" in got.modules_of(REL)


def _restricted_path(tmp_path: Path, keep: tuple[str, ...]) -> str:
    """A PATH holding only `keep` (no zstd, no cpio, no busybox): what a bare host has."""
    bindir = tmp_path / "bin-restricted"
    bindir.mkdir()
    for tool in keep:
        found = shutil.which(tool)
        assert found, tool
        (bindir / tool).symlink_to(found)
    return str(bindir)


BASE_TOOLS = ("dash", "od", "awk", "dd", "tail", "head", "cat", "stat", "grep", "tr",
              "readlink", "timeout", "gzip")  # fmt: skip


def _run_with_path(tmp_path: Path, root: Path, path: str) -> Sections:
    built = build_script(PROBES, mode="offline", root=str(root))
    out = subprocess.run(
        [os.path.join(path, "dash"), "-s"],
        input=built.script.encode(),
        capture_output=True,
        env={"PATH": path},
        timeout=60,
    )
    return split_output(out.stdout, built.boundary).sections


def test_no_decompressor_is_nocmd_with_the_reason(tmp_path: Path) -> None:
    root = debian_root(tmp_path / "root", image(compression="zstd"))
    got = listing(_run_with_path(tmp_path, root, _restricted_path(tmp_path, BASE_TOOLS)))
    assert got.state == "nocmd" and got.why == "no zstd to decompress it with"


def test_no_cpio_anywhere_falls_back_to_the_name_scan(tmp_path: Path) -> None:
    root = debian_root(tmp_path / "root", image(compression="gzip", early=True))
    got = listing(_run_with_path(tmp_path, root, _restricted_path(tmp_path, BASE_TOOLS)))
    assert got.via == ("cat scan", "gzip scan")
    assert got.state == "ok" and got.complete
    assert {"virtio_blk", "virtio_pci", "ext4"} <= got.modules_of(REL)
    assert got.entries == 35  # 4 names in the early archive, 31 in the main one


def test_the_name_scan_drops_content_that_only_looks_like_a_header(tmp_path: Path) -> None:
    """File content with a newc-looking line (hostile or accidental): its namesize field
    does not match its length, so no module is invented from it."""
    fake_name = f"usr/lib/modules/{REL}/kernel/drivers/block/virtio_blk.ko"
    fake = b"070701" + b"0" * 88 + b"%08X" % 7 + b"0" * 8 + fake_name.encode() + b"\n"
    img = mk.Image("t", "x", "initramfs-tools", REL, ("ext4",), "gzip")
    data = mk.compress(mk.newc(sorted([*img.entries(), ("etc/hostile", 0o100644, fake)])), "gzip")
    root = debian_root(tmp_path / "root", data)
    got = listing(_run_with_path(tmp_path, root, _restricted_path(tmp_path, BASE_TOOLS)))
    assert got.via == ("gzip scan",) and got.complete
    assert got.modules_of(REL) == {"ext4"}

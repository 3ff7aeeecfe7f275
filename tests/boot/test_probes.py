"""The boot probes under dash, bash and busybox ash, on small trees built in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

from cockpit.facts.boot import EMPTY, MISSING, PRESENT
from cockpit.parsers import boot
from cockpit.probes.boot import PROBES
from cockpit.snapshot import Sections
from tests.support import run_probes


def collect(shell: str, root: Path | None) -> Sections:
    return run_probes(PROBES, shell, root)


def _w(root: Path, rel: str, text: str = "x\n") -> None:
    p = root / rel.lstrip("/")
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


def _gentoo(root: Path) -> None:
    _w(
        root,
        "/etc/fstab",
        "/dev/sda1 /boot ext2 noauto,noatime 1 2\n/dev/sda3 / ext3 noatime 0 1\n",
    )
    _w(
        root,
        "/boot/grub/grub.conf",
        "default 0\ntitle G\nroot (hd0,0)\nkernel /boot/kernel-2.6.36-gentoo-r5 root=/dev/sda3\n",
    )
    os.symlink(".", root / "boot/boot")
    _w(root, "/boot/kernel-2.6.36-gentoo-r5", "kernel\n")
    _w(root, "/lib/modules/2.6.36-gentoo-r5/modules.dep", "a.ko:\n")
    (root / "usr/bin").mkdir(parents=True)


def test_grub_legacy_tree(shell: str, tmp_path: Path) -> None:
    _gentoo(tmp_path)
    s = collect(shell, tmp_path)
    assert s.get_section("boot.file:/boot/grub/grub.conf").ok
    assert s.get_section("boot.file:/boot/grub/grub.cfg").state == "absent"
    assert s.get_section("boot.moddep:2.6.36-gentoo-r5").text.strip() == "f - s modules.dep"
    assert s.get_section("boot.src:/dev/sda3").state == "absent"  # not captured offline
    facts = boot.parse(s)
    assert facts.loader is not None and facts.loader.kind == "grub-legacy"
    assert facts.default_kernel_release == "2.6.36-gentoo-r5"
    assert facts.default_cmdline == "root=/dev/sda3"
    assert facts.default_entry is not None and facts.default_entry.kernel is not None
    assert facts.default_entry.kernel.state == PRESENT
    assert facts.modules_for("2.6.36-gentoo-r5") == PRESENT


def test_bls_dirs_named_by_entries_are_listed(shell: str, tmp_path: Path) -> None:
    """systemd-boot type #1 entries in subdirectories of the ESP (kernel-install layout)."""
    mid, rel = "0123456789abcdef0123456789abcdef", "6.9.7-200.fc40.x86_64"
    _w(tmp_path, "/efi/loader/loader.conf", f"default {mid}-*\n")
    _w(
        tmp_path,
        f"/efi/loader/entries/{mid}-{rel}.conf",
        f"title F\nversion {rel}\nlinux /{mid}/{rel}/linux\ninitrd /{mid}/{rel}/initrd\n"
        "options root=UUID=abcd rw\n",
    )
    _w(tmp_path, f"/efi/{mid}/{rel}/linux", "k\n")
    _w(tmp_path, f"/efi/{mid}/{rel}/initrd", "")
    (tmp_path / "etc").mkdir()
    (tmp_path / "usr").mkdir()
    s = collect(shell, tmp_path)
    assert s.get_section(f"boot.ls:/efi/{mid}/{rel}").ok
    facts = boot.parse(s)
    assert facts.loader is not None and facts.loader.kind == "systemd-boot"
    entry = facts.default_entry
    assert entry is not None and entry.kernel is not None
    assert entry.kernel.state == PRESENT and entry.kernel.found == f"/efi/{mid}/{rel}/linux"
    assert [i.state for i in entry.initrds] == [EMPTY]


def test_captured_device_links_and_missing_kernel(shell: str, tmp_path: Path) -> None:
    good, bad = "2b7a9c3e-51d4-4f0e-8a6b-93c1d2e4f5a6", "e3b0c442-98fc-4c14-9afb-f4c8996fb924"
    _w(
        tmp_path,
        "/etc/fstab",
        f"UUID={good} / ext4 defaults 0 1\nUUID={bad} /data ext4 defaults 0 2\n",
    )
    (tmp_path / "dev/disk/by-uuid").mkdir(parents=True)
    os.symlink("../../vda1", tmp_path / f"dev/disk/by-uuid/{good}")  # dangles in the tree
    _w(
        tmp_path,
        "/boot/grub/grub.cfg",
        f"menuentry 'D' {{\n\tlinux /boot/vmlinuz-6.1.0-18-amd64 root=UUID={good} ro\n"
        "\tinitrd /boot/initrd.img-6.1.0-18-amd64\n}\n",
    )
    _w(tmp_path, "/boot/initrd.img-6.1.0-18-amd64")
    os.symlink("usr/lib", tmp_path / "lib")
    (tmp_path / "usr/lib/modules").mkdir(parents=True)
    s = collect(shell, tmp_path)
    assert s.get_section("boot.disk:uuid").text.startswith(f"l - 0 {good} -> ../../vda1")
    assert s.get_section("boot.modules").state == "ok"
    facts = boot.parse(s)
    assert [(e.mountpoint, e.state) for e in facts.fstab] == [("/", PRESENT), ("/data", MISSING)]
    entry = facts.default_entry
    assert entry is not None and entry.kernel is not None and entry.kernel.state == MISSING


def test_live_mode_runs_on_this_machine(shell: str) -> None:
    s = collect(shell, None)
    assert s.get_section("boot.ls:/boot").state in ("ok", "absent", "denied")
    assert s.get_section("boot.fstab").state in ("ok", "absent")
    boot.parse(s)

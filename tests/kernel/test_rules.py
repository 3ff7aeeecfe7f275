"""The kernel stage's findings and proof on small roots, through the real probe: each
way a kernel cannot reach root, and the healthy cases that must stay proven."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from cockpit.parsers import parse_snapshot
from cockpit.rules import judge_all
from cockpit.rules.chain.boot_stages import prove_kernel
from cockpit.rules.chain.build import build_chain
from cockpit.rules.chain.model import Gap, Proof, Stage, StageState
from cockpit.rules.finding import Severity
from tests.kernel.helpers import REL, UUID, debian_root, image
from tests.support import collect_root

NOW = datetime(2024, 6, 12, 20, 0, tzinfo=timezone.utc)
GOOD = ("virtio_blk", "virtio_pci", "ext4")


def judge(root: Path):
    """(facts, the kernel stage as the chain judges it, the kernel stage's findings)."""
    facts = parse_snapshot(collect_root(root))
    verdict = judge_all(facts, NOW)
    kernel = {f.id: f for f in verdict.findings if f.stage is Stage.KERNEL}
    stage = build_chain(facts, verdict.findings).get(Stage.KERNEL)
    return facts, stage, kernel


def test_healthy_root_is_proven_with_what_it_rests_on(tmp_path: Path) -> None:
    facts, stage, kernel = judge(debian_root(tmp_path, image(GOOD)))
    assert kernel == {} and stage.state is StageState.PROVEN
    proof = prove_kernel(facts)
    assert isinstance(proof, Proof), proof
    assert proof.evidence == (
        f"root=UUID={UUID}: /dev/disk/by-uuid/{UUID} -> vda1",
        "root device vda1 (virtio disk): virtio_blk (initramfs), virtio_pci (initramfs)",
        "root filesystem ext4 (/etc/fstab: / is ext4): ext4 (initramfs)",
        f"initrd /boot/initrd.img-{REL}: virtio_blk, virtio_pci, ext4 (and 0 more modules); "
        "made by initramfs-tools",
        f"built-ins: modules.builtin of {REL}",
    )


def test_root_driver_missing_from_the_initramfs_is_a_blocker(tmp_path: Path) -> None:
    facts, stage, kernel = judge(debian_root(tmp_path, image(("virtio_pci", "ext4"))))
    f = kernel["boot.kernel-root-driver-missing"]
    assert f.severity is Severity.BLOCKER and stage.state is StageState.BROKEN
    assert "virtio_blk is neither built into" in f.title
    assert isinstance(prove_kernel(facts), Gap)


def test_root_fs_module_missing_is_a_blocker(tmp_path: Path) -> None:
    _f, _v, kernel = judge(debian_root(tmp_path, image(("virtio_blk", "virtio_pci"))))
    assert kernel["boot.kernel-rootfs-module-missing"].severity is Severity.BLOCKER


def test_built_in_drivers_need_no_module(tmp_path: Path) -> None:
    root = debian_root(tmp_path, image(("ext4",)))
    (root / f"usr/lib/modules/{REL}/modules.builtin").write_text(
        "kernel/drivers/block/virtio_blk.ko\nkernel/drivers/virtio/virtio_pci.ko\n"
    )
    facts, _v, kernel = judge(root)
    assert kernel == {}
    assert isinstance(prove_kernel(facts), Proof)


def test_initramfs_for_another_release_is_a_blocker(tmp_path: Path) -> None:
    _f, _v, kernel = judge(debian_root(tmp_path, image(GOOD, release="6.1.0-17-amd64")))
    f = kernel["boot.initramfs-wrong-release"]
    assert f.severity is Severity.BLOCKER
    assert f.evidence == (
        "/boot/initrd.img-6.1.0-18-amd64: lib/modules/6.1.0-17-amd64/ (3 modules)",
    )


def test_no_initramfs_with_root_uuid_is_a_blocker(tmp_path: Path) -> None:
    _f, _v, kernel = judge(debian_root(tmp_path, None))
    assert kernel["boot.root-tag-without-initramfs"].severity is Severity.BLOCKER
    # and the drivers, not built in (modules.builtin read whole), cannot come from anywhere
    assert kernel["boot.kernel-root-driver-missing"].severity is Severity.BLOCKER


def test_no_initramfs_and_everything_built_in_is_proven(tmp_path: Path) -> None:
    root = debian_root(tmp_path, None, cmdline="root=/dev/vda1 ro")
    (root / f"usr/lib/modules/{REL}/modules.builtin").write_text(
        "kernel/drivers/block/virtio_blk.ko\nkernel/drivers/virtio/virtio_pci.ko\n"
        "kernel/fs/ext4/ext4.ko\n"
    )
    facts, _v, kernel = judge(root)
    assert kernel == {}
    proof = prove_kernel(facts)
    assert isinstance(proof, Proof), proof
    assert f"no initramfs: the kernel's own drivers (modules.builtin of {REL})" in proof.evidence


def test_scsi_disk_needs_sd_mod_and_a_host_adapter(tmp_path: Path) -> None:
    root = debian_root(tmp_path, image(("sd_mod", "ext4")), links={UUID: "sda1"})
    _f, _v, kernel = judge(root)
    f = kernel["boot.kernel-root-driver-missing"]
    assert "the root device sda1 is a SCSI/SATA disk: ahci/ata_piix" in f.title
    root2 = debian_root(tmp_path / "b", image(("sd_mod", "ahci", "ext4")), links={UUID: "sda1"})
    facts, _v, kernel = judge(root2)
    assert kernel == {}
    assert "root device sda1 (SCSI/SATA disk): sd_mod (initramfs), ahci (initramfs)" in (
        prove_kernel(facts).evidence
    )


def test_unreadable_initramfs_is_unknown_with_the_reason(tmp_path: Path) -> None:
    facts, stage, kernel = judge(debian_root(tmp_path, b"\x7fELF not an initramfs\n"))
    f = kernel["boot.initramfs-unreadable"]
    assert f.severity is Severity.UNKNOWN and f.boot_critical
    assert "could not be read as an initramfs" in f.title
    assert stage.state is StageState.UNKNOWN
    assert isinstance(prove_kernel(facts), Gap)


def test_separate_usr(tmp_path: Path) -> None:
    fstab = f"UUID={UUID} / ext4 defaults 0 1\nUUID=5d6e /usr xfs defaults 0 2\n"
    links = {UUID: "vda1", "5d6e": "vda2"}
    # initramfs-tools mounts /usr itself, but xfs is nowhere: /usr cannot be mounted
    facts, _v, kernel = judge(debian_root(tmp_path, image(GOOD), fstab=fstab, links=links))
    assert kernel["boot.usr-fs-module-missing"].severity is Severity.BLOCKER
    root = debian_root(tmp_path / "b", image((*GOOD, "xfs")), fstab=fstab, links=links)
    facts, _v, kernel = judge(root)
    assert kernel == {}
    proof = prove_kernel(facts)
    assert (
        "separate /usr: initramfs-tools' init mounts /usr from the root's fstab" in proof.evidence
    )


def test_mkinitcpio_without_usr_hook_and_init_under_usr_is_a_blocker(tmp_path: Path) -> None:
    fstab = f"UUID={UUID} / ext4 defaults 0 1\nUUID=5d6e /usr ext4 defaults 0 2\n"
    root = debian_root(
        tmp_path,
        image(GOOD, generator="mkinitcpio"),
        fstab=fstab,
        links={UUID: "vda1", "5d6e": "vda2"},
    )
    (root / "usr/lib/systemd").mkdir(parents=True)
    (root / "usr/lib/systemd/systemd").write_bytes(b"\x7fELF")
    (root / "usr/lib/systemd/systemd").chmod(0o755)
    (root / "usr/sbin").mkdir(exist_ok=True)
    (root / "usr/sbin/init").symlink_to("../lib/systemd/systemd")
    _f, _v, kernel = judge(root)
    f = kernel["boot.usr-not-mounted-by-initramfs"]
    assert f.severity is Severity.BLOCKER
    assert "mkinitcpio image without the usr or systemd hook" in f.evidence


def test_without_built_ins_a_module_absent_from_the_initramfs_is_unknown(tmp_path: Path) -> None:
    """No modules.builtin, no config: virtio_blk may be built in. Never a blocker, never
    proven: the stage stays unknown and says why."""
    root = debian_root(tmp_path, image(("virtio_pci", "ext4")))
    (root / f"usr/lib/modules/{REL}/modules.builtin").unlink()
    _facts, stage, kernel = judge(root)
    assert kernel == {} and stage.state is StageState.UNKNOWN
    assert stage.reason == (
        "root device vda1 (virtio disk): driver virtio_blk (not known), virtio_pci (initramfs)"
    )


def test_root_dev_name_and_fstab_uuid_compared_through_the_links(tmp_path: Path) -> None:
    """root=/dev/vda1 and fstab's UUID=... name one filesystem when a link says so."""
    from cockpit.rules.chain.boot_stages import prove_mounts

    same = debian_root(tmp_path / "a", image(GOOD), cmdline="root=/dev/vda1 ro")
    assert isinstance(prove_mounts(parse_snapshot(collect_root(same))), Proof)
    other = debian_root(tmp_path / "b", image(GOOD), cmdline="root=/dev/vda2 ro")
    gap = prove_mounts(parse_snapshot(collect_root(other)))
    assert isinstance(gap, Gap) and gap.reason == (
        f"the kernel mounts root=/dev/vda2 but /etc/fstab names UUID={UUID} for /"
    )

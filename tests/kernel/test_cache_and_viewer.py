"""Initramfs contents are read only when the file changes; the viewer's devices behind a
loop-mounted ROOT come back as a recorded section."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.collector.cadence import Cadence
from cockpit.hostspec import HostSpec
from cockpit.parsers import parse_snapshot
from cockpit.probes.kernel import PROBES
from cockpit.rules.chain.boot_stages import prove_kernel
from cockpit.rules.chain.model import Gap, Proof
from cockpit.transports import OfflineRootTransport, collect
from cockpit.transports.viewer_devices import describe, mounts_under
from cockpit.words import Verdict
from tests.kernel.helpers import REL, UUID, debian_root, image, mk
from tests.support import collect_root, judge_root

NAME = f"boot.kernel.initramfs:/boot/initrd.img-{REL}"


def test_unchanged_files_are_carried_changed_ones_read_again(tmp_path: Path) -> None:
    root = debian_root(tmp_path, image())
    cadence = Cadence()
    transport = OfflineRootTransport(HostSpec("t", "offline", root=str(root)), shell="dash")

    def refresh():
        return asyncio.run(collect(transport, probes=PROBES, cadence=cadence))

    first = refresh()
    assert first.carried == () and first.sections[NAME].state == "ok"
    second = refresh()
    assert NAME in second.carried and f"boot.kernel.builtin:{REL}" in second.carried
    assert second.sections[NAME] == first.sections[NAME]  # what is recorded is the listing
    (root / f"boot/initrd.img-{REL}").write_bytes(image(modules=("virtio_blk", "ext4")))
    third = refresh()
    assert NAME not in third.carried
    facts = parse_snapshot(third)
    lst = facts.boot.kernel.listing(f"/boot/initrd.img-{REL}")
    assert lst is not None and "virtio_pci" not in lst.modules_of(REL)


def test_a_failed_listing_is_asked_again_only_now_and_then(tmp_path: Path) -> None:
    root = debian_root(tmp_path, b"\x7fELF")
    cadence = Cadence()
    transport = OfflineRootTransport(HostSpec("t", "offline", root=str(root)), shell="dash")
    first = asyncio.run(collect(transport, probes=PROBES, cadence=cadence))
    assert first.sections[NAME].state == "error"
    _run, cached = cadence.plan(PROBES)
    assert any(c.startswith(NAME + "#") for c in cached)
    cadence.ages[NAME] = 29
    _run, cached = cadence.plan(PROBES)
    assert not any(c.startswith(NAME + "#") for c in cached)


def test_mountinfo_lines_at_and_under_root_only() -> None:
    info = (
        "22 1 254:0 / / rw - ext4 /dev/vda rw\n"
        "40 22 7:0 / /mnt/t\\040x rw - ext4 /dev/loop0 rw\n"
        "41 40 7:1 / /mnt/t\\040x/boot rw - ext2 /dev/loop1 rw\n"
        "42 22 7:2 / /mnt/t\\040xy rw - ext4 /dev/loop2 rw\n"
    )
    got = [(m.mountpoint, m.majmin) for m in mounts_under("/mnt/t x", info)]
    assert got == [("/", "7:0"), ("/boot", "7:1")]


@pytest.fixture
def loop_root(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A real ext4 image on a loop device mounted as ROOT, and a second (swap) beside it."""
    if os.geteuid() != 0:
        pytest.fail("the viewer-device test needs root (losetup, mount)")
    img = tmp_path / "disk.img"
    with img.open("wb") as fh:
        fh.truncate(48 << 20)
    loops: list[str] = []
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    mounted = False
    try:
        for offset, size in ((1 << 20, 32 << 20), (33 << 20, 8 << 20)):
            out = subprocess.run(
                ["losetup", "-f", "--show", "-o", str(offset), "--sizelimit", str(size), str(img)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            loops.append(out.stdout.strip())
        subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "rootfs", "-U", UUID, loops[0]], check=True)
        subprocess.run(["mkswap", "-q", loops[1]], check=True)
        subprocess.run(["mount", loops[0], str(mnt)], check=True)
        mounted = True
        yield mnt, loops
    finally:
        if mounted:
            subprocess.run(["umount", str(mnt)], check=False)
        for loop in loops:
            subprocess.run(["losetup", "-d", loop], check=False)


def test_viewer_devices_behind_a_loop_mounted_root(loop_root: tuple[Path, list[str]]) -> None:
    mnt, loops = loop_root
    name = loops[0].rsplit("/", 1)[-1]
    text = describe(str(mnt))
    assert f"dev {name} {name} /" in text
    assert f"tag {name} UUID {UUID}" in text and f"tag {name} LABEL rootfs" in text
    # The whole engine: no captured /dev/disk, yet root=UUID= is found on the disk itself.
    debian_root(mnt, image(), links={})
    snap = collect_root(mnt)
    assert snap.sections["boot.viewer-devices"].text == describe(str(mnt))  # recorded as is
    facts = parse_snapshot(snap)
    k = facts.boot.kernel
    assert k.viewer_state == "ok" and k.viewer_by_tag("uuid", UUID) is not None
    assert k.device_by_tag("uuid", UUID) is None  # the viewer's loop0 is not the target's
    # root=UUID= is found on the disk, but what the target's kernel calls that disk is not
    # known: proven only by an initramfs with every generic disk driver; this one lacks some.
    gap = prove_kernel(facts)
    assert isinstance(gap, Gap) and "does not carry the generic disk drivers" in gap.reason
    assert f"this machine's {name} carries UUID={UUID}" in gap.evidence[0]
    (mnt / f"boot/initrd.img-{REL}").write_bytes(image(modules=mk.DISKS + mk.EXT4))
    proof = prove_kernel(parse_snapshot(collect_root(mnt)))
    assert isinstance(proof, Proof), proof
    assert any("generic disk drivers (as MODULES=most gives)" in e for e in proof.evidence)


def test_init_on_a_mount_that_fstab_does_not_mount(loop_root: tuple[Path, list[str]]) -> None:
    """A separate /usr mounted here by hand, lost from fstab: cockpit can read init, the
    boot cannot (the root filesystem's /usr is the empty mount point)."""
    mnt, loops = loop_root
    subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "usr", loops[1]], check=True)
    (mnt / "usr").mkdir()
    subprocess.run(["mount", loops[1], str(mnt / "usr")], check=True)
    try:
        debian_root(mnt, image(modules=mk.DISKS + mk.EXT4), links={})
        systemd = mnt / "usr/lib/systemd/systemd"
        systemd.parent.mkdir(parents=True)
        systemd.write_bytes(Path("/bin/true").read_bytes())
        systemd.chmod(0o755)
        (mnt / "usr/sbin/init").symlink_to("/lib/systemd/systemd")
        state = judge_root(mnt)
        assert state.verdict is Verdict.UNBOOTABLE, state.findings
        blocker = next(f for f in state.findings if f.id == "boot.init-on-unlisted-mount")
        assert "/etc/fstab does not mount /usr" in blocker.title
        # The same tree with /usr in fstab: that blocker is gone (the rest is the kernel
        # stage's own business).
        (mnt / "etc/fstab").write_text(
            f"UUID={UUID} / ext4 errors=remount-ro 0 1\nLABEL=usr /usr ext4 defaults 0 2\n"
        )
        assert not any(f.id == "boot.init-on-unlisted-mount" for f in judge_root(mnt).findings)
    finally:
        subprocess.run(["umount", str(mnt / "usr")], check=False)

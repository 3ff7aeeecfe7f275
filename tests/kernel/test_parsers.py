"""Listings and kernel files as real hosts give them, through the collector's own filter
(the awk in 50-initramfs.sh) and the parser."""

from __future__ import annotations

import shlex
from pathlib import Path

from cockpit.parsers.boot import devices as kdev
from cockpit.parsers.boot import initramfs as kinit
from cockpit.probes.base import Probe
from cockpit.snapshot import Section
from tests.support import CORPUS, run_probes, sections_from

REL = "6.1.0-50-amd64"
LSINITRAMFS = CORPUS / "boot/initramfs/lsinitramfs-debian12-6.1.0-50-amd64.txt"


def filtered(shell: str, listing: Path, mode: str = "names") -> str:
    """What the live probe sends for a host lister's output (`_ir_filter MODE`)."""
    script = f"_begin t\n_ir_filter {mode} <{shlex.quote(str(listing))}\n_end 0 ok t"
    probe = Probe("t", "test", script, "test", cap_bytes=262144)
    return run_probes([probe], shell, None)["t"].text


def test_real_lsinitramfs_output_debian_bookworm(shell: str) -> None:
    """`lsinitramfs` on bookworm's own initrd (MODULES=most): 747 .ko files, one release."""
    text = "fp 36328936:1:2\nvia lsinitramfs\n" + filtered(shell, LSINITRAMFS)
    got = kinit.parse_listing(Section(f"{kinit.INITRAMFS}/boot/initrd.img-{REL}", "ok", 0, text))
    assert got.complete and got.releases == (REL,)
    mods = got.modules_of(REL)
    assert len(mods) == 747 == got.module_count
    assert {"virtio_blk", "virtio_pci", "ext4", "nvme", "sd_mod", "ahci", "xen_blkfront"} <= mods
    assert got.generator == "initramfs-tools"
    assert got.entries == 1175  # lsinitramfs prints 1176 lines, `.` among them
    assert "scripts/local" in got.files and "usr/bin/run-init" in got.files


def test_lsinitrd_long_listing_lines(shell: str, tmp_path: Path) -> None:
    """lsinitrd prints `ls -l` lines (constructed here in its format: no dracut host)."""
    listing = tmp_path / "lsinitrd.txt"
    listing.write_text(
        "Image: /boot/initramfs-6.9.7-200.fc40.x86_64.img: 34M\n"
        "========================================================================\n"
        "Version: dracut-102-3.fc40\n\ndracut modules:\nbash\nsystemd\n"
        "========================================================================\n"
        "drwxr-xr-x  12 root root 0 Jun 12 20:00 .\n"
        "lrwxrwxrwx   1 root root 7 Jun 12 20:00 lib -> usr/lib\n"
        "-rw-r--r--   1 root root 7 Jun 12 20:00 usr/lib/dracut/modules.txt\n"
        "-rw-r--r--   1 root root 9 Jun 12 20:00 usr/lib/modules/6.9.7-200.fc40.x86_64/"
        "kernel/drivers/block/virtio_blk.ko.xz\n"
    )
    text = "fp 1:2:3\nvia lsinitrd\n" + filtered(shell, listing, "lsl")
    got = kinit.parse_listing(Section(f"{kinit.INITRAMFS}/boot/x.img", "ok", 0, text))
    assert got.generator == "dracut"
    assert got.modules_of("6.9.7-200.fc40.x86_64") == {"virtio_blk"}
    assert got.entries == 3


def test_states_say_why_and_a_cut_listing_is_not_complete() -> None:
    cut = Section(f"{kinit.INITRAMFS}/boot/a", "ok", 0, "fp 1:2:3\nseg 0 gzip\n", truncated=True)
    assert kinit.parse_listing(cut).why == "the listing was cut at its cap"
    assert not kinit.parse_listing(cut).complete
    need = Section(f"{kinit.INITRAMFS}/boot/a", "nocmd", 0, "fp 1:2:3\nseg 0 zstd\nneed zstd\n")
    assert kinit.parse_listing(need).why == "no zstd to decompress it with"
    gone = Section(f"{kinit.INITRAMFS}/boot/a", "missing", 0, "")
    assert kinit.parse_listing(gone).why == "it was not collected"


def test_real_modules_builtin_and_config_symbols() -> None:
    builtin = (CORPUS / "boot/initramfs/modules.builtin-debian12-6.1.0-50-amd64.txt").read_text()
    s = sections_from({
        f"{kinit.BUILTIN}{REL}": "fp 1:2:3\n" + builtin,
        f"{kinit.CONFIG}{REL}": "fp 1:2:3\nCONFIG_EXT4_FS=m\nCONFIG_VIRTIO_PCI=y\n"
                                "# CONFIG_EXT2_FS is not set\n",
    })  # fmt: skip
    (b,) = kinit.builtins(s)
    assert b.state == "ok" and len(b.modules) == 186
    assert "xen_kbdfront" in b.modules and "ext4" not in b.modules  # file names use '-'
    (c,) = kinit.configs(s)
    assert (c.value("EXT4_FS"), c.value("VIRTIO_PCI"), c.value("EXT2_FS")) == ("m", "y", "n")


def test_device_links_give_kernel_names_and_viewer_devices_only_tags() -> None:
    s = sections_from({
        "boot.disk:uuid": "l - 0 2b7a -> ../../vda1\nl - 0 7e1f -> ../../vda5\n",
        "boot.disk:label": "l - 0 root\\x20fs -> ../../vda1\n",
        kdev.VIEWER: "mount / 7:0 loop0 ext4\ndev loop0 loop0 /\ntag loop0 TYPE ext4\n"
                     "tag loop0 UUID 2b7a\ntag loop0 LABEL my root\n",
    })  # fmt: skip
    linked = {d.name: d.tags for d in kdev.linked_devices(s)}
    assert linked == {
        "vda1": (("label", "root\\x20fs"), ("uuid", "2b7a")),
        "vda5": (("uuid", "7e1f"),),
    }
    state, _note, viewer = kdev.viewer_devices(s)
    assert state == "ok" and viewer[0].source == "viewer" and viewer[0].mounted == "/"
    assert viewer[0].fstype == "ext4" and viewer[0].tag("label") == "my root"
    none = sections_from({kdev.VIEWER: "none no mount at or under ROOT\n"})
    assert kdev.viewer_devices(none) == ("none", "no mount at or under ROOT", ())

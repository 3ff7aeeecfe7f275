"""Bootloader and fstab parsers on real files (tests/fixtures/corpus/boot, rows of
SOURCES.tsv cited per test) and on hand-made variants of them."""

from __future__ import annotations

import json
from pathlib import Path

from cockpit.facts.boot import MISSING, PRESENT, UNKNOWN
from cockpit.parsers import boot
from cockpit.parsers.boot.bls import bls_default, parse_bls, sort_bls
from cockpit.parsers.boot.extlinux import parse_extlinux
from cockpit.parsers.boot.grub2 import parse_grub2, parse_grubenv
from cockpit.parsers.boot.grub_legacy import parse_grub_legacy
from cockpit.snapshot import Section, Sections
from tests.support import corpus, sections_from

UBUNTU_CFG = (
    "boot/grub/grub-cfg-ubuntu2204-ovh-cloudimg.txt"  # SOURCES: ClementCastel/ubuntu-2204 grub.cfg
)
K = "5.15.0-100-generic"


def ls(*names: str, empty: tuple[str, ...] = ()) -> str:
    return "".join(f"f - s {n}\n" for n in names) + "".join(f"f - 0 {n}\n" for n in empty)


def test_grub2_ubuntu_corpus_default_is_entry_0_with_its_kernel_and_initrd() -> None:
    menu = parse_grub2(corpus(UBUNTU_CFG), "/boot/grub/grub.cfg", {})
    assert [e.menu_path for e in menu.entries] == [
        "Ubuntu",
        f"Advanced options for Ubuntu>Ubuntu, with Linux {K}",
        f"Advanced options for Ubuntu>Ubuntu, with Linux {K} (recovery mode)",
    ]
    assert menu.default == 0 and menu.default_missing is None
    first = menu.entries[0]
    assert first.kernel == f"/boot/vmlinuz-{K}"
    assert first.initrds == (f"/boot/initrd.img-{K}",)
    assert first.cmdline == "root=LABEL=cloudimg-rootfs ro  console=tty1 console=ttyS0"
    assert first.entry_id == "gnulinux-simple-e8328184-226c-4e5e-9635-8142cc114051"
    assert '/boot/grub/grub.cfg: set default="0"' in menu.default_evidence


def test_grub2_next_entry_and_submenu_path() -> None:
    env = {
        "next_entry": "gnulinux-advanced-e8328184-226c-4e5e-9635-8142cc114051>"
        f"Ubuntu, with Linux {K} (recovery mode)"
    }
    menu = parse_grub2(corpus(UBUNTU_CFG), "/boot/grub/grub.cfg", env)
    assert menu.default == 2
    assert "next_entry" in menu.default_how


def test_grub2_saved_entry_naming_nothing_falls_back_to_entry_0() -> None:
    text = corpus(UBUNTU_CFG).replace('set default="0"', 'set default="${saved_entry}"')
    menu = parse_grub2(
        text, "/boot/grub/grub.cfg", {"saved_entry": "Ubuntu, with Linux 5.4.0-1-generic"}
    )
    assert menu.default == 0
    assert menu.default_missing == "Ubuntu, with Linux 5.4.0-1-generic"
    assert "falls back to entry 0" in menu.default_how
    by_number = parse_grub2(text, "/boot/grub/grub.cfg", {"saved_entry": "1>1"})
    assert by_number.default == 2 and by_number.default_missing is None


def test_grub2_efi_stub_corpus_is_a_stub() -> None:
    # SOURCES: ClementCastel/ubuntu-2204 boot/efi/EFI/ubuntu/grub.cfg
    menu = parse_grub2(
        corpus("boot/grub/efi-stub-grub-cfg-ubuntu2204-ovh.txt"),
        "/boot/efi/EFI/ubuntu/grub.cfg",
        {},
    )
    assert menu.entries == () and menu.stub_target == "/boot/grub/grub.cfg"


def test_grubenv_corpus_block_has_no_saved_entry() -> None:
    # SOURCES: ClementCastel/ubuntu-2204 boot/grub/grubenv (1024 bytes of '#' padding)
    assert parse_grubenv(corpus("boot/grub/grubenv-ubuntu2204-ovh.txt")) == {}


def test_bls_rhel_corpus_expands_grubenv_variables() -> None:
    # SOURCES: RHEL 9.3 BLS entry (code corpus id 5698124552)
    rel = "5.14.0-362.18.1.el9_3.x86_64"
    name = f"/boot/loader/entries/8215ac7e45d34823b4dce2e258c3cc47-{rel}.conf"
    text = corpus("boot/bls/rhel9.3-8215ac7e-5.14.0-362.18.1.el9_3.conf.txt")
    raw = parse_bls(text, name)
    assert raw.version == rel and raw.kernel == f"/vmlinuz-{rel}"
    assert raw.initrds == (f"/initramfs-{rel}.img", "$tuned_initrd")
    grubcfg = 'set default="${saved_entry}"\ninsmod blscfg\nblscfg\n'
    env = f"saved_entry=8215ac7e45d34823b4dce2e258c3cc47-{rel}\ntuned_params=\n"
    facts = boot.parse(
        sections_from(
            {
                "boot.file:/boot/grub2/grub.cfg": grubcfg,
                "boot.file:/boot/grub2/grubenv": env,
                "boot.bls:/boot/loader/entries": name.rsplit("/", 1)[1] + "\n",
                f"boot.bls:/boot/loader/entries:{name}": text,
                "boot.ls:/boot": ls(f"vmlinuz-{rel}", f"initramfs-{rel}.img"),
                "boot.ls:/": "d - s boot\n",
            }
        )
    )
    entry = facts.default_entry
    assert entry is not None and facts.loader is not None and facts.loader.kind == "grub2-bls"
    assert facts.default_kernel_release == rel
    assert [i.state for i in entry.initrds] == [PRESENT]  # $tuned_initrd expands to nothing
    assert "$tuned_params" not in (facts.default_cmdline or "")
    assert (facts.default_cmdline or "").startswith("root=/dev/mapper/rhel-root ro crashkernel=")


def test_bls_sorting_newest_first_and_rocky_corpus() -> None:
    # SOURCES: Rocky 9.4 BLS entry (code corpus id 11975622977), trailing space kept
    text = corpus("boot/bls/rocky9.4-e06bb992-5.14.0-427.13.1.el9_4.conf.txt")
    new = parse_bls(text, "/boot/loader/entries/e06b-5.14.0-427.13.1.el9_4.x86_64.conf")
    old = parse_bls(
        text.replace("427.13.1.el9_4", "70.13.1.el9_0"), "/boot/loader/entries/e06b-old.conf"
    )
    assert sort_bls([old, new])[0] is new
    assert bls_default([new, old], None, "", ())[0] == 0


def test_bls_fedora37_subvol_path_and_truncated_options() -> None:
    # SOURCES: Fedora 37 BLS entry (code corpus id 32228715420), options cut by a pager ('>')
    rel = "5.19.9-300.fc37.x86_64"
    name = f"/boot/loader/entries/x-{rel}.conf"
    text = corpus("boot/bls/fedora37-5.19.9-300-options-truncated-by-editor.txt")
    facts = boot.parse(
        sections_from(
            {
                "boot.file:/boot/grub2/grub.cfg": "blscfg\n",
                f"boot.bls:/boot/loader/entries:{name}": text,
                "boot.ls:/boot": ls(f"vmlinuz-{rel}", f"initramfs-{rel}.img"),
                "boot.ls:/": "d - s boot\n",
                "boot.ls:/root/boot": ("absent", ""),
                "boot.ls:/boot/root/boot": ("absent", ""),
            }
        )
    )
    entry = facts.default_entry
    assert entry is not None and entry.kernel is not None
    # /root/boot/... is the path inside the btrfs subvolume `root` (rootflags=subvol=root)
    assert entry.kernel.state == PRESENT and entry.kernel.found == f"/boot/vmlinuz-{rel}"


def test_extlinux_emuelec_corpus_no_default_first_label() -> None:
    # SOURCES: r36-ultra-playground/stock-files boot/extlinux/extlinux.conf
    menu = parse_extlinux(
        corpus("boot/extlinux/extlinux-emuelec-rk3326-r36.txt"), "/boot/extlinux/extlinux.conf"
    )
    assert menu.default == 0 and menu.entries[0].entry_id == "EmuELEC"
    assert menu.entries[0].kernel == "/KERNEL" and menu.entries[0].initrds == ()
    assert (menu.entries[0].cmdline or "").startswith("boot=UUID=0503-1725")


def test_grub_legacy_gentoo_handbook_style() -> None:
    text = (
        "default 0\ntimeout 30\n\ntitle Gentoo Linux 2.6.36-r5\nroot (hd0,0)\n"
        "kernel /boot/kernel-2.6.36-gentoo-r5 root=/dev/sda3\n\n"
        "title old\nroot (hd0,0)\nkernel (hd0,0)/boot/kernel-2.6.34 root=/dev/sda3\n"
        "initrd /boot/initramfs-2.6.34\n"
    )
    menu = parse_grub_legacy(text, "/boot/grub/grub.conf")
    assert menu.default == 0
    assert menu.entries[0].kernel == "/boot/kernel-2.6.36-gentoo-r5"
    assert menu.entries[0].initrds == () and menu.entries[0].cmdline == "root=/dev/sda3"
    assert menu.entries[1].kernel == "/boot/kernel-2.6.34"
    assert parse_grub_legacy(text.replace("default 0", "default 5"), "x").default_missing == "5"
    saved = parse_grub_legacy(text.replace("default 0", "default saved"), "x", "1\n")
    assert saved.default == 1


def test_fstab_corpus_sources_and_device_lists() -> None:
    # SOURCES: ClementCastel/ubuntu-2204 etc/fstab; jc ubuntu-18.04 fstab (trailing comment)
    ovh = corpus("boot/fstab/fstab-ubuntu2204-ovh.txt")
    facts = boot.parse(
        sections_from(
            {"boot.fstab": ovh, "boot.disk:label": "l - 0 cloudimg-rootfs -> ../../vda1\n"}
        )
    )
    states = {e.mountpoint: (e.kind, e.state) for e in facts.fstab}
    assert states == {"/": ("label", PRESENT), "/boot/efi": ("label", MISSING)}
    jc = corpus("boot/fstab/fstab-ubuntu-18.04-jc.txt")
    facts = boot.parse(
        sections_from(
            {"boot.fstab": jc, "boot.src:/swap.img": "path /swap.img\nresolved /swap.img\ntype f\n"}
        )
    )
    assert [(e.kind, e.state, e.fstype) for e in facts.fstab] == [
        ("uuid", UNKNOWN, "ext4"),
        ("path", PRESENT, "swap"),
    ]
    # Debian's unconfigured placeholder (this machine): no entries, not an error
    empty = boot.parse(
        sections_from(
            {"boot.fstab": corpus("boot/fstab/unconfigured-base-system-debian12-local.txt")}
        )
    )
    assert empty.fstab == () and empty.fstab_state == "ok"


def test_live_capture_of_this_machine_has_no_bootloader() -> None:
    data = json.loads(
        (Path(__file__).parent / "fixtures/live-firecracker-boot-sections.json").read_text()
    )
    secs = Sections({n: Section(n, v["state"], 0, v["text"]) for n, v in data["sections"].items()})
    facts = boot.parse(secs)
    assert facts.loader is None and facts.loaders == () and facts.default_cmdline is None
    assert facts.proc_cmdline is not None and "rdinit=/process_api" in facts.proc_cmdline


def test_parser_is_total_on_garbage() -> None:
    junk = "\x00\xff{{{}}}menuentry '\n}}}}\x1b[31m set default='>>>' \n" * 50
    names = [
        "boot.file:/boot/grub/grub.cfg",
        "boot.file:/boot/grub/grub.conf",
        "boot.file:/boot/extlinux.conf",
        "boot.file:/boot/loader/loader.conf",
        "boot.fstab",
        "boot.crypttab",
        "boot.ls:/boot",
        "boot.modules",
        "boot.bls:/boot/loader/entries:/boot/loader/entries/x.conf",
    ]
    facts = boot.parse(sections_from(dict.fromkeys(names, junk)))
    assert facts.issues == ()
    for fn in (parse_grub2, lambda t, p, e: parse_grub_legacy(t, p)):
        fn(junk, "x", {})
    parse_extlinux(junk, "/x")
    parse_bls(junk, "/x.conf")

"""Boot sections -> BootFacts: which bootloader, its default entry, and its files.

This module only assembles: `loaders` finds the configs (each family parsed in its own
module: grub2, grub_legacy, bls, extlinux), `choice` picks the one the next boot uses,
`entries` checks the default entry's kernel and initrd against the listings in `tree`,
`kernels` adds installed kernels and modules, `mounts` the fstab/crypttab sources.
`parse` is the one entry point other code imports, and it is total.
"""

from __future__ import annotations

from cockpit.facts.boot import BootFacts
from cockpit.facts.kernel import KernelFacts
from cockpit.parsers.boot import devices as kdev
from cockpit.parsers.boot import initramfs as kinit
from cockpit.parsers.boot.choice import choose_loader
from cockpit.parsers.boot.grubfiles import grub_files
from cockpit.parsers.boot.kernels import Releases, installed_kernels, modules_dirs
from cockpit.parsers.boot.kimage import kernel_images
from cockpit.parsers.boot.loaders import find_loaders
from cockpit.parsers.boot.mounts import device_lists, parse_table
from cockpit.parsers.boot.tree import Tree
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "boot.efivars",
    "boot.ls",
    "boot.fstab",
    "boot.crypttab",
    "boot.file",
)


def parse(sections: Sections) -> BootFacts:
    """Raises only on a bug: the guard in parsers/__init__.py turns that into unknown."""
    tree = Tree(sections)
    modules_state, modules = modules_dirs(sections)
    releases = Releases(sections, modules)
    efivars = sections.get_section("boot.efivars")
    sdboot_booted = ("LoaderInfo-" in efivars.text) if efivars.ok else None
    loaders, unreadable = find_loaders(sections, tree, releases)
    chosen, why, ambiguous = choose_loader(loaders, sdboot_booted)
    default = chosen.default if chosen else None
    boot_ls = sections.get_section("boot.ls:/boot")
    if boot_ls.state == "denied":
        unreadable.append("/boot (denied)")

    lists, targets = device_lists(sections)
    fstab_sec = sections.get_section("boot.fstab")
    fstab = (
        parse_table(fstab_sec.text, "/etc/fstab", sections, lists, targets) if fstab_sec.ok else ()
    )
    crypt_sec = sections.get_section("boot.crypttab")
    crypttab = (
        parse_table(crypt_sec.text, "/etc/crypttab", sections, lists, targets, crypttab=True)
        if crypt_sec.ok
        else ()
    )
    proc = sections.get_section("boot.file:/proc/cmdline")
    return BootFacts(
        default_cmdline=default.cmdline if default else None,
        default_kernel_release=default.release if default else None,
        loaders=tuple(loaders),
        loader=chosen,
        loader_choice=why,
        ambiguous=ambiguous,
        default_entry=default,
        boot_dir_state=boot_ls.state,
        boot_dir_entries=tuple(sorted((tree.known.get("/boot") or {}).keys()))[:400],
        unreadable=tuple(unreadable),
        installed=installed_kernels(tree, releases),
        modules_state=modules_state,
        modules=modules,
        fstab_state=fstab_sec.state,
        fstab=fstab,
        crypttab=crypttab,
        device_lists=tuple(sorted(lists.items())),
        device_targets=targets,
        kernel_images=kernel_images(sections),
        grub_files=grub_files(sections),
        proc_cmdline=clean(proc.text.strip())[:2000] if proc.ok else None,
        sdboot_booted=sdboot_booted,
        kernel=kernel_facts(sections),
    )


def kernel_facts(sections: Sections) -> KernelFacts:
    """The kernel stage's facts: initramfs listings, built-ins, configs, devices."""
    index_state, index = kinit.initrd_index(sections)
    viewer_state, viewer_note, viewer = kdev.viewer_devices(sections)
    return KernelFacts(
        initramfs=kinit.listings(sections),
        initrd_index=index,
        index_state=index_state,
        builtins=kinit.builtins(sections),
        configs=kinit.configs(sections),
        devices=kdev.linked_devices(sections),
        viewer_devices=viewer,
        viewer_state=viewer_state,
        viewer_note=viewer_note,
    )

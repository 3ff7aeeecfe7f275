"""Kernels on the host: which release a kernel file is, what /boot holds, /lib/modules.

A kernel's release is what the reboot and modules rules compare, and it is not always in
the file name (Arch's `vmlinuz-linux`, flavoured names), so it is worked out here from the
name, Arch's pkgbase files or the one matching modules directory.
"""

from __future__ import annotations

import re

from cockpit.facts.boot import MISSING, PRESENT, UNKNOWN, InstalledKernel
from cockpit.parsers.boot.tree import Tree
from cockpit.parsers.reads import reads
from cockpit.parsers.text import ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "boot.pkgbase",
    "boot.modules",
    "boot.moddep",
)

KERNEL_NAME = re.compile(r"^(?:vmlinuz|vmlinux|kernel|bzImage|Image|linux)-(.+?)(?:\.efi)?$")


class Releases:
    """Kernel release of a kernel file: from its name, or Arch's pkgbase, or a flavour."""

    def __init__(self, sections: Sections, modules: tuple[tuple[str, str], ...]) -> None:
        self.modules = [rel for rel, _ in modules]
        self.pkgbase: dict[str, str] = {}
        for sec in sections.prefixed("boot.pkgbase"):
            if sec.ok and sec.text.strip():
                self.pkgbase.setdefault(sec.text.strip().split()[0], sec.name.split(":", 1)[1])

    def of(self, filename: str) -> tuple[str | None, str]:
        match = KERNEL_NAME.match(filename)
        if not match:
            return None, "unknown"
        suffix = match.group(1)
        if "rescue" in suffix:
            return None, "rescue kernel"
        if suffix[:1].isdigit():
            return suffix, "file name"
        if suffix in self.pkgbase:
            return self.pkgbase[suffix], f"modules dir whose pkgbase is {suffix!r}"
        flavoured = [r for r in self.modules if r.endswith(f"-{suffix}")]
        if len(flavoured) == 1:
            return flavoured[0], f"the only modules dir for flavour {suffix!r}"
        return None, "unknown"


def installed_kernels(tree: Tree, releases: Releases) -> tuple[InstalledKernel, ...]:
    listing = tree.known.get("/boot") or {}
    out: list[InstalledKernel] = []
    for name, (kind, _x, nonempty, _t) in sorted(listing.items()):
        if kind not in ("f", "l") or not KERNEL_NAME.match(name) or name.endswith((".old", ".sig")):
            continue
        suffix = KERNEL_NAME.match(name).group(1)  # type: ignore[union-attr]
        release, _how = releases.of(name)
        initrd = None
        initrd_ok = False
        for cand in (
            f"initrd.img-{suffix}",
            f"initramfs-{suffix}.img",
            f"initramfs-{suffix}",
            f"initrd-{suffix}",
            f"initrd-{suffix}.img",
            f"initramfs-genkernel-x86_64-{suffix}",
        ):
            if cand in listing:
                initrd, initrd_ok = f"/boot/{cand}", listing[cand][2]
                break
        out.append(InstalledKernel(f"/boot/{name}", release, nonempty, initrd, initrd_ok))
    return tuple(out)


def modules_dirs(sections: Sections) -> tuple[str, tuple[tuple[str, str], ...]]:
    sec = sections.get_section("boot.modules")
    if not sec.ok:
        return sec.state, ()
    out: list[tuple[str, str]] = []
    for name, (kind, _x, _s, _t) in sorted(ls_entries(sec.text).items()):
        if kind not in ("d", "l"):
            continue
        dep = sections.get_section(f"boot.moddep:{name}")
        if not dep.ok:
            out.append((name, UNKNOWN if dep.state not in ("absent",) else MISSING))
            continue
        out.append((name, PRESENT if "modules.dep" in ls_entries(dep.text) else MISSING))
    return "ok", tuple(out)

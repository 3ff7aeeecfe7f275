"""`boot.grubmod:*`, `boot.grublib`, `boot.efibin:*` -> GrubFiles (GRUB beyond grub.cfg)."""

from __future__ import annotations

from cockpit.facts.boot import GrubFiles
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads("boot.grubmod", "boot.grublib", "boot.efibin")


def grub_files(sections: Sections) -> GrubFiles:
    files: list[tuple[str, str]] = []
    for sec in sections.prefixed("boot.grubmod"):
        path = clean(sec.name.partition(":")[2])
        name = path.rsplit("/", 1)[-1]
        if sec.state == "ok":
            files.append((path, "present" if name in ls_entries(sec.text) else "absent"))
        else:
            files.append((path, sec.state))  # absent: the directory is not there either
    lib = sections.get_section("boot.grublib")
    platforms: tuple[str, ...] | None = None
    if lib.state == "ok":
        platforms = tuple(sorted(n for n, e in ls_entries(lib.text).items() if e[0] == "d"))
    elif lib.state == "absent":
        platforms = ()
    images: list[str] = []
    for sec in sections.prefixed("boot.efibin"):
        if sec.ok:
            base = clean(sec.name.partition(":")[2])
            images.extend(f"{base}/{clean(n)}" for n in sorted(ls_entries(sec.text)))
    return GrubFiles(tuple(files), platforms, tuple(images))

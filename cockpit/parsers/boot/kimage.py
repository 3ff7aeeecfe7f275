"""`boot.kimage:<path>` sections -> KernelImage facts (the kernel's own header)."""

from __future__ import annotations

from cockpit.facts.boot import KernelImage
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads("boot.kimage")

PREFIX = "boot.kimage:"


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


def kernel_images(sections: Sections) -> tuple[KernelImage, ...]:
    out: list[KernelImage] = []
    for sec in sections.prefixed("boot.kimage"):
        path = clean(sec.name[len(PREFIX) :])
        if not sec.ok:
            out.append(KernelImage(path, sec.state))
            continue
        fields = dict(line.partition(" ")[::2] for line in sec.text.splitlines() if " " in line)
        size, fmt = _int(fields.get("size")), fields.get("format", "unknown")
        needed = None
        if fmt == "bzImage":
            setup, syssize = _int(fields.get("setup")), _int(fields.get("syssize"))
            if setup is not None and syssize is not None:
                # boot.rst: setup_sects 0 means 4; the real-mode part is (setup_sects+1)
                # sectors, then syssize 16-byte paragraphs of protected-mode code.
                needed = ((setup or 4) + 1) * 512 + syssize * 16
        out.append(KernelImage(path, "ok", size, fmt if fmt == "bzImage" else "unknown", needed))
    return tuple(out)

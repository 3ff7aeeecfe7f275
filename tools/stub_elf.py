"""Write tiny, valid ELF files for sample roots and tests.

A sample tree cannot ship real systemd or busybox binaries with their libraries, but the
collector's ELF check must see real program headers: this writes an ELF64 little-endian
file (x86-64) with a PT_INTERP naming the loader and a PT_DYNAMIC listing DT_NEEDED
libraries (and optionally DT_RUNPATH), and nothing else. It cannot run; it is read, never
executed.

    python tools/stub_elf.py OUT [--interp /lib64/ld-linux-x86-64.so.2]
                                 [--needed libc.so.6 ...] [--runpath DIR] [--static]
"""

from __future__ import annotations

import argparse
import os
import struct
from collections.abc import Sequence

PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
DT_NULL, DT_NEEDED, DT_STRTAB, DT_STRSZ, DT_RUNPATH = 0, 1, 5, 10, 29


def build(interp: str | None, needed: Sequence[str], runpath: str | None = None) -> bytes:
    ehsize, phentsize = 64, 56
    phnum = 1 + (1 if interp else 0) + (1 if needed or runpath else 0)
    offset = ehsize + phentsize * phnum
    interp_bytes = (interp.encode() + b"\0") if interp else b""
    interp_off = offset
    offset += len(interp_bytes)
    strtab = bytearray(b"\0")
    name_offsets = []
    for name in needed:
        name_offsets.append(len(strtab))
        strtab += name.encode() + b"\0"
    runpath_off = None
    if runpath:
        runpath_off = len(strtab)
        strtab += runpath.encode() + b"\0"
    str_off = offset
    offset += len(strtab)
    offset = (offset + 7) & ~7
    dyn_off = offset
    entries = [(DT_NEEDED, n) for n in name_offsets]
    if runpath_off is not None:
        entries.append((DT_RUNPATH, runpath_off))
    entries += [(DT_STRTAB, str_off), (DT_STRSZ, len(strtab)), (DT_NULL, 0)]
    dynamic = b"".join(struct.pack("<qQ", tag, val) for tag, val in entries)
    total = dyn_off + len(dynamic)

    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    header += struct.pack(
        "<HHIQQQIHHHHHH", 3, 62, 1, 0, ehsize, 0, 0, ehsize, phentsize, phnum, 0, 0, 0
    )
    phdrs = struct.pack("<IIQQQQQQ", PT_LOAD, 5, 0, 0, 0, total, total, 0x1000)
    if interp:
        n = len(interp_bytes)
        phdrs += struct.pack("<IIQQQQQQ", PT_INTERP, 4, interp_off, interp_off, interp_off, n, n, 1)
    if needed or runpath:
        n = len(dynamic)
        phdrs += struct.pack("<IIQQQQQQ", PT_DYNAMIC, 6, dyn_off, dyn_off, dyn_off, n, n, 8)
    body = header + phdrs + interp_bytes + bytes(strtab)
    body += b"\0" * (dyn_off - len(body))
    return body + (dynamic if (needed or runpath) else b"")


def write(path: str, interp: str | None, needed: Sequence[str], runpath: str | None = None) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(build(interp, needed, runpath))
    os.chmod(path, 0o755)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--interp", default="/lib64/ld-linux-x86-64.so.2")
    parser.add_argument("--needed", nargs="*", default=[])
    parser.add_argument("--runpath")
    parser.add_argument("--static", action="store_true", help="no interpreter, no libraries")
    args = parser.parse_args()
    if args.static:
        write(args.out, None, [])
    else:
        write(args.out, args.interp, args.needed, args.runpath)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write stub x86 kernel images for sample_hosts/: a boot-protocol header and nothing else.

Why: cockpit's entry stage checks a kernel against its own header (the length a bzImage
declares: setup sectors + syssize paragraphs), because a truncated kernel is present and
not empty and still does not boot. The sample trees' kernels were text placeholders that no
header check can prove; these stubs carry a real header (boot sector signature 0xAA55 at
0x1FE, "HdrS" at 0x202, protocol 2.15) declaring exactly the bytes the file has, and the
placeholder text as the "code", so a reader still sees what the file stands for.

    python3 tools/stub_kernel.py FILE [FILE...]     # rewrite each placeholder in place
    python3 tools/stub_kernel.py --truncate N FILE  # then cut N bytes off (a broken one)
"""

from __future__ import annotations

import argparse
import struct
from pathlib import Path

SETUP_SECTS = 1  # real-mode part: (1 + 1) * 512 bytes


def stub(text: bytes) -> bytes:
    code = text + b"\0" * (-len(text) % 16)  # whole 16-byte paragraphs
    setup = bytearray((SETUP_SECTS + 1) * 512)
    setup[0x1F1] = SETUP_SECTS
    setup[0x1F4:0x1F8] = struct.pack("<I", len(code) // 16)  # syssize
    setup[0x1FE:0x200] = b"\x55\xaa"
    setup[0x202:0x206] = b"HdrS"
    setup[0x206:0x208] = struct.pack("<H", 0x020F)
    return bytes(setup) + code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--truncate", type=int, default=0, help="cut this many bytes off the end")
    args = ap.parse_args()
    for path in args.files:
        data = path.read_bytes()
        if data[0x202:0x206] == b"HdrS":
            data = data[(SETUP_SECTS + 1) * 512 :].rstrip(b"\0")  # re-stub: keep the text
        out = stub(data)
        path.write_bytes(out[: len(out) - args.truncate] if args.truncate else out)


if __name__ == "__main__":
    main()

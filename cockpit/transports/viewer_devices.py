"""The block devices behind an offline ROOT's mounts, on the machine running cockpit.

An offline root has no /dev of its own worth reading: whether UUID=X exists is a fact of
the disk. When ROOT (or ROOT/boot, ROOT/usr...) is a mounted filesystem here, the disk
IS at hand: the devices behind those mounts, and their sibling partitions on the same
disk, carry the UUIDs, LABELs and PARTUUIDs the target's boot will look for. This module
describes them as one more section (`boot.viewer-devices`), framed and recorded like any
other, so replay sees exactly what the check saw. The viewer's kernel names (loop0p1) are
reported but are not the target's: the parser lets only tag lookups use them.

Sources: /proc/self/mountinfo (which mounts lie at or under ROOT), /sys/dev/block and
/sys/class/block (kernel name, parent disk, sibling partitions), `blkid -p -o export`
(probes the device itself, not a cache) and, where blkid is missing, the ext2/3/4
superblock read directly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid as uuidlib
from dataclasses import dataclass

SECTION = "boot.viewer-devices"
PROBE = "boot.viewer"
_KEYS = ("TYPE", "UUID", "LABEL", "PARTUUID", "PARTLABEL")
_MAX_DEVICES = 32


@dataclass(frozen=True)
class _Mount:
    mountpoint: str  # relative to ROOT: "/" or "/boot"
    majmin: str
    fstype: str
    source: str


def _unescape_mount(field: str) -> str:
    """mountinfo escapes space, tab, newline and backslash as octal (\\040)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mounts_under(root: str, mountinfo: str) -> list[_Mount]:
    """Mounts whose mount point is ROOT or below it (the last mount on a point wins)."""
    real = os.path.realpath(root).rstrip("/") or "/"
    found: dict[str, _Mount] = {}
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields, rest = left.split(), right.split()
        if not sep or len(fields) < 5 or len(rest) < 2:
            continue
        point = _unescape_mount(fields[4])
        if real == "/":
            continue  # ROOT=/ offline is this machine itself: nothing to add
        if point != real and not point.startswith(real + "/"):
            continue
        rel = point[len(real) :] or "/"
        found[rel] = _Mount(rel, fields[2], rest[0], _unescape_mount(rest[1]))
    return [found[k] for k in sorted(found)]


def _kname(majmin: str, sys: str) -> str | None:
    path = os.path.join(sys, "dev/block", majmin)
    if not os.path.exists(path):
        return None
    return os.path.basename(os.path.realpath(path))


def _disk_of(kname: str, sys: str) -> str:
    real = os.path.realpath(os.path.join(sys, "class/block", kname))
    if os.path.exists(os.path.join(real, "partition")):
        return os.path.basename(os.path.dirname(real))
    return kname


def _partitions(disk: str, sys: str) -> list[str]:
    base = os.path.realpath(os.path.join(sys, "class/block", disk))
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return []
    return [n for n in names if os.path.exists(os.path.join(base, n, "partition"))]


def _blkid(dev: str) -> dict[str, str] | None:
    exe = shutil.which("blkid")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "-p", "-o", "export", dev],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
            errors="replace",
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    out: dict[str, str] = {}
    for line in done.stdout.splitlines()[:64]:
        key, eq, value = line.partition("=")
        if eq and key in _KEYS:
            out[key] = value.replace("\\ ", " ").replace("\\\\", "\\")
    return out


def _ext_superblock(dev: str) -> dict[str, str]:
    """UUID, LABEL, TYPE of an ext2/3/4 filesystem, read from its superblock."""
    try:
        with open(dev, "rb") as fh:
            fh.seek(1024)
            sb = fh.read(1024)
    except OSError:
        return {}
    if len(sb) < 256 or sb[0x38:0x3A] != b"\x53\xef":
        return {}
    compat, incompat = (
        int.from_bytes(sb[0x5C:0x60], "little"),
        int.from_bytes(sb[0x60:0x64], "little"),
    )
    fstype = "ext4" if incompat & 0x2C0 else "ext3" if compat & 0x4 else "ext2"
    out = {"TYPE": fstype, "UUID": str(uuidlib.UUID(bytes=sb[0x68:0x78]))}
    label = sb[0x78:0x88].split(b"\0", 1)[0].decode("utf-8", "replace")
    if label:
        out["LABEL"] = label
    return out


def _partlabel(kname: str, sys: str) -> str | None:
    try:
        with open(os.path.join(sys, "class/block", kname, "uevent")) as fh:
            for line in fh:
                if line.startswith("PARTNAME="):
                    return line[len("PARTNAME=") :].rstrip("\n")
    except OSError:
        return None
    return None


def _safe(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)[:200]


def describe(root: str, proc: str = "/proc", sys: str = "/sys", dev: str = "/dev") -> str:
    """The section's text: `mount`, `dev` and `tag` lines, or `none <why>`."""
    try:
        with open(os.path.join(proc, "self/mountinfo")) as fh:
            mountinfo = fh.read(1 << 20)
    except OSError as exc:
        return f"none cannot read {proc}/self/mountinfo: {exc.strerror}\n"
    mounts = mounts_under(root, mountinfo)
    lines: list[str] = []
    devices: dict[str, tuple[str, str]] = {}  # kname -> (disk, mounted at)
    for m in mounts:
        kname = _kname(m.majmin, sys) if not m.majmin.startswith("0:") else None
        lines.append(f"mount {_safe(m.mountpoint)} {m.majmin} {kname or '-'} {_safe(m.fstype)}")
        if kname is None:
            continue
        disk = _disk_of(kname, sys)
        devices[kname] = (disk, m.mountpoint)
        for part in _partitions(disk, sys):
            devices.setdefault(part, (disk, "-"))
    if not devices:
        why = "no mount at or under ROOT" if not mounts else "ROOT's mounts have no block device"
        return "\n".join([*lines, f"none {why}"]) + "\n"
    for kname, (disk, mounted) in list(devices.items())[:_MAX_DEVICES]:
        lines.append(f"dev {kname} {disk} {_safe(mounted)}")
        path = os.path.join(dev, kname)
        tags = _blkid(path)
        if tags is None:
            tags = _ext_superblock(path)
            label = _partlabel(kname, sys)
            if label:
                tags["PARTLABEL"] = label
        for key in _KEYS:
            if tags.get(key):
                lines.append(f"tag {kname} {key} {_safe(tags[key])}")
    return "\n".join(lines) + "\n"


def framed(text: str, boundary: str) -> bytes:
    """The section as the collector frames one (collector/sh/10-frame.sh)."""
    body = text.encode("utf-8", errors="replace")
    return (
        f"{boundary} PROBE {PROBE}\n{boundary} BEGIN {SECTION}\n".encode()
        + body
        + f"\n{boundary} END 0 ok {len(body) + 1} {SECTION}\n".encode()
    )


def add_section(raw: bytes, boundary: str, text: str) -> bytes:
    """Insert the section before the run's DONE line (at the end if the run was cut)."""
    done = f"{boundary} DONE\n".encode()
    cut = raw.rfind(done)
    section = framed(text, boundary)
    if cut < 0:
        return raw + section
    return raw[:cut] + section + raw[cut:]

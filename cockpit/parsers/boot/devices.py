"""Block devices and their tags: which kernel device a UUID=/LABEL=/PARTUUID= names.

Two sources. /dev/disk/by-* links (`boot.disk:<kind>`, live or captured in an offline
tree) map a tag to the target's own kernel name (`../../vda1` -> vda1), which is what the
kernel stage needs to know the root device's driver. The viewer's devices
(`boot.viewer-devices`, added by the offline transport when ROOT or a directory under it
is a mounted filesystem on the machine running cockpit) prove that a tag exists on the
disk being looked at; their kernel names (loop0p1) are the viewer's, never the target's.
"""

from __future__ import annotations

from cockpit.facts.kernel import TAG_KINDS, BlockDevice
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py); boot.viewer-devices is
#: the offline transport's (cockpit.probes.TRANSPORT_SECTIONS), not a probe's.
READS = reads("boot.viewer-devices", "boot.disk")

VIEWER = "boot.viewer-devices"
_BLKID_KEYS = {"UUID": "uuid", "LABEL": "label", "PARTUUID": "partuuid", "PARTLABEL": "partlabel"}


def linked_devices(sections: Sections) -> tuple[BlockDevice, ...]:
    """One BlockDevice per kernel name that a /dev/disk/by-* link points at."""
    tags: dict[str, list[tuple[str, str]]] = {}
    for kind in TAG_KINDS:
        sec = sections.get_section(f"boot.disk:{kind}")
        if not sec.ok:
            continue
        for value, (_type, _x, _s, target) in ls_entries(sec.text).items():
            if not target:
                continue
            name = target.rsplit("/", 1)[-1]
            if not name or name in (".", ".."):
                continue
            tags.setdefault(clean(name), []).append((kind, clean(value)))
    return tuple(
        BlockDevice(name=name, source="links", tags=tuple(sorted(t)))
        for name, t in sorted(tags.items())
    )


def viewer_devices(sections: Sections) -> tuple[str, str, tuple[BlockDevice, ...]]:
    """(state, note, devices) from the offline transport's section."""
    sec = sections.get_section(VIEWER)
    if not sec.ok:
        return sec.state, "", ()
    disks: dict[str, tuple[str | None, str | None]] = {}
    tags: dict[str, list[tuple[str, str]]] = {}
    fstypes: dict[str, str] = {}
    note = ""
    for line in sec.text.splitlines()[:2000]:
        words = line.split(" ", 3)
        if words[0] == "none":
            note = clean(line[5:])[:300]
        elif words[0] == "dev" and len(words) >= 4:
            name, disk, mounted = words[1], words[2], words[3].strip()
            disks[clean(name)] = (
                clean(disk) if disk != "-" else None,
                clean(mounted) if mounted != "-" else None,
            )
        elif words[0] == "tag" and len(words) == 4:
            name, key, value = clean(words[1]), words[2], clean(words[3])
            if key == "TYPE":
                fstypes[name] = value
            elif key in _BLKID_KEYS:
                tags.setdefault(name, []).append((_BLKID_KEYS[key], value))
    devices = tuple(
        BlockDevice(
            name=name,
            source="viewer",
            tags=tuple(sorted(tags.get(name, ()))),
            fstype=fstypes.get(name),
            disk=disk,
            mounted=mounted,
        )
        for name, (disk, mounted) in sorted(disks.items())
    )
    if not devices and not note:
        note = "no block device behind ROOT's mounts"
    return ("ok" if devices else "none"), note, devices

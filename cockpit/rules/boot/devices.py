"""Which block device a source spec (root=, an fstab source) names, and whether it exists.

One answer for the kernel and mounts stages. A spec is found (True) or missing (False)
only against a device list that was read: the host's /dev/disk/by-* links (live or
captured in an offline tree), or, for tags only, the viewer's devices behind ROOT's
mounts. The viewer shows one disk at most: a tag it lacks is not missing, only unseen.
The target's kernel name (vda1) comes from the spec itself (`/dev/vda1`) or from a link,
never from the viewer (its loop0p1 is not what the target's kernel will call the disk).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cockpit.facts import HostFacts
from cockpit.facts.kernel import TAG_KINDS

_BY = {f"/dev/disk/by-{k}/": k for k in TAG_KINDS}
#: Plain disk partitions (or whole disks) a kernel names itself: stacked devices (dm-*,
#: md*, mapper/*, loop*) are not judged by name.
_PARTITION = re.compile(r"(sd|vd|xvd|hd)[a-z]+\d*|nvme\d+n\d+(p\d+)?|mmcblk\d+(p\d+)?")


@dataclass(frozen=True)
class SourceResolution:
    found: bool | None
    how: str
    kname: str | None = None  # the target's kernel name for it, when known
    fstype: str | None = None  # as the viewer's blkid saw the filesystem (viewer only)
    tag: tuple[str, str] | None = None  # (kind, value) when the spec is a tag


def as_tag(spec: str) -> tuple[str, str] | None:
    """`UUID=x`, `LABEL="a b"` or `/dev/disk/by-uuid/x` -> (kind, value)."""
    head, eq, val = spec.partition("=")
    if eq and head.upper() in ("UUID", "LABEL", "PARTUUID", "PARTLABEL"):
        val = val.strip()
        if len(val) >= 2 and val[0] == val[-1] and val[0] in "\"'":
            val = val[1:-1]
        return head.lower(), val
    for prefix, kind in _BY.items():
        if spec.startswith(prefix) and len(spec) > len(prefix):
            return kind, spec[len(prefix) :]
    return None


def resolve_source(facts: HostFacts, spec: str) -> SourceResolution:
    b = facts.boot
    k = b.kernel
    tag = as_tag(spec)
    if tag is not None:
        kind, val = tag
        names = b.device_list(kind)
        linked = k.device_by_tag(kind, val)
        viewer = k.viewer_by_tag(kind, val)
        vtype = viewer.fstype if viewer is not None else None
        if linked is not None:
            return SourceResolution(
                True, f"/dev/disk/by-{kind}/{val} -> {linked.name}", linked.name, vtype, tag
            )
        if names is not None and _listed(names, kind, val):
            return SourceResolution(True, f"/dev/disk/by-{kind}/{val}: present", None, vtype, tag)
        if viewer is not None:
            where = f"mounted at {viewer.mounted} of ROOT" if viewer.mounted else "beside it"
            return SourceResolution(
                True,
                f"this machine's {viewer.name} carries {kind.upper()}={val} ({where})",
                None,
                vtype,
                tag,
            )
        if names is not None:
            shown = ", ".join(names[:6]) or "(empty)"
            return SourceResolution(False, f"/dev/disk/by-{kind}: {shown}", None, None, tag)
        seen = _viewer_summary(facts)
        return SourceResolution(
            None, f"no /dev/disk/by-{kind} list to check {spec} against{seen}", None, None, tag
        )
    if spec.startswith("/dev/"):
        name = spec[len("/dev/") :]
        if name in b.device_targets:
            return SourceResolution(True, f"{spec}: a captured /dev/disk link points at it", name)
        if _PARTITION.fullmatch(name) and b.device_list("uuid") and b.device_targets:
            # udev links every filesystem it finds by UUID: a disk partition holding one is
            # the target of some link, on a live host as in a capture of it
            shown = ", ".join(b.device_targets[:8])
            how = f"{spec}: no /dev/disk/by-uuid link points at it (they point at {shown})"
            return SourceResolution(False, how, name)
        return SourceResolution(None, f"{spec}: no device list names it", name)
    return SourceResolution(None, f"{spec}: not a device name cockpit can check")


def _listed(names: tuple[str, ...], kind: str, val: str) -> bool:
    wanted = {val, val.replace(" ", "\\x20").replace("/", "\\x2f")}
    if kind in ("uuid", "partuuid"):
        wanted |= {val.lower()}
    return bool(wanted & set(names))


def _viewer_summary(facts: HostFacts) -> str:
    k = facts.boot.kernel
    if k.viewer_state == "ok":
        names = ", ".join(d.name for d in k.viewer_devices[:6])
        return f" (this machine's devices behind ROOT: {names})"
    if k.viewer_note:
        return f" ({k.viewer_note})"
    return ""


def same_filesystem(facts: HostFacts, a: str, b: str) -> bool | None:
    """Do two specs name one filesystem? True/False when the device lists tell, None when
    nothing maps one to the other (`root=/dev/vda1` vs `UUID=...` with no links)."""
    na, nb = _norm(a), _norm(b)
    if na == nb:
        return True
    ra, rb = resolve_source(facts, a), resolve_source(facts, b)
    if ra.kname and rb.kname:
        return ra.kname == rb.kname
    return None


def _norm(spec: str) -> str:
    tag = as_tag(spec)
    if tag is None:
        return spec.strip("\"'")
    kind, val = tag
    return f"{kind}={val.lower() if kind in ('uuid', 'partuuid') else val}"

"""fstab / crypttab lines and whether their sources can be found.

A source is `present` or `missing` only when the list that would hold it was read:
`UUID=`/`LABEL=`/`PARTUUID=`/`PARTLABEL=` against /dev/disk/by-* (live, or captured in an
offline tree), `/dev/...` against /dev itself (its `boot.src:` resolution; offline a
missing node only means "not captured", so the rule asks the mode), anything else
(proc, tmpfs, NFS, ZFS datasets) is `skipped`. Otherwise `unknown`.
"""

from __future__ import annotations

from cockpit.facts.boot import MISSING, PRESENT, UNKNOWN, FstabEntry
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, ls_entries, resolve_lines
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "boot.disk",
    "boot.src",
)

KINDS = {"UUID": "uuid", "LABEL": "label", "PARTUUID": "partuuid", "PARTLABEL": "partlabel"}
NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "sshfs", "fuse.sshfs", "glusterfs", "ceph", "9p"}
SKIPPED = "skipped"


def _unescape_label(value: str) -> str:
    """by-label names escape `/` and spaces as \\x2f, \\x20 (udev)."""
    return value.replace(" ", "\\x20").replace("/", "\\x2f")


def device_lists(sections: Sections) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """kind -> names in /dev/disk/by-<kind> (only kinds that were read) and link targets."""
    lists: dict[str, tuple[str, ...]] = {}
    targets: set[str] = set()
    for kind in ("uuid", "label", "partuuid", "partlabel"):
        sec = sections.get_section(f"boot.disk:{kind}")
        if not sec.ok:
            continue
        entries = ls_entries(sec.text)
        lists[kind] = tuple(sorted(entries))
        for _kind, _x, _s, target in entries.values():
            if target:
                targets.add(target.rsplit("/", 1)[-1])
    return lists, tuple(sorted(targets))


def classify(source: str, fstype: str, options: tuple[str, ...]) -> str:
    key = source.partition("=")[0]
    if "=" in source and key.upper() in KINDS:
        return KINDS[key.upper()]
    if fstype in NETWORK_FS or "_netdev" in options or source.startswith("//"):
        return "network"
    if source.startswith("/dev/"):
        return "dev"
    if source.startswith("/"):
        return "path"
    if ":" in source and not source.startswith("/"):
        return "network"
    return "special"


def _tag_value(source: str) -> str:
    value = source.partition("=")[2]
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value


def judge_source(
    source: str,
    kind: str,
    sections: Sections,
    lists: dict[str, tuple[str, ...]],
    targets: tuple[str, ...],
) -> tuple[str, str]:
    """(state, why) for one source."""
    if kind in ("special", "network"):
        return SKIPPED, f"{kind} source: not a local device"
    if kind in KINDS.values():
        value = _tag_value(source)
        names = lists.get(kind)
        if names is None:
            sec = sections.get_section(f"boot.disk:{kind}")
            return UNKNOWN, f"/dev/disk/by-{kind} not available ({sec.state})"
        wanted = {value, _unescape_label(value)}
        if kind == "uuid":
            wanted |= {value.lower()}
        if wanted & set(names):
            return PRESENT, f"/dev/disk/by-{kind}/{value} exists"
        return MISSING, f"no /dev/disk/by-{kind}/{value} among {len(names)} listed"
    sec = sections.get_section(f"boot.src:{source}")
    if sec.state == "ok":
        resolved = resolve_lines(sec.text).get("resolved", source)
        return (
            PRESENT,
            f"{source} exists ({resolved})" if resolved != source else f"{source} exists",
        )
    name = source.rsplit("/", 1)[-1]
    if kind == "dev" and name in targets:
        return PRESENT, f"a /dev/disk/by-* link points at {name}"
    if sec.state in ("absent", "dangling"):
        return MISSING, f"{source}: {sec.state}"
    return UNKNOWN, f"{source} not checked ({sec.state})"


def parse_table(
    text: str,
    path: str,
    sections: Sections,
    lists: dict[str, tuple[str, ...]],
    targets: tuple[str, ...],
    crypttab: bool = False,
) -> tuple[FstabEntry, ...]:
    """fstab (`src mnt type opts`) or crypttab (`name src key opts`) lines."""
    out: list[FstabEntry] = []
    for raw in text.splitlines()[:500]:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if crypttab:
            if len(fields) < 2:
                continue
            name, source = fields[0], fields[1]
            options = tuple(fields[3].split(",")) if len(fields) > 3 else ()
            mountpoint, fstype = f"/dev/mapper/{name}", "crypt"
        else:
            if len(fields) < 2:
                continue
            source, mountpoint = fields[0], fields[1]
            fstype = fields[2] if len(fields) > 2 else "auto"
            options = tuple(fields[3].split(",")) if len(fields) > 3 else ()
        passno = clean(fields[5]) if not crypttab and len(fields) > 5 else "0"
        kind = classify(source, fstype, options)
        if "bind" in options or "rbind" in options:
            kind = "path" if source.startswith("/") else "special"
        state, why = judge_source(source, kind, sections, lists, targets)
        out.append(
            FstabEntry(
                line=f"{path}: {clean(line)[:300]}",
                source=clean(source),
                mountpoint=clean(mountpoint),
                fstype=clean(fstype),
                options=options,
                kind=kind,
                state=state,
                why=why,
                passno=passno,
            )
        )
    return tuple(out)

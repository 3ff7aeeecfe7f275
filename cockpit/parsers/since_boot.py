"""since.* sections (collector/sh/60-since-boot.sh) -> SinceBoot facts. Pure and total.

Lines that do not parse are counted as issues and skipped, never guessed: a path with no
stamp proves nothing downstream, so dropping a garbled line can only cost a proof.
"""

from __future__ import annotations

from cockpit.facts.since_boot import Mapped, SinceBoot, Stamp
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

READS = reads("since_boot.boot", "since_boot.stat", "since_boot.absent", "init.openrc.softlevel")

_DELETED = " (deleted)"


def makedev(major: int, minor: int) -> int:
    """st_dev as glibc and musl encode it (what `stat -c %d` prints), from /proc/PID/maps'
    hex `MAJ:MIN`: the two must be compared in one encoding."""
    return (
        ((major & 0xFFFFF000) << 32)
        | ((major & 0x00000FFF) << 8)
        | ((minor & 0xFFFFFF00) << 12)
        | (minor & 0x000000FF)
    )


def _map_line(rest: str) -> Mapped | None:
    parts = rest.split(" ", 2)
    if len(parts) != 3:
        return None
    dev_text, ino_text, path = parts
    deleted = path.endswith(_DELETED)
    if deleted:
        path = path[: -len(_DELETED)]
    major, sep, minor = dev_text.partition(":")
    try:
        dev = makedev(int(major, 16), int(minor, 16)) if sep else None
        ino = int(ino_text)
    except ValueError:
        return None
    return Mapped(clean(path), dev, ino, deleted)


def _stamp(line: str) -> Stamp | None:
    parts = line.split(" ", 4)
    if len(parts) != 5 or not parts[4].startswith("/"):
        return None
    try:
        dev, ino, mtime, ctime = (int(p) for p in parts[:4])
    except ValueError:
        return None
    return Stamp(clean(parts[4]), dev, ino, mtime, ctime)


def parse(sections: Sections) -> SinceBoot:
    boot = sections.get_section("since_boot.boot")
    if boot.state in ("offline", "missing"):
        return SinceBoot(state=boot.state)
    issues: list[str] = []
    btime: int | None = None
    maps: list[Mapped] = []
    sshd: tuple[int, str] | None = None
    mounts: list[tuple[str, str]] = []
    links: list[tuple[str, str]] = []
    for line in boot.text.splitlines():
        word, _, rest = line.partition(" ")
        if word == "btime" and rest.strip().isdigit():
            btime = int(rest.strip())
        elif word == "map":
            m = _map_line(rest)
            if m is None:
                issues.append(f"since_boot.boot: unreadable line {clean(line)[:80]!r}")
            else:
                maps.append(m)
        elif word == "mnt":
            mountpoint, _, source = rest.partition(" ")
            if mountpoint.startswith("/"):
                mounts.append((clean(mountpoint), clean(source)))
        elif word == "link":
            path, _, target = rest.partition(" ")
            if path.startswith("/") and target:
                links.append((clean(path), clean(target)))
        elif word == "sshd":
            pid, _, comm = rest.partition(" ")
            if pid.isdigit() and comm:
                sshd = (int(pid), clean(comm))
        elif line.strip():
            issues.append(f"since_boot.boot: unexpected line {clean(line)[:80]!r}")
    if btime is None:
        issues.append(f"since_boot.boot: no boot time ({boot.state})")
    stat = sections.get_section("since_boot.stat")
    stamps: list[Stamp] = []
    for line in stat.text.splitlines() if stat.state in ("ok", "error") else ():
        st = _stamp(line)
        if st is None:
            if line.strip():
                issues.append(f"since_boot.stat: unreadable line {clean(line)[:80]!r}")
            continue
        stamps.append(st)
    absent_sec = sections.get_section("since_boot.absent")
    absent = tuple(clean(p) for p in absent_sec.lines() if p.startswith("/"))
    soft = sections.get_section("init.openrc.softlevel")
    return SinceBoot(
        state=boot.state,
        btime=btime,
        stamps=tuple(stamps),
        absent=absent if absent_sec.ok else (),
        stat_state=stat.state,
        stat_complete=stat.state in ("ok", "error") and not stat.truncated,
        maps=tuple(maps),
        mounts=tuple(mounts) if mounts else None,
        sshd=sshd,
        links=tuple(links),
        softlevel=clean(soft.text.strip()) or None if soft.ok else None,
        issues=tuple(issues),
    )

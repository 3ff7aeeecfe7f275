"""Parse host identity and clock sections into HostInfo."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType

from cockpit.distros import family_of
from cockpit.facts.host import HostInfo
from cockpit.parsers.reads import reads
from cockpit.parsers.text import key_values, ls_entries, resolve_lines
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "host.tz",
    "host.tz.name",
    "host.os",
    "host.os.usr",
    "host.gentoo",
    "host.mode",
    "host.clock",
    "host.osrelease",
    "host.bootid",
    "host.container",
    "host.top",
    "host.hostname",
    "host.uid",
)

_ZONEINFO = re.compile(r"zoneinfo/(?:posix/|right/)?([A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*)$")
_OFFSET = re.compile(r"^([+-])(\d\d)(\d\d)$")
_LINUX_MARKERS = ("etc", "usr", "bin", "sbin", "lib")


def _tz_name(sections: Sections) -> str | None:
    link = sections.get_section("host.tz")
    # An offline root rarely ships the zone file the link names: the name is what counts.
    if link.state in ("ok", "dangling"):
        resolved = resolve_lines(link.text)
        for candidate in (resolved.get("resolved", ""), *resolved.get("hops", "").split("\n")):
            match = _ZONEINFO.search(candidate.strip())
            if match:
                return match.group(1)
    named = sections.get_section("host.tz.name")
    if named.ok:
        name = named.text.strip().splitlines()[0] if named.text.strip() else ""
        if re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", name):
            return name
    return None


@lru_cache(maxsize=256)
def _release_fields(text: str) -> Mapping[str, str]:
    """Parsed once per distinct os-release: the host area re-parses on every refresh
    (its clock moves), and shlex-splitting the same file each time was most of it."""
    return MappingProxyType(key_values(text))


def _release(sections: Sections) -> tuple[Mapping[str, str], str | None, tuple[str, ...]]:
    """os-release (or Gentoo's release file): its fields, ID and ID_LIKE."""
    os_sec = sections.get_section("host.os")
    if not os_sec.ok:
        os_sec = sections.get_section("host.os.usr")
    release: Mapping[str, str] = _release_fields(os_sec.text) if os_sec.ok else {}
    os_id = release.get("ID") or None
    like = tuple(release.get("ID_LIKE", "").split())
    if os_id is None and sections.get_section("host.gentoo").ok:
        os_id = "gentoo"
    return release, os_id, like


def family(sections: Sections) -> str:
    """The distro family alone, for other areas' parsers: it reads only the release
    files, so their parse memo is not invalidated by the clock that ticks every refresh."""
    _, os_id, like = _release(sections)
    return family_of(os_id, like)


def is_live(sections: Sections) -> bool:
    """Live host (True) or offline root (False), from the collector's own `host.mode`."""
    return sections.get_section("host.mode").text.strip() == "live"


def parse(sections: Sections) -> HostInfo:
    return with_clock(parse_static(sections), sections)


def with_clock(info: HostInfo, sections: Sections) -> HostInfo:
    """The host's clock, read apart: it changes every refresh, the rest almost never, so
    the parse memo keeps `parse_static` and only this runs each time."""
    epoch: int | None = None
    offset: int | None = None
    clock = sections.get_section("host.clock")
    if not clock.ok:
        return info
    parts = clock.text.split()
    if parts and parts[0].isdigit():
        epoch = int(parts[0])
    if len(parts) > 1 and (m := _OFFSET.match(parts[1])):
        sign = -1 if m.group(1) == "-" else 1
        offset = sign * (int(m.group(2)) * 3600 + int(m.group(3)) * 60)
    issues = info.issues
    if epoch is None:
        issues = (*issues, f"host clock unreadable: {clock.text[:60]!r}")
    return replace(info, epoch=epoch, utc_offset=offset, issues=issues)


def parse_static(sections: Sections) -> HostInfo:
    """Everything but the clock (see `with_clock`)."""
    issues: list[str] = []
    release, os_id, like = _release(sections)
    pretty = release.get("PRETTY_NAME") or None
    if pretty is None and os_id == "gentoo":
        pretty = sections.get_section("host.gentoo").text.strip() or None

    kernel: str | None = None
    osrel = sections.get_section("host.osrelease")
    if osrel.ok and osrel.text.strip():
        kernel = osrel.text.strip().split()[0]

    boot_id_sec = sections.get_section("host.bootid")
    boot_id = boot_id_sec.text.strip() or None if boot_id_sec.ok else None
    container_sec = sections.get_section("host.container")
    container = container_sec.text.strip() or None if container_sec.ok else None

    top = sections.get_section("host.top")
    entries = ls_entries("\n".join(top.entries()))
    looks_like_linux = sum(1 for name in _LINUX_MARKERS if name in entries) >= 2
    hostname_sec = sections.get_section("host.hostname")
    hostname = hostname_sec.text.strip().split("\n")[0] or None if hostname_sec.ok else None

    uid_sec = sections.get_section("host.uid")
    ids = uid_sec.text.split() if uid_sec.ok else []
    uid = int(ids[1]) if len(ids) > 1 and ids[1].isdigit() else None

    return HostInfo(
        hostname=hostname,
        os_id=os_id,
        os_like=like,
        os_pretty=pretty,
        family=family_of(os_id, like),
        kernel_release=kernel,
        boot_id=boot_id,
        epoch=None,
        utc_offset=None,
        tz_name=_tz_name(sections),
        container=container,
        looks_like_linux=looks_like_linux,
        issues=tuple(issues),
        collector_uid=uid,
    )

"""What the collector saw of the host's files: does a path the bootloader names exist?

The boot probes list directories (`boot.ls:<dir>`, and `/` via host.top) instead of
testing each path, so a config's path is judged against those listings: present, empty,
missing (the listing shows it cannot be there) or unknown (nothing listed that says).
Never guessing a file exists is what keeps a missing-kernel BLOCKER honest.
"""

from __future__ import annotations

import posixpath
import re

from cockpit.facts.boot import EMPTY, MISSING, PRESENT, UNKNOWN, BootFile
from cockpit.parsers.reads import reads
from cockpit.parsers.text import ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "boot.ls",
    "host.top",
)

Listing = dict[str, tuple[str, bool, bool, str | None]]


class Tree:
    """The listings the collector took: which files exist where, as far as we know."""

    def __init__(self, sections: Sections) -> None:
        self.known: dict[str, Listing | None] = {}
        # `/` is listed once per run by the host probe (host.top); boot does not repeat it
        top = sections.get_section("host.top")
        if top.ok:
            self.known["/"] = ls_entries(top.text)
        for sec in sections.starting("boot.ls:"):
            name = sec.name
            path = posixpath.normpath(name[len("boot.ls:") :]) or "/"
            if sec.state == "ok":
                self.known[path] = ls_entries(sec.text)
            elif sec.state in ("absent", "notfile"):
                self.known[path] = {}
            else:
                self.known[path] = None

    def lookup(self, path: str) -> tuple[str, str | None]:
        """(state, found path) for one exact path: present/empty/missing/unknown."""
        path = posixpath.normpath(path)
        parent, name = posixpath.split(path)
        parent = parent or "/"
        if parent not in self.known:
            return (MISSING if self._ancestor_lacks(parent) else UNKNOWN), None
        listing = self.known[parent]
        if listing is None:
            return UNKNOWN, None
        entry = listing.get(name)
        if entry is None or entry[0] == "d":
            return MISSING, None
        return (PRESENT if entry[2] else EMPTY), path

    def _ancestor_lacks(self, directory: str) -> bool:
        """True when a listed ancestor shows that `directory` cannot exist."""
        child = directory
        while child not in ("/", ""):
            up, part = posixpath.split(child)
            up = up or "/"
            listing = self.known.get(up)
            if up in self.known:
                return listing is not None and part not in listing
            child = up
        return False

    def target_name(self, path: str) -> str:
        """A kernel path's file name, following one symlink hop inside its directory."""
        parent, name = posixpath.split(posixpath.normpath(path))
        listing = self.known.get(parent or "/") or {}
        entry = listing.get(name)
        if entry and entry[0] == "l" and entry[3]:
            return posixpath.basename(entry[3])
        return name


def candidates(
    written: str, prefixes: tuple[str, ...], base: str | None, cmdline: str
) -> list[str]:
    """Where a config path may live in the tree: under the config's partition or at /."""
    if not written.startswith("/"):
        return [posixpath.join(base or "/boot", written)]
    out = [posixpath.normpath(p + written) for p in prefixes] + [posixpath.normpath(written)]
    subvol = re.search(r"rootflags=\S*subvol=/?([^,\s]+)", cmdline or "")
    if subvol and written.startswith(f"/{subvol.group(1)}/"):
        out.append(posixpath.normpath(written[len(subvol.group(1)) + 1 :]))
    return list(dict.fromkeys(out))


def resolve_file(
    tree: Tree, written: str, prefixes: tuple[str, ...], base: str | None, cmdline: str
) -> BootFile:
    tried = candidates(written, prefixes, base, cmdline)
    unknown = False
    fallback: BootFile | None = None
    for cand in tried:
        state, found = tree.lookup(cand)
        if state == PRESENT:
            return BootFile(written, PRESENT, found, tuple(tried))
        if state == EMPTY and fallback is None:
            fallback = BootFile(written, EMPTY, found, tuple(tried))
        unknown = unknown or state == UNKNOWN
    if fallback is not None:
        return fallback
    return BootFile(written, UNKNOWN if unknown else MISSING, None, tuple(tried))

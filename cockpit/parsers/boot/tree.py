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
    """The listings the collector took: which files exist where, as far as we know.

    A listing cut at its cap (state `cut`) is kept: what it lists is there; a name it does
    not list may be beyond the cut, so it is unknown, never missing (a cut
    /boot once made a false UNBOOTABLE). `why` says, per unknown directory, why.
    """

    def __init__(self, sections: Sections) -> None:
        self.known: dict[str, Listing | None] = {}
        self.cut: dict[str, str] = {}
        self.why: dict[str, str] = {}
        # `/` is listed once per run by the host probe (host.top); boot does not repeat it
        named = [("host.top", "/")]
        for s in sections.starting("boot.ls:"):
            named.append((s.name, posixpath.normpath(s.name[len("boot.ls:") :]) or "/"))
        for name, path in named:
            sec = sections.get_section(name)
            if sec.state in ("ok", "cut"):
                self.known[path] = ls_entries("\n".join(sec.entries()))
                if sec.state == "cut":
                    self.cut[path] = sec.cut_note(path)
            elif name == "host.top":
                continue
            elif sec.state in ("absent", "notfile"):
                self.known[path] = {}
            else:
                self.known[path] = None
                self.why[path] = f"{path}: could not be listed ({sec.state})"

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
        if entry is None and parent in self.cut:
            return UNKNOWN, None
        if entry is None or entry[0] == "d":
            return MISSING, None
        return (PRESENT if entry[2] else EMPTY), path

    def unknown_why(self, path: str) -> str | None:
        """Why `path` is unknown: its directory's listing was cut, or not taken."""
        parent = posixpath.split(posixpath.normpath(path))[0] or "/"
        if parent in self.cut:
            return f"{self.cut[parent]}; {posixpath.basename(path)} may be beyond them (cut)"
        while parent not in self.known and parent not in ("/", ""):
            parent = posixpath.split(parent)[0] or "/"
        return self.why.get(parent)

    def _ancestor_lacks(self, directory: str) -> bool:
        """True when a listed ancestor shows that `directory` cannot exist."""
        child = directory
        while child not in ("/", ""):
            up, part = posixpath.split(child)
            up = up or "/"
            listing = self.known.get(up)
            if up in self.known:
                return listing is not None and part not in listing and up not in self.cut
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
    if unknown:
        why = next((w for w in map(tree.unknown_why, tried) if w), None)
        return BootFile(written, UNKNOWN, None, tuple(tried), why)
    return BootFile(written, MISSING, None, tuple(tried))

"""The shape every bootloader parser returns, and the text helpers they share.

Each family (GRUB 2, GRUB legacy, BLS/systemd-boot, extlinux) has its own module, but
they all hand back a `Menu` of `RawEntry`s with paths and command lines as written, so the
code that resolves paths against the host's tree (parsers/boot/entries.py) handles them
alike. Paths are resolved later because where a path points depends on which partition
the config lives on.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from cockpit.parsers.text import clean


@dataclass(frozen=True)
class RawEntry:
    """An entry as the config writes it."""

    title: str
    entry_id: str | None
    kernel: str | None
    initrds: tuple[str, ...]
    cmdline: str | None
    version: str | None  # BLS `version`
    evidence: tuple[str, ...]
    menu_path: str = ""
    #: extlinux: relative paths are relative to the config's directory.
    base_dir: str | None = None


@dataclass(frozen=True)
class Menu:
    """A bootloader's menu, and its default as asked for (index into `entries`)."""

    entries: tuple[RawEntry, ...]
    default: int | None
    default_how: str
    default_evidence: tuple[str, ...] = ()
    default_missing: str | None = None
    issues: tuple[str, ...] = ()
    uses_bls: bool = False  # GRUB 2 with `blscfg`: the menu comes from BLS entries
    stub_target: str | None = None  # EFI stub: `configfile` of another grub.cfg


def shell_words(line: str) -> list[str]:
    """Shell-like words (GRUB and BLS quote like sh); never raises."""
    try:
        return shlex.split(line, comments=False, posix=True)
    except ValueError:
        return line.split()


def evidence_line(path: str, line: str) -> str:
    return f"{path}: {clean(line.strip())[:300]}"


def strip_device(path: str) -> str:
    """`($root)/vmlinuz` and `(hd0,1)/vmlinuz` -> `/vmlinuz`."""
    if path.startswith("(") and ")" in path:
        return path[path.index(")") + 1 :] or "/"
    return path


def version_key(text: str) -> list[tuple[int, int | str]]:
    """Version-ish sort key (rpm/strverscmp-like): digits compare as numbers."""
    out: list[tuple[int, int | str]] = []
    for part in re.findall(r"\d+|[A-Za-z]+", text):
        out.append((1, int(part)) if part.isdigit() else (0, part))
    return out

"""BLS entries (/loader/entries/*.conf) and systemd-boot's loader.conf.

GRUB's `blscfg` and systemd-boot both build their menu from these files, sorted newest
first, and pick the default by id, title or glob; both callers share this module.
Pure and total: text in, `RawEntry` / settings out.
"""

from __future__ import annotations

import fnmatch
import re

from cockpit.parsers.boot.menu import RawEntry, evidence_line, version_key

_KEY_END = re.compile(r"[ \t]")


def _settings(text: str) -> list[tuple[str, str, str]]:
    """(line, key, value) for each `key value` line; blanks and comments skipped. The key
    ends at the first space or tab (both formats allow either), the value is the rest."""
    out: list[tuple[str, str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, *rest = _KEY_END.split(line, maxsplit=1)
        out.append((line, key, rest[0].strip() if rest else ""))
    return out


def parse_bls(text: str, path: str) -> RawEntry:
    """One /loader/entries/*.conf file (Boot Loader Specification type #1)."""
    keys: dict[str, str] = {}
    initrds: list[str] = []
    options: list[str] = []
    evidence: list[str] = []
    for line, key, value in _settings(text):
        if key == "initrd":
            initrds.extend(value.split())
            evidence.append(evidence_line(path, line))
        elif key == "options":
            options.append(value)
            evidence.append(evidence_line(path, line))
        else:
            keys.setdefault(key, value)
            if key in ("linux", "efi", "version"):
                evidence.append(evidence_line(path, line))
    name = path.rsplit("/", 1)[-1]
    entry_id = name[: -len(".conf")] if name.endswith(".conf") else name
    return RawEntry(
        title=keys.get("title") or entry_id,
        entry_id=entry_id,
        kernel=keys.get("linux") or keys.get("efi"),
        initrds=tuple(initrds),
        cmdline=" ".join(options) if options else None,
        version=keys.get("version"),
        evidence=tuple(evidence),
    )


def sort_bls(entries: list[RawEntry]) -> list[RawEntry]:
    """Newest first, as GRUB's blscfg and systemd-boot order their menus."""
    return sorted(entries, key=lambda e: version_key(e.version or e.entry_id or ""), reverse=True)


def bls_default(
    entries: list[RawEntry], wanted: str | None, how_wanted: str, evidence: tuple[str, ...]
) -> tuple[int | None, str, tuple[str, ...], str | None]:
    """Default among sorted BLS entries: `wanted` (id, title or glob) else the first."""
    if not entries:
        return None, "no entries", evidence, wanted
    if not wanted:
        return 0, "no default set: the first entry (highest version) boots", evidence, None
    for i, entry in enumerate(entries):
        names = (entry.entry_id or "", f"{entry.entry_id}.conf", entry.title)
        if wanted in names or any(fnmatch.fnmatchcase(n, wanted) for n in names[:2]):
            return i, how_wanted, evidence, None
        if wanted.isdigit() and int(wanted) == i:
            return i, how_wanted, evidence, None
    return 0, how_wanted + "; it names no entry, so the first entry boots", evidence, wanted


def parse_loader_conf(text: str) -> dict[str, str]:
    """loader.conf: `key value` lines (default, timeout, editor...)."""
    out: dict[str, str] = {}
    for _, key, value in _settings(text):
        out.setdefault(key, value)
    return out

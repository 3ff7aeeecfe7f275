"""A parsed menu -> a `Loader` whose entries' kernel and initrds are checked in the tree.

Bootloader parsers return paths as written; here they are expanded with GRUB's env,
looked up under the config's partition (`prefixes`) and given a kernel release, so the
rules read facts rather than config syntax.
"""

from __future__ import annotations

import posixpath
import re

from cockpit.facts.boot import BootEntry, Loader
from cockpit.parsers.boot.kernels import Releases
from cockpit.parsers.boot.menu import Menu, RawEntry
from cockpit.parsers.boot.tree import Tree, resolve_file
from cockpit.parsers.text import clean


def expand_env(text: str | None, env: dict[str, str]) -> str | None:
    """GRUB expands `$var` / `${var}` from grubenv; unset variables expand to nothing."""
    if text is None:
        return None
    out = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: env.get(m.group(1), ""), text)
    return " ".join(out.split())


def resolve_entry(
    raw: RawEntry,
    tree: Tree,
    prefixes: tuple[str, ...],
    env: dict[str, str],
    releases: Releases,
) -> BootEntry:
    cmdline = expand_env(raw.cmdline, env)
    kernel = (
        resolve_file(tree, raw.kernel, prefixes, raw.base_dir, cmdline or "")
        if raw.kernel
        else None
    )
    initrds = tuple(
        resolve_file(tree, p, prefixes, raw.base_dir, cmdline or "")
        for p in (expand_env(i, env) or "" for i in raw.initrds)
        if p
    )
    release, how = raw.version, "BLS version"
    if release is not None and "rescue" in release:
        release, how = None, "rescue entry"
    if release is None and kernel is not None:
        name = (
            tree.target_name(kernel.found) if kernel.found else posixpath.basename(kernel.written)
        )
        release, how = releases.of(name)
    return BootEntry(
        title=clean(raw.title)[:200],
        entry_id=clean(raw.entry_id) if raw.entry_id else None,
        kernel=kernel,
        initrds=initrds,
        cmdline=cmdline,
        release=release,
        release_how=how,
        evidence=raw.evidence,
        menu_path=clean(raw.menu_path)[:300],
    )


def build_loader(
    kind: str,
    config: str,
    menu: Menu,
    tree: Tree,
    prefixes: tuple[str, ...],
    env: dict[str, str],
    releases: Releases,
) -> Loader:
    entries = tuple(resolve_entry(r, tree, prefixes, env, releases) for r in menu.entries)
    default = (
        entries[menu.default] if menu.default is not None and menu.default < len(entries) else None
    )
    return Loader(
        kind=kind,
        config=config,
        entries=entries,
        default=default,
        default_how=menu.default_how,
        default_evidence=menu.default_evidence,
        default_missing=menu.default_missing,
        issues=menu.issues,
    )

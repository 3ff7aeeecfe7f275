"""Boot sections -> BootFacts: which bootloader, its default entry, and its files.

The bootloader texts are parsed in parsers/bootloaders.py; this module finds which
configs exist, picks the one the next boot uses, resolves the default entry's kernel and
initrd against the listings the collector took (never guessing a file exists), and adds
modules, installed kernels and fstab sources.
"""

from __future__ import annotations

import posixpath
import re

from cockpit.facts.boot import (
    EMPTY,
    MISSING,
    PRESENT,
    UNKNOWN,
    BootEntry,
    BootFacts,
    BootFile,
    InstalledKernel,
    Loader,
)
from cockpit.parsers import bootloaders as bl
from cockpit.parsers.boot_mounts import device_lists, parse_table
from cockpit.parsers.text import clean, ls_entries
from cockpit.snapshot import Section, Sections

Listing = dict[str, tuple[str, bool, bool, str | None]]

_KERNEL_NAME = re.compile(r"^(?:vmlinuz|vmlinux|kernel|bzImage|Image|linux)-(.+?)(?:\.efi)?$")
_ESPS = ("/boot/efi", "/efi", "/boot")
_BLS_DIRS = ("/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries")


def _file(sections: Sections, path: str) -> Section:
    return sections.get_section(f"boot.file:{path}")


class _Tree:
    """The listings the collector took: which files exist where, as far as we know."""

    def __init__(self, sections: Sections) -> None:
        self.known: dict[str, Listing | None] = {}
        # `/` is listed once per run by the host probe (host.top); boot does not repeat it
        top = sections.get_section("host.top")
        if top.ok:
            self.known["/"] = ls_entries(top.text)
        for name, sec in sections.items():
            if not name.startswith("boot.ls:"):
                continue
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


def _candidates(
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


def _resolve(
    tree: _Tree, written: str, prefixes: tuple[str, ...], base: str | None, cmdline: str
) -> BootFile:
    tried = _candidates(written, prefixes, base, cmdline)
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


def _expand(text: str | None, env: dict[str, str]) -> str | None:
    """GRUB expands `$var` / `${var}` from grubenv; unset variables expand to nothing."""
    if text is None:
        return None
    out = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: env.get(m.group(1), ""), text)
    return " ".join(out.split())


class _Releases:
    """Kernel release of a kernel file: from its name, or Arch's pkgbase, or a flavour."""

    def __init__(self, sections: Sections, modules: tuple[tuple[str, str], ...]) -> None:
        self.modules = [rel for rel, _ in modules]
        self.pkgbase: dict[str, str] = {}
        for sec in sections.prefixed("boot.pkgbase"):
            if sec.ok and sec.text.strip():
                self.pkgbase.setdefault(sec.text.strip().split()[0], sec.name.split(":", 1)[1])

    def of(self, filename: str) -> tuple[str | None, str]:
        match = _KERNEL_NAME.match(filename)
        if not match:
            return None, "unknown"
        suffix = match.group(1)
        if "rescue" in suffix:
            return None, "rescue kernel"
        if suffix[:1].isdigit():
            return suffix, "file name"
        if suffix in self.pkgbase:
            return self.pkgbase[suffix], f"modules dir whose pkgbase is {suffix!r}"
        flavoured = [r for r in self.modules if r.endswith(f"-{suffix}")]
        if len(flavoured) == 1:
            return flavoured[0], f"the only modules dir for flavour {suffix!r}"
        return None, "unknown"


def _entry(
    raw: bl.RawEntry,
    tree: _Tree,
    prefixes: tuple[str, ...],
    env: dict[str, str],
    releases: _Releases,
) -> BootEntry:
    cmdline = _expand(raw.cmdline, env)
    kernel = (
        _resolve(tree, raw.kernel, prefixes, raw.base_dir, cmdline or "") if raw.kernel else None
    )
    initrds = tuple(
        _resolve(tree, p, prefixes, raw.base_dir, cmdline or "")
        for p in (_expand(i, env) or "" for i in raw.initrds)
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


def _loader(
    kind: str,
    config: str,
    menu: bl.Menu,
    tree: _Tree,
    prefixes: tuple[str, ...],
    env: dict[str, str],
    releases: _Releases,
) -> Loader:
    entries = tuple(_entry(r, tree, prefixes, env, releases) for r in menu.entries)
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


def _bls_entries(sections: Sections, directory: str) -> tuple[list[bl.RawEntry], str]:
    listing = sections.get_section(f"boot.bls:{directory}")
    raws = [
        bl.parse_bls(sec.text, sec.name.rsplit(":", 1)[-1])
        for sec in sections.prefixed(f"boot.bls:{directory}")
        if sec.ok
    ]
    return bl.sort_bls(raws), listing.state


def _grubenv(sections: Sections, config: str) -> tuple[dict[str, str], str | None]:
    """The grubenv beside the config (GRUB's $prefix/grubenv), else any readable one."""
    beside = posixpath.join(posixpath.dirname(config), "grubenv")
    order = [beside, "/boot/grub/grubenv", "/boot/grub2/grubenv"]
    order += [
        n[len("boot.file:") :]
        for n in sections
        if n.endswith("/grubenv") and n.startswith("boot.file:")
    ]
    for path in dict.fromkeys(order):
        sec = _file(sections, path)
        if sec.ok:
            return bl.parse_grubenv(sec.text), path
    return {}, None


def _efivar(sections: Sections, name: str) -> str | None:
    sec = sections.get_section(name)
    if not sec.ok or len(sec.text) <= 4:
        return None
    value = sec.text[4:].replace("\x00", "").strip()
    return value if value and value.isprintable() else None


def _find_loaders(
    sections: Sections, tree: _Tree, releases: _Releases
) -> tuple[list[Loader], list[str]]:
    loaders: list[Loader] = []
    unreadable: list[str] = []
    wanted: str | None
    ev: tuple[str, ...]

    def note(path: str, sec: Section) -> bool:
        if sec.ok:
            return True
        if sec.state in ("denied", "error", "notfile", "dangling", "timeout"):
            unreadable.append(f"{path} ({sec.state})")
        return False

    # GRUB 2: /boot/grub*/grub.cfg and full (non-stub) configs on the ESP.
    grub_cfgs = ["/boot/grub/grub.cfg", "/boot/grub2/grub.cfg"]
    grub_cfgs += [
        n[len("boot.file:") :]
        for n in sections
        if n.startswith("boot.file:/") and "/EFI/" in n and n.endswith("/grub.cfg")
    ]
    for path in grub_cfgs:
        sec = _file(sections, path)
        if not note(path, sec):
            continue
        env, env_path = _grubenv(sections, path)
        menu = bl.parse_grub2(sec.text, path, env)
        if menu.stub_target is not None:
            continue
        if menu.uses_bls:
            raws, _ = _bls_entries(sections, "/boot/loader/entries")
            wanted, how, ev = None, "", ()
            if env.get("next_entry"):
                wanted, how = (
                    env["next_entry"],
                    f"grubenv next_entry={env['next_entry']!r} (one-shot)",
                )
                ev = (f"{env_path}: next_entry={env['next_entry']}",)
            elif env.get("saved_entry"):
                wanted, how = env["saved_entry"], f"grubenv saved_entry={env['saved_entry']!r}"
                ev = (f"{env_path}: saved_entry={env['saved_entry']}",)
            idx, how, ev, missing = bl.bls_default(raws, wanted, how, ev)
            menu = bl.Menu(tuple(raws) + menu.entries, idx, how, ev, missing, uses_bls=True)
            loaders.append(_loader("grub2-bls", path, menu, tree, ("/boot",), env, releases))
        else:
            loaders.append(_loader("grub2", path, menu, tree, ("/boot",), env, releases))

    # systemd-boot: loader.conf or its EFI binary on an ESP.
    oneshot = _efivar(sections, "boot.efivar.oneshot")
    efidefault = _efivar(sections, "boot.efivar.default")
    for esp in _ESPS:
        conf = _file(sections, f"{esp}/loader/loader.conf")
        sd_dir = tree.known.get(f"{esp}/EFI/systemd") or {}
        has_binary = any(n.lower().startswith("systemd-boot") for n in sd_dir)
        if not (conf.ok or has_binary):
            note(f"{esp}/loader/loader.conf", conf)
            continue
        settings = bl.parse_loader_conf(conf.text) if conf.ok else {}
        raws, _ = _bls_entries(sections, f"{esp}/loader/entries")
        if esp != "/boot" and not raws:
            raws, _ = _bls_entries(sections, "/boot/loader/entries")
        ukis = tree.known.get(f"{esp}/EFI/Linux") or {}
        for name in sorted(ukis, reverse=True):
            if name.lower().endswith(".efi"):
                raws.append(
                    bl.RawEntry(
                        name,
                        name,
                        f"/EFI/Linux/{name}",
                        (),
                        None,
                        None,
                        (f"{esp}/EFI/Linux/{name}",),
                    )
                )
        wanted, how, ev = None, "", ()
        if oneshot:
            wanted, how, ev = (
                oneshot,
                f"EFI LoaderEntryOneShot={oneshot!r}",
                (f"efivar LoaderEntryOneShot: {oneshot}",),
            )
        elif efidefault:
            wanted, how, ev = (
                efidefault,
                f"EFI LoaderEntryDefault={efidefault!r}",
                (f"efivar LoaderEntryDefault: {efidefault}",),
            )
        elif settings.get("default"):
            wanted = settings["default"]
            how = f"loader.conf default {wanted!r}"
            ev = (f"{esp}/loader/loader.conf: default {clean(wanted)}",)
        if wanted == "@saved":
            menu = bl.Menu(
                tuple(raws),
                None,
                "loader.conf default @saved: the last booted entry, kept in EFI variables",
                ev,
            )
        else:
            idx, how, ev, missing = bl.bls_default(raws, wanted, how, ev)
            menu = bl.Menu(tuple(raws), idx, how, ev, missing)
        cfg = f"{esp}/loader/loader.conf" if conf.ok else f"{esp}/EFI/systemd"
        loaders.append(_loader("systemd-boot", cfg, menu, tree, (esp,), {}, releases))
        break

    for path in (
        "/boot/extlinux/extlinux.conf",
        "/boot/extlinux.conf",
        "/boot/syslinux/syslinux.cfg",
    ):
        sec = _file(sections, path)
        if note(path, sec):
            loaders.append(
                _loader(
                    "extlinux",
                    path,
                    bl.parse_extlinux(sec.text, path),
                    tree,
                    ("/boot",),
                    {},
                    releases,
                )
            )
            break

    for path in ("/boot/grub/grub.conf", "/boot/grub/menu.lst"):
        sec = _file(sections, path)
        if note(path, sec):
            saved = _file(sections, "/boot/grub/default")
            menu = bl.parse_grub_legacy(sec.text, path, saved.text if saved.ok else None)
            loaders.append(_loader("grub-legacy", path, menu, tree, ("/boot",), {}, releases))
            break
    return loaders, unreadable


def _choose(loaders: list[Loader], sdboot_booted: bool | None) -> tuple[Loader | None, str, bool]:
    """Which loader the next boot uses, and why; ambiguous when it cannot be told."""
    if not loaders:
        return None, "no bootloader configuration found", False
    kinds = [ld.kind for ld in loaders]
    if sdboot_booted:
        for ld in loaders:
            if ld.kind == "systemd-boot":
                return ld, "systemd-boot started this boot (EFI Loader* variables)", False
    modern = [ld for ld in loaders if ld.kind != "grub-legacy"]
    if len(loaders) == 1:
        return loaders[0], f"the only bootloader configuration ({loaders[0].config})", False
    if len(modern) == 1:
        return (
            modern[0],
            f"{modern[0].kind} ({modern[0].config}) supersedes a leftover GRUB legacy config",
            False,
        )
    grubs = [ld for ld in modern if ld.kind.startswith("grub2")]
    if len(grubs) == len(modern):
        main = next((g for g in grubs if g.config.startswith("/boot/grub")), grubs[0])
        return main, f"GRUB 2 reads {main.config} (other copies: EFI leftovers)", False
    return (
        loaders[0],
        "several bootloaders configured ("
        + ", ".join(kinds)
        + "): which one the firmware starts cannot be told from files",
        True,
    )


def _installed(tree: _Tree, releases: _Releases) -> tuple[InstalledKernel, ...]:
    listing = tree.known.get("/boot") or {}
    out: list[InstalledKernel] = []
    for name, (kind, _x, nonempty, _t) in sorted(listing.items()):
        if (
            kind not in ("f", "l")
            or not _KERNEL_NAME.match(name)
            or name.endswith((".old", ".sig"))
        ):
            continue
        suffix = _KERNEL_NAME.match(name).group(1)  # type: ignore[union-attr]
        release, _how = releases.of(name)
        initrd = None
        initrd_ok = False
        for cand in (
            f"initrd.img-{suffix}",
            f"initramfs-{suffix}.img",
            f"initramfs-{suffix}",
            f"initrd-{suffix}",
            f"initrd-{suffix}.img",
            f"initramfs-genkernel-x86_64-{suffix}",
        ):
            if cand in listing:
                initrd, initrd_ok = f"/boot/{cand}", listing[cand][2]
                break
        out.append(InstalledKernel(f"/boot/{name}", release, nonempty, initrd, initrd_ok))
    return tuple(out)


def _modules(sections: Sections) -> tuple[str, tuple[tuple[str, str], ...]]:
    sec = sections.get_section("boot.modules")
    if not sec.ok:
        return sec.state, ()
    out: list[tuple[str, str]] = []
    for name, (kind, _x, _s, _t) in sorted(ls_entries(sec.text).items()):
        if kind not in ("d", "l"):
            continue
        dep = sections.get_section(f"boot.moddep:{name}")
        if not dep.ok:
            out.append((name, UNKNOWN if dep.state not in ("absent",) else MISSING))
            continue
        out.append((name, PRESENT if "modules.dep" in ls_entries(dep.text) else MISSING))
    return "ok", tuple(out)


def parse(sections: Sections) -> BootFacts:
    try:
        return _parse(sections)
    except Exception as exc:  # totality: a parser bug must read as unknown, never crash
        return BootFacts(issues=(f"boot parser failed: {type(exc).__name__}: {exc}"[:300],))


def _parse(sections: Sections) -> BootFacts:
    tree = _Tree(sections)
    modules_state, modules = _modules(sections)
    releases = _Releases(sections, modules)
    efivars = sections.get_section("boot.efivars")
    sdboot_booted = ("LoaderInfo-" in efivars.text) if efivars.ok else None
    loaders, unreadable = _find_loaders(sections, tree, releases)
    chosen, why, ambiguous = _choose(loaders, sdboot_booted)
    default = chosen.default if chosen else None
    boot_ls = sections.get_section("boot.ls:/boot")
    if boot_ls.state == "denied":
        unreadable.append("/boot (denied)")

    lists, targets = device_lists(sections)
    fstab_sec = sections.get_section("boot.fstab")
    fstab = (
        parse_table(fstab_sec.text, "/etc/fstab", sections, lists, targets) if fstab_sec.ok else ()
    )
    crypt_sec = sections.get_section("boot.crypttab")
    crypttab = (
        parse_table(crypt_sec.text, "/etc/crypttab", sections, lists, targets, crypttab=True)
        if crypt_sec.ok
        else ()
    )
    proc = _file(sections, "/proc/cmdline")
    return BootFacts(
        default_cmdline=default.cmdline if default else None,
        default_kernel_release=default.release if default else None,
        loaders=tuple(loaders),
        loader=chosen,
        loader_choice=why,
        ambiguous=ambiguous,
        default_entry=default,
        boot_dir_state=boot_ls.state,
        boot_dir_entries=tuple(sorted((tree.known.get("/boot") or {}).keys()))[:400],
        unreadable=tuple(unreadable),
        installed=_installed(tree, releases),
        modules_state=modules_state,
        modules=modules,
        fstab_state=fstab_sec.state,
        fstab=fstab,
        crypttab=crypttab,
        device_lists=tuple(sorted(lists.items())),
        device_targets=targets,
        proc_cmdline=clean(proc.text.strip())[:2000] if proc.ok else None,
        sdboot_booted=sdboot_booted,
    )

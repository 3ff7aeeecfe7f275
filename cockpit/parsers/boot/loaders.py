"""Which bootloader configs the host has: GRUB 2, systemd-boot, extlinux, GRUB legacy.

Each family keeps its config and its default in different places (grubenv, EFI variables,
loader.conf, /boot/grub/default); this module finds them in the sections and hands each
config to its parser. Configs that exist but cannot be read are returned apart, because
they make the verdict unknown rather than "no bootloader".
"""

from __future__ import annotations

import posixpath

from cockpit.facts.boot import Loader
from cockpit.parsers.boot.bls import bls_default, parse_bls, parse_loader_conf, sort_bls
from cockpit.parsers.boot.entries import build_loader
from cockpit.parsers.boot.extlinux import parse_extlinux
from cockpit.parsers.boot.grub2 import parse_grub2, parse_grubenv
from cockpit.parsers.boot.grub_legacy import parse_grub_legacy
from cockpit.parsers.boot.kernels import Releases
from cockpit.parsers.boot.menu import Menu, RawEntry
from cockpit.parsers.boot.tree import Tree
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import UNREAD_STATES, Section, Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "boot.file",
    "boot.bls",
    "boot.efivar.oneshot",
    "boot.efivar.default",
)

_ESPS = ("/boot/efi", "/efi", "/boot")


def _file(sections: Sections, path: str) -> Section:
    return sections.get_section(f"boot.file:{path}")


def _bls_entries(sections: Sections, directory: str) -> tuple[list[RawEntry], str]:
    listing = sections.get_section(f"boot.bls:{directory}")
    raws = [
        parse_bls(sec.text, sec.name.rsplit(":", 1)[-1])
        for sec in sections.prefixed(f"boot.bls:{directory}")
        if sec.ok
    ]
    return sort_bls(raws), listing.state


def _grubenv(sections: Sections, config: str) -> tuple[dict[str, str], str | None]:
    """The grubenv beside the config (GRUB's $prefix/grubenv), else any readable one."""
    beside = posixpath.join(posixpath.dirname(config), "grubenv")
    order = [beside, "/boot/grub/grubenv", "/boot/grub2/grubenv"]
    order += [
        s.name[len("boot.file:") :]
        for s in sections.starting("boot.file:")
        if s.name.endswith("/grubenv")
    ]
    for path in dict.fromkeys(order):
        sec = _file(sections, path)
        if sec.ok:
            return parse_grubenv(sec.text), path
    return {}, None


def _efivar(sections: Sections, name: str) -> str | None:
    sec = sections.get_section(name)
    if not sec.ok or len(sec.text) <= 4:
        return None
    value = sec.text[4:].replace("\x00", "").strip()
    return value if value and value.isprintable() else None


def find_loaders(
    sections: Sections, tree: Tree, releases: Releases
) -> tuple[list[Loader], list[str]]:
    loaders: list[Loader] = []
    unreadable: list[str] = []
    wanted: str | None
    ev: tuple[str, ...]

    def note(path: str, sec: Section) -> bool:
        if sec.ok:
            return True
        if sec.state in UNREAD_STATES:  # there, or may be, but not read: never absent
            unreadable.append(f"{path} ({sec.state})")
        return False

    # GRUB 2: /boot/grub*/grub.cfg and full (non-stub) configs on the ESP.
    grub_cfgs = ["/boot/grub/grub.cfg", "/boot/grub2/grub.cfg"]
    grub_cfgs += [
        s.name[len("boot.file:") :]
        for s in sections.starting("boot.file:/")
        if "/EFI/" in s.name and s.name.endswith("/grub.cfg")
    ]
    for path in grub_cfgs:
        sec = _file(sections, path)
        if not note(path, sec):
            continue
        env, env_path = _grubenv(sections, path)
        menu = parse_grub2(sec.text, path, env)
        if menu.stub_target is not None:
            continue
        if menu.uses_bls:
            raws, bls_state = _bls_entries(sections, "/boot/loader/entries")
            if bls_state in UNREAD_STATES:  # the default may be among the entries not read
                unreadable.append(f"/boot/loader/entries ({bls_state})")
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
            idx, how, ev, missing = bls_default(raws, wanted, how, ev)
            menu = Menu(tuple(raws) + menu.entries, idx, how, ev, missing, uses_bls=True)
            loaders.append(build_loader("grub2-bls", path, menu, tree, ("/boot",), env, releases))
        else:
            loaders.append(build_loader("grub2", path, menu, tree, ("/boot",), env, releases))

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
        settings = parse_loader_conf(conf.text) if conf.ok else {}
        raws, bls_state = _bls_entries(sections, f"{esp}/loader/entries")
        if esp != "/boot" and not raws:
            raws, bls_state = _bls_entries(sections, "/boot/loader/entries")
        if bls_state in UNREAD_STATES:
            unreadable.append(f"{esp}/loader/entries ({bls_state})")
        ukis = tree.known.get(f"{esp}/EFI/Linux") or {}
        for name in sorted(ukis, reverse=True):
            if name.lower().endswith(".efi"):
                raws.append(
                    RawEntry(
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
            menu = Menu(
                tuple(raws),
                None,
                "loader.conf default @saved: the last booted entry, kept in EFI variables",
                ev,
            )
        else:
            idx, how, ev, missing = bls_default(raws, wanted, how, ev)
            menu = Menu(tuple(raws), idx, how, ev, missing)
        cfg = f"{esp}/loader/loader.conf" if conf.ok else f"{esp}/EFI/systemd"
        loaders.append(build_loader("systemd-boot", cfg, menu, tree, (esp,), {}, releases))
        break

    for path in (
        "/boot/extlinux/extlinux.conf",
        "/boot/extlinux.conf",
        "/boot/syslinux/syslinux.cfg",
    ):
        sec = _file(sections, path)
        if note(path, sec):
            loaders.append(
                build_loader(
                    "extlinux",
                    path,
                    parse_extlinux(sec.text, path),
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
            menu = parse_grub_legacy(sec.text, path, saved.text if saved.ok else None)
            loaders.append(build_loader("grub-legacy", path, menu, tree, ("/boot",), {}, releases))
            break
    return loaders, unreadable

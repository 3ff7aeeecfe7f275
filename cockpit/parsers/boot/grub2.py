"""GRUB 2: grub.cfg menus (with submenus) and grubenv, and the entry GRUB boots by default.

GRUB's default can be a number, a title, an id or a `>` path through submenus, and is
often deferred to grubenv (`saved_entry`, one-shot `next_entry`); getting this lookup
exactly right is what tells the kernel-update-pending rule apart from a false alarm.
Pure and total: text (and env) in, `Menu` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cockpit.parsers.boot.menu import Menu, RawEntry, evidence_line, shell_words, strip_device


def parse_grubenv(text: str) -> dict[str, str]:
    """grubenv: `key=value` lines in a 1024-byte block padded with `#`."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        out[key.strip()] = value
    return out


# ---------------------------------------------------------------- GRUB 2


@dataclass
class _Node:
    title: str
    entry_id: str | None
    children: list[_Node] | None  # None: a menuentry; a list: a submenu
    kernel: str | None = None
    initrds: tuple[str, ...] = ()
    cmdline: str | None = None
    evidence: list[str] = field(default_factory=list)


_OPENER = re.compile(r"^\s*(menuentry|submenu)\s+(.*?)\s*\{\s*$")
_SET_DEFAULT = re.compile(r"""^\s*set\s+default=(["']?)(.*?)\1\s*$""")
_LINUX = ("linux", "linux16", "linuxefi")
_INITRD = ("initrd", "initrd16", "initrdefi")


def _title_and_id(args: str) -> tuple[str, str | None]:
    words = shell_words(args)
    title = words[0] if words else ""
    entry_id = None
    for i, word in enumerate(words[:-1]):
        if word in ("--id", "$menuentry_id_option", "${menuentry_id_option}"):
            entry_id = words[i + 1]
    return title, entry_id


def parse_grub2(text: str, path: str, env: dict[str, str]) -> Menu:
    """grub.cfg (grub-mkconfig output or hand-written): menuentries, submenus, default."""
    top: list[_Node] = []
    stack: list[tuple[str, _Node | None]] = []  # kind, node
    defaults: list[tuple[str, str]] = []
    uses_bls = False
    stub: str | None = None
    prefix = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        opened = _OPENER.match(line)
        if opened:
            title, entry_id = _title_and_id(opened.group(2))
            node = _Node(title, entry_id, [] if opened.group(1) == "submenu" else None)
            node.evidence.append(evidence_line(path, line))
            parent = next((n for k, n in reversed(stack) if k == "submenu"), None)
            siblings = top if parent is None else parent.children
            if siblings is not None and not any(k == "menuentry" for k, _ in stack):
                siblings.append(node)
            stack.append((opened.group(1), node))
            continue
        if line.endswith("{"):
            stack.append(("block", None))
            continue
        if line == "}" or (line.startswith("}") and line.rstrip(";").strip() == "}"):
            if stack:
                stack.pop()
            continue
        in_entry = next((n for k, n in reversed(stack) if k == "menuentry"), None)
        words = line.split(None, 1)
        head = words[0] if words else ""
        if in_entry is not None:
            if head in _LINUX and in_entry.kernel is None and len(words) > 1:
                parts = words[1].split(None, 1)
                in_entry.kernel = strip_device(parts[0])
                in_entry.cmdline = parts[1].strip() if len(parts) > 1 else ""
                in_entry.evidence.append(evidence_line(path, line))
            elif head in _INITRD and not in_entry.initrds and len(words) > 1:
                in_entry.initrds = tuple(strip_device(p) for p in words[1].split())
                in_entry.evidence.append(evidence_line(path, line))
            continue
        if head == "blscfg":
            uses_bls = True
        elif head == "configfile" and len(words) > 1:
            stub = words[1].strip()
        elif head == "set" and line.startswith("set prefix="):
            prefix = line[len("set prefix=") :]
        match = _SET_DEFAULT.match(line)
        if (match and not stack) or (match and all(k == "block" for k, _ in stack)):
            defaults.append((match.group(2), line))
    if stub and prefix and "$prefix" in stub:
        stub = stub.replace("$prefix", strip_device(prefix.replace("'", "").replace('"', "")))
    entries, paths = _flatten(top)
    menu_stub = stub if not entries and not uses_bls else None
    default, how, evidence, missing = _grub2_default(defaults, env, top, paths, path)
    return Menu(
        entries=tuple(entries),
        default=default,
        default_how=how,
        default_evidence=evidence,
        default_missing=missing,
        uses_bls=uses_bls,
        stub_target=menu_stub,
    )


def _flatten(top: list[_Node]) -> tuple[list[RawEntry], list[tuple[int, ...]]]:
    """Menu tree -> entries in menu order, with each one's index path in the tree."""
    entries: list[RawEntry] = []
    paths: list[tuple[int, ...]] = []

    def walk(nodes: list[_Node], trail: tuple[int, ...], names: tuple[str, ...]) -> None:
        for i, node in enumerate(nodes):
            if node.children is not None:
                walk(node.children, (*trail, i), (*names, node.title))
                continue
            entries.append(
                RawEntry(
                    title=node.title,
                    entry_id=node.entry_id,
                    kernel=node.kernel,
                    initrds=node.initrds,
                    cmdline=node.cmdline,
                    version=None,
                    evidence=tuple(node.evidence),
                    menu_path=">".join((*names, node.title)),
                )
            )
            paths.append((*trail, i))

    walk(top, (), ())
    return entries, paths


def _find_in_tree(top: list[_Node], spec: str) -> tuple[int, ...] | None:
    """GRUB's default lookup: `N`, a title, an id, or a `>` path of those."""
    level = top
    trail: list[int] = []
    parts = spec.split(">")
    for depth, part in enumerate(parts):
        found = None
        if part.isdigit():
            idx = int(part)
            found = idx if idx < len(level) else None
        else:
            for i, node in enumerate(level):
                if part in (node.title, node.entry_id):
                    found = i
                    break
        if found is None:
            return None
        trail.append(found)
        node = level[found]
        if node.children is not None:
            if depth == len(parts) - 1:
                # a submenu as the default: GRUB opens it; its first entry is what boots
                level = node.children
                if not level:
                    return None
                trail.append(0)
                while level[trail[-1]].children:
                    level = level[trail[-1]].children or []
                    trail.append(0)
                return tuple(trail)
            level = node.children
        elif depth != len(parts) - 1:
            return None
    return tuple(trail)


def _grub2_default(
    defaults: list[tuple[str, str]],
    env: dict[str, str],
    top: list[_Node],
    paths: list[tuple[int, ...]],
    path: str,
) -> tuple[int | None, str, tuple[str, ...], str | None]:
    evidence: list[str] = []
    value = "0"
    how = "no `set default=` in grub.cfg: GRUB boots entry 0"
    chosen = [(v, line) for v, line in defaults if "next_entry" not in v]
    if chosen:
        # the header's `set default` comes first; later ones are conditional overrides
        # (Fedora's boot counting `set default=1`) that do not apply on a normal boot
        value, line = chosen[0]
        evidence.append(evidence_line(path, line))
        how = f"grub.cfg sets default={value!r}"
    next_entry = env.get("next_entry", "")
    if next_entry and any("next_entry" in v for v, _ in defaults):
        value = next_entry
        evidence.append(f"grubenv: next_entry={next_entry}")
        how = f"grubenv next_entry={next_entry!r} (one-shot, set by grub-reboot) for the next boot"
    elif "saved_entry" in value:
        saved = env.get("saved_entry", "")
        if saved:
            value = saved
            evidence.append(f"grubenv: saved_entry={saved}")
            how = f"grubenv saved_entry={saved!r}"
        else:
            value = "0"
            how = "default is ${saved_entry} but grubenv sets none: GRUB boots entry 0"
    value = value.strip()
    if not value:
        value = "0"
    trail = _find_in_tree(top, value)
    if trail is None or trail not in paths:
        if not paths:
            return None, how, tuple(evidence), value if value != "0" else None
        return 0, how + "; it names no entry, so GRUB falls back to entry 0", tuple(evidence), value
    return paths.index(trail), how, tuple(evidence), None

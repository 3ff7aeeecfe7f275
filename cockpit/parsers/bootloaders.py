"""Bootloader config text -> menus and the entry each one boots by default.

Pure and total: each parser takes a config's text (and its env) and returns a `Menu`:
entries with the paths and command line as written, and the default as the config/env
asks for it. Paths are resolved against the host's tree later (parsers/boot.py), because
where a path points depends on which partition the config lives on.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
from dataclasses import dataclass, field

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


def _words(line: str) -> list[str]:
    """Shell-like words (GRUB and BLS quote like sh); never raises."""
    try:
        return shlex.split(line, comments=False, posix=True)
    except ValueError:
        return line.split()


def _ev(path: str, line: str) -> str:
    return f"{path}: {clean(line.strip())[:300]}"


# ---------------------------------------------------------------- grubenv


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


def _strip_device(path: str) -> str:
    """`($root)/vmlinuz` and `(hd0,1)/vmlinuz` -> `/vmlinuz`."""
    if path.startswith("(") and ")" in path:
        return path[path.index(")") + 1 :] or "/"
    return path


def _title_and_id(args: str) -> tuple[str, str | None]:
    words = _words(args)
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
            node.evidence.append(_ev(path, line))
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
                in_entry.kernel = _strip_device(parts[0])
                in_entry.cmdline = parts[1].strip() if len(parts) > 1 else ""
                in_entry.evidence.append(_ev(path, line))
            elif head in _INITRD and not in_entry.initrds and len(words) > 1:
                in_entry.initrds = tuple(_strip_device(p) for p in words[1].split())
                in_entry.evidence.append(_ev(path, line))
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
        stub = stub.replace("$prefix", _strip_device(prefix.replace("'", "").replace('"', "")))
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
        evidence.append(_ev(path, line))
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


# ---------------------------------------------------------------- BLS


def parse_bls(text: str, path: str) -> RawEntry:
    """One /loader/entries/*.conf file (Boot Loader Specification type #1)."""
    keys: dict[str, str] = {}
    initrds: list[str] = []
    options: list[str] = []
    evidence: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        if "\t" in key:
            key, _, rest = key.partition("\t")
            value = rest + " " + value
        value = value.strip()
        if key == "initrd":
            initrds.extend(value.split())
            evidence.append(_ev(path, line))
        elif key == "options":
            options.append(value)
            evidence.append(_ev(path, line))
        else:
            keys.setdefault(key, value)
            if key in ("linux", "efi", "version"):
                evidence.append(_ev(path, line))
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


def version_key(text: str) -> list[tuple[int, int | str]]:
    """Version-ish sort key (rpm/strverscmp-like): digits compare as numbers."""
    out: list[tuple[int, int | str]] = []
    for part in re.findall(r"\d+|[A-Za-z]+", text):
        out.append((1, int(part)) if part.isdigit() else (0, part))
    return out


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


# ---------------------------------------------------------------- GRUB legacy


def parse_grub_legacy(text: str, path: str, saved: str | None = None) -> Menu:
    """grub.conf / menu.lst: `default N`, `title`, `root (hd0,0)`, `kernel`, `initrd`."""
    entries: list[RawEntry] = []
    current: dict[str, object] | None = None
    default_value = "0"
    default_line = ""

    def close() -> None:
        if current is not None:
            entries.append(
                RawEntry(
                    title=str(current["title"]),
                    entry_id=None,
                    kernel=current.get("kernel"),  # type: ignore[arg-type]
                    initrds=tuple(current.get("initrds", ())),  # type: ignore[arg-type]
                    cmdline=current.get("cmdline"),  # type: ignore[arg-type]
                    version=None,
                    evidence=tuple(current["evidence"]),  # type: ignore[arg-type]
                )
            )

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"([A-Za-z_]+)(?:\s*=\s*|\s+)?(.*)$", line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "title":
            close()
            current = {"title": value, "evidence": [_ev(path, line)]}
        elif current is None:
            if key == "default":
                default_value, default_line = value, line
        elif key == "kernel" and "kernel" not in current:
            parts = value.split(None, 1)
            if parts and parts[0].startswith("--"):
                parts = value.split(None, 2)[1:] if len(value.split()) > 1 else []
            if parts:
                current["kernel"] = _strip_device(parts[0])
                current["cmdline"] = parts[1] if len(parts) > 1 else ""
            current["evidence"].append(_ev(path, line))  # type: ignore[attr-defined]
        elif key == "initrd" and "initrds" not in current:
            current["initrds"] = tuple(_strip_device(p) for p in value.split()[:1])
            current["evidence"].append(_ev(path, line))  # type: ignore[attr-defined]
        elif key == "root":
            current["evidence"].append(_ev(path, line))  # type: ignore[attr-defined]
    close()
    evidence = (_ev(path, default_line),) if default_line else ()
    how = f"grub.conf `default {default_value}`" if default_line else "no `default`: entry 0"
    if default_value == "saved":
        if saved is not None and saved.strip().split()[:1] and saved.split()[0].isdigit():
            default_value = saved.split()[0]
            how = f"`default saved`, /boot/grub/default holds {default_value}"
        else:
            return Menu(
                tuple(entries), None, "`default saved` and /boot/grub/default unreadable", evidence
            )
    if not default_value.isdigit():
        return Menu(
            tuple(entries),
            0 if entries else None,
            how + ": not a number, GRUB uses 0",
            evidence,
            default_value,
        )
    idx = int(default_value)
    if idx >= len(entries):
        if not entries:
            return Menu((), None, how, evidence, default_value)
        return Menu(
            tuple(entries),
            0,
            how + "; no such entry, GRUB falls back to entry 0",
            evidence,
            default_value,
        )
    return Menu(tuple(entries), idx, how, evidence)


# ---------------------------------------------------------------- extlinux / syslinux


def parse_extlinux(text: str, path: str) -> Menu:
    """extlinux.conf: DEFAULT, LABEL, KERNEL/LINUX, INITRD, APPEND, MENU DEFAULT."""
    base = path.rsplit("/", 1)[0] or "/"
    labels: list[dict[str, object]] = []
    default_label: str | None = None
    default_line = ""
    menu_default: int | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        key, value = key.upper(), value.strip()
        if "\t" in key:
            key, _, rest = key.partition("\t")
            value = (rest + " " + value).strip()
        if key == "LABEL":
            labels.append({"label": value, "evidence": [_ev(path, line)], "initrds": ()})
            continue
        if key == "DEFAULT" and not labels:
            default_label, default_line = value.split()[0] if value else "", line
            continue
        if not labels:
            continue
        cur = labels[-1]
        ev: list[str] = cur["evidence"]  # type: ignore[assignment]
        if key in ("KERNEL", "LINUX") and "kernel" not in cur:
            cur["kernel"] = value.split()[0] if value else ""
            ev.append(_ev(path, line))
        elif key == "INITRD":
            cur["initrds"] = tuple(p for p in value.split(",") if p)
            ev.append(_ev(path, line))
        elif key == "APPEND":
            cur["cmdline"] = value
            ev.append(_ev(path, line))
            extra = [w[len("initrd=") :] for w in value.split() if w.startswith("initrd=")]
            if extra and not cur["initrds"]:
                cur["initrds"] = tuple(p for p in extra[0].split(",") if p)
        elif key == "MENU" and value.upper() == "DEFAULT":
            menu_default = len(labels) - 1
            ev.append(_ev(path, line))
        elif key == "MENU" and value.upper().startswith("LABEL "):
            cur["title"] = value[6:].strip()
    entries = tuple(
        RawEntry(
            title=str(lab.get("title") or lab["label"]),
            entry_id=str(lab["label"]),
            kernel=lab.get("kernel"),  # type: ignore[arg-type]
            initrds=lab["initrds"],  # type: ignore[arg-type]
            cmdline=lab.get("cmdline"),  # type: ignore[arg-type]
            version=None,
            evidence=tuple(lab["evidence"]),  # type: ignore[arg-type]
            base_dir=base,
        )
        for lab in labels
    )
    evidence = (_ev(path, default_line),) if default_line else ()
    if not entries:
        return Menu((), None, "no LABEL", evidence)
    if default_label and not default_label.lower().endswith(".c32"):
        for i, entry in enumerate(entries):
            if entry.entry_id == default_label:
                return Menu(entries, i, f"DEFAULT {default_label}", evidence)
        return Menu(
            entries,
            0,
            f"DEFAULT {default_label} names no LABEL: the first LABEL",
            evidence,
            default_label,
        )
    if menu_default is not None:
        return Menu(entries, menu_default, "the LABEL marked MENU DEFAULT", evidence)
    return Menu(entries, 0, "no DEFAULT label: the first LABEL boots", evidence)


# ---------------------------------------------------------------- systemd-boot


def parse_loader_conf(text: str) -> dict[str, str]:
    """loader.conf: `key value` lines (default, timeout, editor...)."""
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        if "\t" in key:
            key, _, value = key.partition("\t")
        out.setdefault(key.strip(), value.strip())
    return out

"""Small text helpers shared by parsers: all total, none raise."""

from __future__ import annotations

import re
import shlex

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Make host text safe to show: control characters (terminal escapes) become visible."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def key_values(text: str, sep: str = "=") -> dict[str, str]:
    """`KEY=value` lines (os-release, systemd schedule files); quotes removed, last wins."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or sep not in line:
            continue
        key, _, value = line.partition(sep)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            try:
                value = shlex.split(value)[0] if value else ""
            except ValueError:
                value = value[1:-1]
        out[key.strip()] = value
    return out


def resolve_lines(text: str) -> dict[str, str]:
    """The `emit_resolve` section: {"path", "resolved", "type", "exec", "size"} plus hops."""
    out: dict[str, str] = {}
    hops: list[str] = []
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        if key == "link":
            hops.append(value)
        elif key:
            out[key] = value
    out["hops"] = "\n".join(hops)
    return out


def ls_entries(text: str) -> dict[str, tuple[str, bool, bool, str | None]]:
    """The `emit_ls` section: name -> (type, executable, non-empty, link target)."""
    out: dict[str, tuple[str, bool, bool, str | None]] = {}
    for line in text.splitlines():
        parts = line.split(" ", 3)
        if len(parts) != 4:
            continue
        kind, exe, size, rest = parts
        target: str | None = None
        if kind == "l" and " -> " in rest:
            rest, _, target = rest.partition(" -> ")
        out[rest] = (kind, exe == "x", size == "s", target)
    return out

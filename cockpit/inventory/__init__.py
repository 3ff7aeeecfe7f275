"""Inventories: which hosts to watch and how to reach each one, as `list[HostSpec]`.

Sources: cockpit's TOML inventory (DESIGN.md), Ansible INI or YAML inventories (what
most fleets already have), and HOST arguments on the command line. Every mistake is
reported with its file, line and a hint, all of them at once (InventoryError).
"""

from __future__ import annotations

import os
import re

from cockpit.hostspec import HostSpec
from cockpit.input_files import InputFileError, read_capped
from cockpit.inventory.ansible_ini import parse_ini
from cockpit.inventory.ansible_model import resolve
from cockpit.inventory.ansible_yaml import parse_yaml
from cockpit.inventory.cli_hosts import hosts_from_args
from cockpit.inventory.errors import InventoryError, Problem
from cockpit.inventory.toml_inventory import parse_toml_inventory

__all__ = ["InventoryError", "Problem", "detect_format", "hosts_from_args", "load_inventory"]

#: An inventory of the largest fleet cockpit watches (10,000 hosts, MAX_HOSTS) fits in a
#: fraction of this; the cap stops `--inventory /dev/zero`-like mistakes before memory does.
MAX_INVENTORY_BYTES = 4 << 20
#: `[[host]]` on a line of its own: `[ \t]*`, never `\s*`, which under re.MULTILINE also
#: runs over newlines and made a file of blank lines cost quadratic time.
_TOML_HOST = re.compile(r"^[ \t]*\[\[[ \t]*host[ \t]*\]\]", re.MULTILINE)
_YAML_START = re.compile(r"(---|[A-Za-z0-9_.-]+:\s*(#.*)?$|[A-Za-z0-9_.-]+:\s*\{)")


def detect_format(path: str, text: str) -> str:
    """toml | ini | yaml: by extension (.toml, .yml/.yaml, .ini), else by content: a
    `[[host]]` header is TOML (never INI); a first line `all:` or `---` is YAML;
    anything else is Ansible INI (whose files often have no extension at all)."""
    ext = os.path.splitext(path)[1].lower()
    if ext == ".toml":
        return "toml"
    if ext in (".yml", ".yaml"):
        return "yaml"
    if ext == ".ini":
        return "ini"
    if _TOML_HOST.search(text):
        return "toml"
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        return "yaml" if _YAML_START.match(stripped) else "ini"
    return "ini"


def load_inventory(path: str) -> list[HostSpec]:
    """The hosts of the inventory at `path`; InventoryError lists every problem."""
    try:
        data = read_capped(path, MAX_INVENTORY_BYTES, "an inventory")
    except InputFileError as exc:
        raise InventoryError(path, [Problem(path, 0, exc.reason)]) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InventoryError(
            path, [Problem(path, line, "not UTF-8 text", "save it as UTF-8")]
        ) from exc
    kind = detect_format(path, text)
    if kind == "toml":
        base = os.path.dirname(os.path.abspath(path))
        return parse_toml_inventory(text, path, base)
    model = parse_yaml(text, path) if kind == "yaml" else parse_ini(text, path)
    return resolve(model)

"""cockpit's own inventory format (DESIGN.md, Inventory): `[defaults]` and `[[host]]`.

Relative `root` paths are resolved against the inventory file's directory (not the
current directory), so an inventory and the trees beside it can move together and
`cockpit check --inventory` gives the same hosts from wherever it is run; `~` is expanded.
Defaults fill what a host leaves unset: `refresh` for every host, `user`, `port` and
`sudo` for ssh hosts only (they mean nothing to a local machine or an offline root).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from typing import Any

from cockpit.hostspec import HostSpec
from cockpit.inventory.durations import DURATION_HINT, parse_duration
from cockpit.inventory.errors import InventoryError, Problem, did_you_mean
from cockpit.inventory.host_patterns import (
    MAX_HOSTS,
    HostStringError,
    check_address,
    check_user,
)
from cockpit.inventory.toml_lines import TomlLines, locate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TOP_KEYS = {"defaults": "a table: [defaults]", "host": "an array of tables: [[host]]"}
DEFAULT_KEYS = ("user", "refresh", "sudo", "port")
HOST_KEYS = ("name", "address", "root", "local", "sudo", "user", "port", "tags", "refresh")
SSH_ONLY = ("user", "port", "sudo")
WAYS = ("address", "root", "local")
_TYPE_NAMES = {str: "a string", bool: "true or false", int: "a number", list: "a list"}
_EXAMPLES = {
    "name": 'name = "web1"',
    "address": 'address = "web1.example"',
    "root": 'root = "/mnt/web1"',
    "local": "local = true",
    "sudo": "sudo = true",
    "user": 'user = "root"',
    "port": "port = 22",
    "tags": 'tags = ["web", "prod"]',
    "refresh": 'refresh = "10s"',
}
_EXPECTED: dict[str, type] = {
    "name": str,
    "address": str,
    "root": str,
    "local": bool,
    "sudo": bool,
    "user": str,
    "port": int,
    "tags": list,
    "refresh": str,
}


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a table"
    return {str: "a string", int: "a number", float: "a number", list: "a list"}.get(
        type(value), type(value).__name__
    )


class _Checker:
    """Collects every problem of one file, each located with TomlLines."""

    def __init__(self, file: str, lines: TomlLines) -> None:
        self.file = file
        self.where = lines
        self.problems: list[Problem] = []

    def add(self, path: tuple[object, ...], message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, self.where.of(*path), message, hint))

    def typed(self, path: tuple[object, ...], label: str, key: str, value: object) -> bool:
        """True if `value` has the type `key` needs; else one problem and False."""
        want = _EXPECTED[key]
        ok = isinstance(value, want) and not (want is int and isinstance(value, bool))
        if ok and want is list:
            ok = all(isinstance(v, str) for v in value)  # type: ignore[attr-defined]
        if not ok:
            self.add(
                path,
                f"{label}: {key} must be {_TYPE_NAMES[want]}, not {_type_name(value)}",
                f"write {_EXAMPLES[key]}",
            )
        return ok

    def port(self, path: tuple[object, ...], label: str, value: int) -> int | None:
        if 1 <= value <= 65535:
            return value
        self.add(path, f"{label}: port {value} is not from 1 to 65535", "ssh listens on 22")
        return None

    def user(self, path: tuple[object, ...], label: str, value: str) -> str | None:
        try:
            check_user(value)
        except HostStringError as exc:
            self.add(path, f"{label}: {exc}", 'write user = "root"')
            return None
        return value

    def refresh(self, path: tuple[object, ...], label: str, value: str) -> float | None:
        seconds = parse_duration(value)
        if seconds is None:
            self.add(path, f"{label}: refresh {value!r} is not a duration", DURATION_HINT)
        return seconds

    def unknown_keys(
        self, path: tuple[object, ...], label: str, table: dict[str, Any], known: tuple[str, ...]
    ) -> None:
        for key in table:
            if key not in known:
                self.add((*path, key), f"unknown key {key!r} in {label}", did_you_mean(key, known))


def _defaults(check: _Checker, raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        check.add(("defaults",), "defaults must be a table", "write it as a [defaults] section")
        return {}
    check.unknown_keys(("defaults",), "[defaults]", raw, DEFAULT_KEYS)
    out: dict[str, Any] = {}
    for key in DEFAULT_KEYS:
        if key not in raw:
            continue
        path = ("defaults", key)
        value = raw[key]
        if not check.typed(path, "[defaults]", key, value):
            continue
        if key == "refresh":
            value = check.refresh(path, "[defaults]", value)
        elif key == "port":
            value = check.port(path, "[defaults]", value)
        elif key == "user":
            value = check.user(path, "[defaults]", value)
        if value is not None:
            out[key] = value
    return out


def _host(
    check: _Checker, index: int, raw: dict[str, Any], defaults: dict[str, Any], base_dir: str
) -> HostSpec | None:
    """One [[host]] table, or None after recording its problems."""
    at = ("host", index)
    label = f"[[host]] #{index + 1}" + (
        f" ({raw['name']})" if isinstance(raw.get("name"), str) else ""
    )
    bad = len(check.problems)
    check.unknown_keys(at, label, raw, HOST_KEYS)
    values: dict[str, Any] = {}
    for key in HOST_KEYS:
        if key in raw and check.typed((*at, key), label, key, raw[key]):
            values[key] = raw[key]
    ways = [k for k in WAYS if k in raw and raw[k] is not False]
    misspelt = [k for k in raw if k not in HOST_KEYS and difflib.get_close_matches(k, WAYS)]
    if not ways:
        if not misspelt:  # a misspelt `adress` is reported once, as an unknown key
            check.add(
                at,
                f"{label}: no way to reach it",
                'give one of address = "...", root = "...", local = true',
            )
        return None
    if len(ways) > 1:
        check.add(
            (*at, ways[1]),
            f"{label}: {' and '.join(ways)} are set together",
            "a host is reached one way: keep one (another [[host]] can name the other)",
        )
        return None
    kind = {"address": "ssh", "root": "offline", "local": "local"}[ways[0]]
    if kind != "ssh":
        for key in SSH_ONLY:
            if key in raw and raw[key] is not False:
                check.add(
                    (*at, key),
                    f"{label}: {key} applies only to ssh hosts (address = ...)",
                    f"remove {key} here"
                    + (", or run cockpit itself as root" if key == "sudo" else ""),
                )
    if "port" in values:
        values["port"] = check.port((*at, "port"), label, values["port"])
    refresh = defaults.get("refresh")
    if "refresh" in values:
        refresh = check.refresh((*at, "refresh"), label, values["refresh"])
    for key in ("name", "address", "root", "user"):
        if isinstance(values.get(key), str) and not values[key].strip():
            check.add((*at, key), f"{label}: {key} is empty", f"write {_EXAMPLES[key]}")
    if kind == "ssh" and values.get("user", "").strip():
        check.user((*at, "user"), label, values["user"])
    if kind == "ssh" and values.get("address", "").strip():
        try:
            check_address(values["address"])
        except HostStringError as exc:
            check.add((*at, "address"), f"{label}: {exc}", _address_hint(values["address"]))
        else:
            hint = _address_hint(values["address"])
            if hint:
                check.add(
                    (*at, "address"),
                    f"{label}: address {values['address']!r} is not a bare host",
                    hint,
                )
    if len(check.problems) > bad or (kind in ("ssh", "offline") and ways[0] not in values):
        return None
    root = "/"
    if kind == "offline":
        root = os.path.normpath(os.path.join(base_dir, os.path.expanduser(values["root"])))
    name = str(
        values.get("name")
        or {
            "ssh": values.get("address"),
            "offline": os.path.basename(root.rstrip("/")) or root,
            "local": os.uname().nodename or "localhost",
        }[kind]
    )
    ssh = kind == "ssh"
    return HostSpec(
        name=name,
        kind=kind,
        root=root,
        address=values.get("address") if ssh else None,
        user=values.get("user", defaults.get("user")) if ssh else None,
        port=values.get("port", defaults.get("port")) if ssh else None,
        sudo=bool(values.get("sudo", defaults.get("sudo", False))) if ssh else False,
        tags=tuple(values.get("tags", ())),
        refresh_s=refresh,
    )


def _address_hint(address: str) -> str:
    if "@" in address:
        return 'put the user in user = "..." and the bare host in address'
    if re.fullmatch(r"[^:]+:\d*", address):
        return "put the port in port = N and the bare host in address"
    if address.startswith("["):
        return "write an IPv6 address without brackets, the port in port = N"
    return ""


def _syntax_problem(file: str, exc: Exception) -> Problem:
    """tomllib's message already says where ("... (at line 3, column 8)"): keep it whole."""
    line = getattr(exc, "lineno", None)
    if not isinstance(line, int):
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else 0
    return Problem(file, line, f"TOML syntax: {exc}", "see https://toml.io for the syntax")


def parse_toml_inventory(text: str, file: str, base_dir: str) -> list[HostSpec]:
    """Hosts of one TOML inventory, or InventoryError with every problem in it."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InventoryError(file, [_syntax_problem(file, exc)]) from exc
    except RecursionError:  # tomllib recurses into nested arrays: `a = [[[[...`
        problem = Problem(file, 0, "TOML nested too deeply to read", "is it generated?")
        raise InventoryError(file, [problem]) from None
    check = _Checker(file, locate(text))
    for key in doc:
        if key not in TOP_KEYS:
            check.add((key,), f"unknown top-level key {key!r}", did_you_mean(key, TOP_KEYS))
    defaults = _defaults(check, doc.get("defaults", {}))
    hosts_raw = doc.get("host", [])
    if not isinstance(hosts_raw, list):
        check.add(
            ("host",),
            "host must be an array of tables",
            "write each host as [[host]] (double brackets)",
        )
        hosts_raw = []
    if len(hosts_raw) > MAX_HOSTS:  # said before 50,000 hosts are checked one by one
        check.add(
            ("host", MAX_HOSTS),
            f"{len(hosts_raw)} hosts, more than the {MAX_HOSTS} an inventory may name",
            "split the fleet into several inventories",
        )
        raise InventoryError(file, check.problems)
    specs: list[HostSpec] = []
    first_line: dict[str, int] = {}
    for index, raw in enumerate(hosts_raw):
        if not isinstance(raw, dict):
            check.add(("host",), f"host #{index + 1} is not a table", "write each host as [[host]]")
            continue
        spec = _host(check, index, raw, defaults, base_dir)
        name = raw.get("name") if isinstance(raw.get("name"), str) else spec and spec.name
        if name:
            name_path = ("host", index, "name") if "name" in raw else ("host", index)
            if name in first_line:
                check.add(
                    name_path,
                    f"duplicate host name {name!r} (first at line {first_line[name]})",
                    'give each host its own name = "..."',
                )
                continue
            first_line[name] = check.where.of(*name_path)
        if spec is not None:
            specs.append(spec)
    if not hosts_raw and not check.problems:
        check.add(
            (),
            "no hosts",
            'add a [[host]] table with address = "...", root = "..." or local = true',
        )
    if check.problems:
        raise InventoryError(file, check.problems)
    return specs

"""Ansible's INI inventory: `[group]` host lines with `key=value` variables,
`[group:vars]`, `[group:children]`, hosts before any section in `ungrouped`,
`host:port`, and ranges (`web[01:03].example`, `db-[a:c]`, `[1:9:2]`)."""

from __future__ import annotations

import re
import shlex

from cockpit.inventory.ansible_model import AnsibleModel, Var
from cockpit.inventory.host_patterns import HostStringError, ansible_host_pattern

_SECTION = re.compile(r"\[([^\]\s]+)\]\s*(?:[#;].*)?")
_KINDS = ("hosts", "vars", "children")
_V6_HOST = re.compile(r"\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\](:\S*)?(\s|$)")


def parse_ini(text: str, file: str) -> AnsibleModel:
    model = AnsibleModel(file)
    group, kind = "ungrouped", "hosts"
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        section = _SECTION.fullmatch(line)
        if re.fullmatch(r"\[.*\]\s*(?:[#;].*)?", line):  # as Ansible: [...] is a section
            if section is None:
                model.problem(
                    lineno,
                    f"section header {line!r} is malformed",
                    "write [group], [group:vars] or [group:children]",
                )
                group, kind = "", "skip"
                continue
            group, _, kind = section.group(1).partition(":")
            kind = kind or "hosts"
            if kind not in _KINDS:
                model.problem(
                    lineno,
                    f"section [{section.group(1)}]: unknown kind {kind!r}",
                    "use :vars or :children",
                )
                kind = "skip"
                continue
            model.group(group, lineno)
            continue
        if line.startswith("[") and not _V6_HOST.match(line):
            model.problem(lineno, f"section header {line!r} is malformed", "close it: [group]")
            group, kind = "", "skip"
            continue
        if kind == "skip":
            continue
        if kind == "vars":
            key, eq, value = line.partition("=")
            if not eq or not key.strip() or len(key.split()) > 1:
                model.problem(
                    lineno, f"[{group}:vars]: {line!r} is not key=value", "write ansible_user=admin"
                )
                continue
            model.groups[group].vars[key.strip()] = Var(_unquote(value.strip()), lineno)
        elif kind == "children":
            model.groups[group].children.append((line.split()[0], lineno))
        else:
            _host_line(model, group, lineno, line)
    return model


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _host_line(model: AnsibleModel, group: str, lineno: int, line: str) -> None:
    try:
        tokens = shlex.split(line, comments=True)
    except ValueError as exc:
        model.problem(lineno, f"cannot split {line!r}: {exc}", "close the quote")
        return
    if not tokens:
        return
    pattern, *pairs = tokens
    hvars: dict[str, Var] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key:
            model.problem(
                lineno,
                f"host {pattern}: {pair!r} is not key=value",
                "write variables as ansible_host=10.0.0.5 after the host",
            )
            continue
        hvars[key] = Var(value, lineno)
    try:
        names, port = ansible_host_pattern(pattern, model.room())
    except HostStringError as exc:
        model.problem(
            lineno, f"host {pattern}: {exc}", "write host, host:port or web[01:03].example"
        )
        return
    if port is not None and "ansible_port" not in hvars:
        hvars["ansible_port"] = Var(port, lineno)
    for name in names:
        model.add_host(group, name, lineno, dict(hvars))

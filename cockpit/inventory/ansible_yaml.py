"""Ansible's YAML inventory: `all:` (or any top-level group) with `hosts:`, `vars:` and
`children:`. Read as a node tree (yaml.compose) rather than plain values, so that every
host and variable keeps its line for the error messages.

YAML's aliases make the tree a graph: nine aliases of nine aliases of ... is a few
hundred bytes that stand for billions of entries (an "alias bomb"), and an alias inside
its own anchor is a loop. Before anything walks the tree, `_expansion_problem` measures
it on the graph, each node once: too big, or a loop, is one problem with its line.
PyYAML's pure-Python composer is used (not libyaml's, which has no depth limit and
crashes the process on 100,000 nested `[`), within a size cap that keeps it fast."""

from __future__ import annotations

from typing import Any

import yaml

from cockpit.inventory.ansible_model import AnsibleModel, Var
from cockpit.inventory.errors import InventoryError, Problem, did_you_mean
from cockpit.inventory.host_patterns import HostStringError, ansible_host_pattern

GROUP_KEYS = ("hosts", "vars", "children")
#: PyYAML's pure-Python composer reads ~0.25 MiB/s: a YAML inventory larger than this
#: would take seconds to read (10,000 hosts with a few variables each fit in about half).
MAX_YAML_BYTES = 1 << 20
#: Entries the tree may stand for once every alias is followed: 100x a 10,000-host fleet.
MAX_EXPANDED = 1_000_000
MAX_GROUP_DEPTH = 50


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _scalar(node: yaml.Node) -> object:
    """The value as PyYAML's safe loader builds it (YAML 1.1 types, as Ansible reads them)."""
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _mapping(model: AnsibleModel, node: yaml.Node, what: str) -> list[tuple[Any, Any]]:
    if _is_null(node):
        return []
    if not isinstance(node, yaml.MappingNode):
        model.problem(
            _line(node), f"{what} must be a mapping", f"write {what}: followed by indented entries"
        )
        return []
    pairs = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            model.problem(_line(key), f"{what}: a key is not a plain name", "")
            continue
        pairs.append((key, value))
    return pairs


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _expansion_problem(root: yaml.Node) -> tuple[int, str] | None:
    """(line, message) if the tree `root` stands for is too big or holds a loop.

    Iterative depth-first walk of the node graph: a node's expanded size is 1 plus its
    children's, computed once per node (shared nodes are aliases), so the cost is the
    graph's size whatever the tree's. A child still on the current path is a loop.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            if size[key] > MAX_EXPANDED:
                return _line(node), (
                    f"its aliases expand to more than {MAX_EXPANDED} entries (an alias bomb?)"
                )
            continue
        if key in size:
            continue
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                return _line(child), "an alias refers to a node that contains it (a loop)"
            if id(child) not in size:
                stack.append((child, False))
    return None


def _group(model: AnsibleModel, name: str, key: yaml.Node, body: yaml.Node, depth: int = 0) -> None:
    if depth > MAX_GROUP_DEPTH:
        model.problem(_line(key), f"children nest more than {MAX_GROUP_DEPTH} deep", "flatten them")
        return
    model.group(name, _line(key))
    for k, value in _mapping(model, body, f"group {name}"):
        if k.value not in GROUP_KEYS:
            model.problem(
                _line(k),
                f"group {name}: unknown key {k.value!r}",
                did_you_mean(k.value, GROUP_KEYS),
            )
        elif k.value == "vars":
            for vk, vv in _mapping(model, value, f"{name}: vars"):
                model.groups[name].vars[vk.value] = Var(_scalar(vv), _line(vk))
        elif k.value == "hosts":
            for hk, hv in _mapping(model, value, f"{name}: hosts"):
                hvars = {
                    vk.value: Var(_scalar(vv), _line(vk))
                    for vk, vv in _mapping(model, hv, f"host {hk.value}")
                }
                try:
                    names, port = ansible_host_pattern(str(hk.value), model.room())
                except HostStringError as exc:
                    model.problem(_line(hk), f"host {hk.value}: {exc}", "write web[01:03].example")
                    continue
                if port is not None and "ansible_port" not in hvars:
                    hvars["ansible_port"] = Var(port, _line(hk))
                for host in names:
                    model.add_host(name, host, _line(hk), dict(hvars))
        else:
            for ck, cv in _mapping(model, value, f"{name}: children"):
                model.groups[name].children.append((ck.value, _line(ck)))
                _group(model, ck.value, ck, cv, depth + 1)


def _refuse(file: str, line: int, message: str, hint: str = "") -> InventoryError:
    return InventoryError(file, [Problem(file, line, message, hint)])


def parse_yaml(text: str, file: str) -> AnsibleModel:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_YAML_BYTES:
        raise _refuse(
            file,
            0,
            f"a YAML inventory of {size} bytes; cockpit reads YAML up to {MAX_YAML_BYTES}",
            "split it, or write it as an INI inventory",
        )
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise _refuse(file, 0, "YAML nested too deeply to read", "is it generated?") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise InventoryError(
            file,
            [
                Problem(
                    file, line, f"YAML syntax: {exc}".replace("\n", " "), "check the indentation"
                )
            ],
        ) from exc
    model = AnsibleModel(file)
    if root is None:
        return model
    bad = _expansion_problem(root)
    if bad is not None:
        raise _refuse(file, *bad, "write each group out, without aliases")
    for key, body in _mapping(model, root, "the inventory"):
        _group(model, key.value, key, body)
    return model

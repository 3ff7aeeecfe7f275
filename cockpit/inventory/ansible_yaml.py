"""Ansible's YAML inventory: `all:` (or any top-level group) with `hosts:`, `vars:` and
`children:`. Read as a node tree (yaml.compose) rather than plain values, so that every
host and variable keeps its line for the error messages."""

from __future__ import annotations

from typing import Any

import yaml

from cockpit.inventory.ansible_model import AnsibleModel, Var
from cockpit.inventory.errors import InventoryError, Problem, did_you_mean
from cockpit.inventory.host_patterns import HostStringError, ansible_host_pattern

GROUP_KEYS = ("hosts", "vars", "children")


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


def _group(model: AnsibleModel, name: str, key: yaml.Node, body: yaml.Node) -> None:
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
                    names, port = ansible_host_pattern(str(hk.value))
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
                _group(model, ck.value, ck, cv)


def parse_yaml(text: str, file: str) -> AnsibleModel:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
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
    for key, body in _mapping(model, root, "the inventory"):
        _group(model, key.value, key, body)
    return model

"""Ansible inventories, whatever their syntax, as groups of hosts with variables.

The INI and YAML readers fill this model (with the line of every host and variable);
`resolve` turns it into HostSpecs the way Ansible would: group variables apply from the
outermost group (`all`) to the innermost, host variables last; a host listed in several
groups is one host. Groups, with their parent groups, become tags (not `all` or
`ungrouped`). Of the many Ansible variables, cockpit reads only what reaches a host:
ansible_host, ansible_user, ansible_port (and their old ansible_ssh_* names),
ansible_become and ansible_connection; the rest are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.hostspec import HostSpec
from cockpit.inventory.errors import InventoryError, Problem
from cockpit.inventory.host_patterns import (
    MAX_HOSTS,
    HostStringError,
    check_address,
    check_user,
    parse_port,
)

SSH_CONNECTIONS = ("ssh", "smart", "paramiko", "paramiko_ssh")
#: Groups are resolved per group through their parents: bounded in number and in depth,
#: so a generated file of 200,000 groups each inside the next costs a message, not minutes
#: (or a RecursionError).
MAX_GROUPS = 10_000
MAX_GROUP_DEPTH = 100
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0", "")


@dataclass(frozen=True)
class Var:
    value: object
    line: int


@dataclass
class Group:
    name: str
    line: int
    vars: dict[str, Var] = field(default_factory=dict)
    hosts: list[str] = field(default_factory=list)
    children: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class AnsibleModel:
    file: str
    groups: dict[str, Group] = field(default_factory=dict)
    host_vars: dict[str, dict[str, Var]] = field(default_factory=dict)
    host_line: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, line, message, hint))

    def group(self, name: str, line: int) -> Group:
        if name not in self.groups:
            self.groups[name] = Group(name, line)
        return self.groups[name]

    def room(self) -> int:
        """How many more hosts this inventory may name (MAX_HOSTS in all)."""
        return MAX_HOSTS - len(self.host_line)

    def add_host(self, group: str, name: str, line: int, hvars: dict[str, Var]) -> None:
        members = self.group(group, line).hosts
        if name not in members:
            members.append(name)
        self.host_line.setdefault(name, line)
        self.host_vars.setdefault(name, {}).update(hvars)


def _parents(model: AnsibleModel) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {name: set() for name in model.groups}
    for group in list(model.groups.values()):
        for child, line in group.children:
            model.group(child, line)
            parents.setdefault(child, set()).add(group.name)
    return parents


def _ancestors(name: str, parents: dict[str, set[str]], model: AnsibleModel) -> list[str]:
    """`name` and every group above it, outermost first; a cycle is a problem."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(group: str, path: tuple[str, ...]) -> None:
        if len(path) >= MAX_GROUP_DEPTH:
            model.problem(
                model.groups[group].line,
                f"groups nest more than {MAX_GROUP_DEPTH} deep: {' > '.join(path[:3])} > ...",
                "flatten the :children chain",
            )
            return
        if group in path:
            line = model.groups[group].line
            model.problem(
                line,
                f"groups contain each other: {' > '.join((*path, group))}",
                "remove one of the :children entries",
            )
            return
        if group in seen:
            return
        for parent in sorted(parents.get(group, ())):
            visit(parent, (*path, group))
        seen.add(group)
        order.append(group)

    visit(name, ())
    if "all" in model.groups and "all" not in order:
        order.insert(0, "all")
    return order


def as_bool(var: Var) -> bool | None:
    if isinstance(var.value, bool):
        return var.value
    text = str(var.value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def _first(hvars: dict[str, Var], *names: str) -> Var | None:
    return next((hvars[n] for n in names if n in hvars), None)


def _spec(
    model: AnsibleModel, name: str, hvars: dict[str, Var], tags: list[str]
) -> HostSpec | None:
    line = model.host_line[name]
    before = len(model.problems)
    conn = _first(hvars, "ansible_connection")
    kind = "ssh"
    if conn is not None:
        value = str(conn.value)
        if value == "local":
            kind = "local"
        elif value not in SSH_CONNECTIONS:
            model.problem(
                conn.line,
                f"host {name}: ansible_connection={value} is not ssh",
                "cockpit reaches hosts over ssh (or local); leave this host out",
            )
    address_var = _first(hvars, "ansible_host", "ansible_ssh_host")
    address = str(address_var.value) if address_var else name
    try:
        check_address(address)
    except HostStringError as exc:
        model.problem(
            address_var.line if address_var else line,
            f"host {name}: {exc}",
            "ansible_host must be a bare host name or IP",
        )
    port: int | None = None
    port_var = _first(hvars, "ansible_port", "ansible_ssh_port")
    if port_var is not None:
        try:
            port = parse_port(str(port_var.value))
        except HostStringError as exc:
            model.problem(port_var.line, f"host {name}: {exc}", "write ansible_port=22")
    user_var = _first(hvars, "ansible_user", "ansible_ssh_user")
    if user_var is not None and kind == "ssh":
        try:
            check_user(str(user_var.value))
        except HostStringError as exc:
            model.problem(user_var.line, f"host {name}: {exc}", "write ansible_user=admin")
    sudo = False
    become = _first(hvars, "ansible_become")
    if become is not None:
        flag = as_bool(become)
        if flag is None:
            model.problem(
                become.line,
                f"host {name}: ansible_become={become.value!r} is not a boolean",
                "write ansible_become=true",
            )
        sudo = bool(flag)
    if len(model.problems) > before:
        return None
    ssh = kind == "ssh"
    return HostSpec(
        name=name,
        kind=kind,
        address=address if ssh else None,
        user=str(user_var.value) if ssh and user_var is not None else None,
        port=port if ssh else None,
        sudo=sudo if ssh else False,
        tags=tuple(tags),
    )


def resolve(model: AnsibleModel) -> list[HostSpec]:
    """HostSpecs in the order hosts first appear, or InventoryError with every problem."""
    parents = _parents(model)
    if len(model.groups) > MAX_GROUPS:
        model.problem(0, f"{len(model.groups)} groups, more than {MAX_GROUPS}", "is it generated?")
        raise InventoryError(model.file, model.problems)
    chains = {g: _ancestors(g, parents, model) for g in model.groups}
    depth = {g: len(chain) for g, chain in chains.items()}
    member_of: dict[str, set[str]] = {}
    for group in model.groups.values():
        for host in group.hosts:
            member_of.setdefault(host, set()).update(chains[group.name])
    specs: list[HostSpec] = []
    for host in sorted(model.host_line, key=model.host_line.__getitem__):
        groups = sorted(member_of.get(host, ()), key=lambda g: (depth[g], g))
        merged: dict[str, Var] = {}
        for gname in ["all", *groups] if "all" not in groups else groups:
            if gname in model.groups:
                merged.update(model.groups[gname].vars)
        merged.update(model.host_vars.get(host, {}))
        tags = [g for g in groups if g not in ("all", "ungrouped")]
        spec = _spec(model, host, merged, tags)
        if spec is not None:
            specs.append(spec)
    if not model.host_line and not model.problems:
        model.problem(0, "no hosts", "list hosts under a [group] (INI) or all: hosts: (YAML)")
    if model.problems:
        raise InventoryError(model.file, model.problems)
    return specs

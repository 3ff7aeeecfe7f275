"""Host selection shared by every subcommand: `--inventory FILE`, HOST arguments,
`--root DIR` (any combination), and the default: this machine.

Names are what the screen, the check's output and recordings key hosts by, so they are
unique across sources: an inventory's names are kept as written; a HOST argument is named
as typed (minus the user); the same name from two sources is an error naming both. An
offline root given with `--root` is named after its directory's last component (an
inventory can name it instead), with `-2`, `-3`... when that name is taken, since the
command line has no way to name it.
"""

from __future__ import annotations

import argparse
import os

from cockpit.cli.last_inventory import remember_inventory
from cockpit.hostspec import HostSpec
from cockpit.inventory import InventoryError, hosts_from_args, load_inventory


class SelectionError(Exception):
    """A host selection that cannot be honoured; the message says what to do instead."""


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "hosts",
        nargs="*",
        metavar="HOST",
        help="ssh hosts: host, user@host:port, [v6addr]:port, or a ~/.ssh/config alias",
    )
    parser.add_argument(
        "--inventory",
        metavar="FILE",
        help="hosts from a cockpit TOML inventory (.toml) or an Ansible INI/YAML inventory",
    )
    parser.add_argument(
        "--root",
        action="append",
        default=[],
        metavar="DIR",
        help="an offline root (mounted disk, chroot); repeatable",
    )


def _root_specs(roots: list[str], taken: set[str]) -> list[HostSpec]:
    specs = []
    for root in roots:
        path = os.path.abspath(root)
        name = os.path.basename(path.rstrip("/")) or path
        base, n = name, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        specs.append(HostSpec(name=name, kind="offline", root=path))
    return specs


def select_hosts(args: argparse.Namespace) -> list[HostSpec]:
    """Every selected host in order (inventory, HOST arguments, roots), or one
    SelectionError that lists every problem of every source."""
    errors: list[str] = []
    sourced: list[tuple[HostSpec, str]] = []
    if args.inventory:
        try:
            listed = load_inventory(args.inventory)
        except InventoryError as exc:
            errors.append(str(exc))
        else:
            sourced += [(s, f"inventory {args.inventory}") for s in listed]
            remember_inventory(listed)  # for shell completion
    if args.hosts:
        try:
            sourced += [(s, "the command line") for s in hosts_from_args(args.hosts)]
        except InventoryError as exc:
            errors.append(str(exc))
    origin_of: dict[str, str] = {}
    specs: list[HostSpec] = []
    for spec, origin in sourced:
        if spec.name in origin_of:
            errors.append(
                f"host {spec.name!r} is selected twice ({origin_of[spec.name]} and {origin}); "
                "drop one, or name them apart in the inventory"
            )
            continue
        origin_of[spec.name] = origin
        specs.append(spec)
    if errors:
        raise SelectionError("\n".join(errors))
    specs += _root_specs(args.root, set(origin_of))
    if not specs:
        specs.append(HostSpec(name=os.uname().nodename or "localhost", kind="local"))
    return specs

"""Host selection shared by every subcommand: `--root DIR`, HOST arguments, the default."""

from __future__ import annotations

import argparse
import os

from cockpit.transports import HostSpec


class SelectionError(Exception):
    """A host selection that cannot be honoured; the message says what to do instead."""


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("hosts", nargs="*", metavar="HOST", help="ssh hosts (user@host:port)")
    parser.add_argument("--inventory", metavar="FILE", help="TOML inventory of hosts")
    parser.add_argument(
        "--root",
        action="append",
        default=[],
        metavar="DIR",
        help="an offline root (mounted disk, chroot); repeatable",
    )


def select_hosts(args: argparse.Namespace) -> list[HostSpec]:
    if args.inventory:
        raise SelectionError("--inventory arrives with the SSH transport (issue 4)")
    if args.hosts:
        raise SelectionError(
            f"ssh hosts ({', '.join(args.hosts)}) arrive with the SSH transport (issue 4); "
            "use --root DIR for an offline root, or no host for this machine"
        )
    specs: list[HostSpec] = []
    seen: set[str] = set()
    for root in args.root:
        path = os.path.abspath(root)
        name = os.path.basename(path.rstrip("/")) or path
        base, n = name, 2
        while name in seen:
            name, n = f"{base}-{n}", n + 1
        seen.add(name)
        specs.append(HostSpec(name=name, kind="offline", root=path))
    if not specs:
        specs.append(HostSpec(name=os.uname().nodename or "localhost", kind="local"))
    return specs

"""HOST arguments on the command line become ssh HostSpecs.

`web1`, `root@web1`, `web1:2222`, `admin@[2001:db8::7]:2222`, `ssh://u@h:p`, or an alias
from ~/.ssh/config (`prod-db`): the alias is kept as the address with user and port left
None, so the ssh transport applies the alias's HostName, User, Port, IdentityFile and
ProxyJump exactly as `ssh prod-db` would. A user or port written on the command line
overrides the config, as with OpenSSH.
"""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.hostspec import HostSpec
from cockpit.inventory.errors import InventoryError, Problem
from cockpit.inventory.host_patterns import HostStringError, parse_host_string

ORIGIN = "command line"


def host_from_arg(text: str) -> HostSpec:
    """One HOST argument; raises HostStringError with a hint."""
    parsed = parse_host_string(text)
    return HostSpec(
        name=parsed.display,
        kind="ssh",
        address=parsed.address,
        user=parsed.user,
        port=parsed.port,
    )


def hosts_from_args(args: Sequence[str]) -> list[HostSpec]:
    """Every HOST argument, or one InventoryError listing every bad one."""
    specs: list[HostSpec] = []
    problems: list[Problem] = []
    for n, text in enumerate(args, 1):
        try:
            specs.append(host_from_arg(text))
        except HostStringError as exc:
            problems.append(
                Problem(ORIGIN, 0, f"HOST {n} {text!r}: {exc}", "write user@host:port or an alias")
            )
    if problems:
        raise InventoryError(ORIGIN, problems, label="HOST arguments")
    return specs

"""How to reach one host: what inventories produce, transports use and recordings name.

It lives apart from the transports because three layers share it (inventory, transports,
recording) and none of them should import another to get it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HostSpec:
    """How to reach one host (from the inventory, the command line, or the default).

    For ssh, `address` may be a host name, an IP or an alias from ~/.ssh/config; `user`
    and `port` left None mean "what ssh config says, else OpenSSH's defaults".
    """

    name: str
    kind: str  # local | offline | ssh
    root: str = "/"
    address: str | None = None
    user: str | None = None
    port: int | None = None
    sudo: bool = False
    tags: tuple[str, ...] = ()
    refresh_s: float | None = None  # the app's refresh period for this host

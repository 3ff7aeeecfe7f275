"""Which transport reaches a host, and the one SSH pool a run's ssh hosts share.

Used by `cockpit check` and by the app's refresh loops alike, so it lives with the
transports rather than in either. The ssh transport is imported only when an ssh host
needs it: asyncssh stays optional for local and offline-root checks, and a missing
asyncssh becomes `SshUnavailable` (each ssh host then fails as "unsupported"). Only that
third-party import is guarded: a broken module of cockpit's own fails loudly.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from cockpit.hostspec import HostSpec
from cockpit.transports.base import Transport
from cockpit.transports.local import LocalTransport
from cockpit.transports.offline import OfflineRootTransport


class SshUnavailable(Exception):
    """The ssh transport cannot be imported (asyncssh missing or broken)."""


def transport_for(spec: HostSpec, pool: Any = None) -> Transport:
    """The transport for one host; ssh hosts share `pool` (one per run, see `ssh_pool`)."""
    if spec.kind == "offline":
        return OfflineRootTransport(spec)
    if spec.kind == "ssh":
        from cockpit.transports.ssh import SshTransport

        return SshTransport(spec, pool)
    return LocalTransport(spec)


def ssh_pool(timeout: float) -> Any:
    """One pool for a run, its connect and login bounded by the per-host timeout too."""
    if importlib.util.find_spec("asyncssh") is None:  # the one optional, third-party part
        raise SshUnavailable("ssh transport unavailable (no asyncssh); pip install asyncssh")
    from cockpit.transports.ssh import SshPool  # cockpit's own: a failure here is loud

    return SshPool(connect_timeout=min(10.0, timeout), login_timeout=min(20.0, timeout))

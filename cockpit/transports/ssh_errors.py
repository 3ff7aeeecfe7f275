"""Why a connection failed, as one of the per-host categories the UI and `check` show.

Every failure is the host's own: the category says what an admin would do next (fix DNS,
start sshd, check the firewall, fix keys, verify a host key), the message says it in
words with the host's name.
"""

from __future__ import annotations

import asyncio
import errno
import socket

from cockpit.transports.base import CollectError
from cockpit.transports.ssh_lib import asyncssh

_UNREACHABLE_ERRNOS = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN}


def connect_error(target: str, exc: BaseException, connect_timeout: float) -> CollectError:
    """Map an exception raised by asyncssh.connect to a CollectError."""
    if isinstance(exc, CollectError):
        return exc
    if isinstance(exc, socket.gaierror):
        return CollectError("dns", f"{target}: cannot resolve the name ({exc.strerror or exc})")
    if isinstance(exc, ConnectionRefusedError):
        return CollectError("refused", f"{target}: connection refused (is sshd running?)")
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return CollectError(
            "timeout", f"{target}: no SSH session within {connect_timeout:g}s (connect timeout)"
        )
    if isinstance(exc, asyncssh.PermissionDenied):
        return CollectError("auth", f"{target}: authentication failed ({exc.reason})")
    if isinstance(exc, asyncssh.ConnectionLost):
        if "login timeout" in exc.reason.lower():
            return CollectError("timeout", f"{target}: login did not finish in time")
        return CollectError(
            "disconnected",
            f"{target}: the server closed the connection during the handshake "
            f"({exc.reason}; sshd's MaxStartups drops bursts like this)",
        )
    if isinstance(exc, asyncssh.HostKeyNotVerifiable):
        # Reached only when our client saw no key to classify: a revoked key, or the key
        # of a ProxyJump host (checked by asyncssh against ~/.ssh/known_hosts itself).
        revoked = "revoked" in exc.reason.lower()
        return CollectError(
            "hostkey-changed" if revoked else "hostkey-unknown",
            f"{target}: {exc.reason}; check it with `ssh` by hand before trusting it",
        )
    if isinstance(exc, asyncssh.ChannelOpenError):
        # Through a ProxyJump: the jump host could not reach the target.
        return CollectError("unreachable", f"{target}: via the jump host: {exc.reason}")
    if isinstance(exc, asyncssh.DisconnectError):
        return CollectError("protocol", f"{target}: SSH handshake failed ({exc.reason})")
    if isinstance(exc, OSError):
        if exc.errno in _UNREACHABLE_ERRNOS:
            return CollectError("unreachable", f"{target}: {exc.strerror or exc}")
        if exc.errno == errno.ECONNREFUSED:
            return CollectError("refused", f"{target}: connection refused (is sshd running?)")
        return CollectError("unreachable", f"{target}: {exc.strerror or exc}")
    if isinstance(exc, (ValueError, asyncssh.Error)):
        # Bad options or config (a missing IdentityFile, a malformed ~/.ssh/config line).
        return CollectError("config", f"{target}: {exc}")
    return CollectError("unreachable", f"{target}: {type(exc).__name__}: {exc}")

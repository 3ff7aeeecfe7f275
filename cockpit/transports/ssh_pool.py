"""One persistent SSH connection per host, shared by every refresh of that host.

Connecting costs a TCP and SSH handshake plus authentication, about 20x the cost of one
exec on an open connection; a fleet refresh every few seconds must not pay it each time.
The pool also carries what OpenSSH users expect: ~/.ssh/config (aliases, User, Port,
IdentityFile, ProxyJump), the ssh agent, known_hosts checking; and what a fleet needs:
bounded handshakes (sshd's default `MaxStartups 10:30:100` silently drops bursts), a
bound on channels per connection (sshd's `MaxSessions 10`), keepalives that notice a dead
peer, and exponential backoff after a failure so a down host is not hammered.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from cockpit.hostnames import hostname_problem, username_problem
from cockpit.hostspec import HostSpec
from cockpit.transports.base import CollectError
from cockpit.transports.ssh_errors import connect_error
from cockpit.transports.ssh_hostkeys import DEFAULT_KNOWN_HOSTS, HostKeyError, KnownHosts
from cockpit.transports.ssh_lib import asyncssh

LinkState = Literal["new", "connected", "reconnecting", "down"]


@dataclass(frozen=True)
class SshOptions:
    """Bounds and sources for every connection of a pool. None means OpenSSH's default
    source (the ssh config's IdentityFile/~/.ssh/id_*, ~/.ssh/config, SSH_AUTH_SOCK)."""

    connect_timeout: float = 10.0  # TCP + SSH handshake + auth
    login_timeout: float = 20.0
    keepalive_interval: float = 15.0
    keepalive_count_max: int = 3  # a silent peer is declared dead after 45 s
    max_handshakes: int = 8  # below sshd's MaxStartups 10
    max_channels: int = 4  # per connection, below sshd's MaxSessions 10
    stall_timeout: float = 30.0  # no output for this long mid-run = hang (probes cap at 5 s)
    #: gzip the collector's output on hosts that have gzip (see ssh.py): ~40 KB of text,
    #: a third of it framing lines, becomes ~8 KB, one SSH packet instead of several.
    #: Off by default: it costs every host ~4-9 ms more CPU a refresh (measured against
    #: the collector's 50 ms budget) to save the client ~0.2 ms a host; worth it only on
    #: slow links, where 40 KB per host per refresh is the real cost.
    compress: bool = False
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    known_hosts: Sequence[str] = DEFAULT_KNOWN_HOSTS  # the first one is where keys are added
    config: Sequence[str] | None = None
    client_keys: Sequence[str] | None = None
    agent_path: str | None = None
    #: Ciphers, preferred first. asyncssh's chacha20-poly1305 builds a cipher context per
    #: packet (profiled: most of a steady refresh's client CPU); AES-GCM, which every
    #: OpenSSH since 6.2 offers, does not. The rest stay as fallbacks for older servers.
    encryption_algs: Sequence[str] = (
        "aes128-gcm@openssh.com",
        "aes256-gcm@openssh.com",
        "chacha20-poly1305@openssh.com",
        "aes256-ctr",
        "aes192-ctr",
        "aes128-ctr",
    )


@dataclass(frozen=True)
class LinkInfo:
    """What the app shows beside a host about its connection (and tests assert on)."""

    state: LinkState
    connects: int  # successful handshakes so far: 1 while a connection lives on
    runs: int  # collector execs started
    retry_in: float | None  # seconds until the next connect attempt is allowed
    last_error: CollectError | None


@dataclass
class _Link:
    lock: asyncio.Lock
    channels: asyncio.Semaphore
    conn: asyncssh.SSHClientConnection | None = None
    client: _Client | None = None
    failures: int = 0
    retry_at: float = 0.0
    ever_connected: bool = False
    last_error: CollectError | None = None
    last_target: str = ""  # describe() of the host whose attempt failed (the message names it)
    connects: int = 0
    runs: int = 0
    offered: tuple[str, str, int, asyncssh.SSHKey] | None = field(default=None, repr=False)


class _Client(asyncssh.SSHClient):
    """Records the host key it was offered, and tells the pool when its connection drops."""

    def __init__(self, pool: SshPool, link: _Link) -> None:
        self._pool = pool
        self._link = link

    def validate_host_public_key(
        self, host: str, addr: str, port: int, key: asyncssh.SSHKey
    ) -> bool:
        # Only called for a key known_hosts does not trust: remember it, refuse it.
        self._link.offered = (host, addr, port, key)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._pool._lost(self._link, self)


def link_key(spec: HostSpec) -> tuple[str, int | None, str | None]:
    """Hosts share a connection when they reach the same address as the same user."""
    return (spec.address or spec.name, spec.port, spec.user)


def describe(spec: HostSpec) -> str:
    where = spec.address or spec.name
    if spec.port:
        where = f"{where}:{spec.port}"
    if spec.user:
        where = f"{spec.user}@{where}"
    return spec.name if where == spec.name else f"{spec.name} ({where})"


class SshPool:
    """Connections for one app or one `cockpit check` run: create once, `await close()`."""

    def __init__(self, options: SshOptions | None = None, **overrides: Any) -> None:
        base = options or SshOptions()
        # One path given as a string is one file, not a sequence of one-letter paths.
        for key in ("known_hosts", "config", "client_keys"):
            if isinstance(overrides.get(key), str):
                overrides[key] = (overrides[key],)
        self.options = dataclasses.replace(base, **overrides) if overrides else base
        self.known_hosts = KnownHosts(tuple(self.options.known_hosts))
        self._handshakes = asyncio.Semaphore(self.options.max_handshakes)
        self._links: dict[tuple[str, int | None, str | None], _Link] = {}
        self._closing = False

    def _link(self, spec: HostSpec) -> _Link:
        key = link_key(spec)
        link = self._links.get(key)
        if link is None:
            link = _Link(asyncio.Lock(), asyncio.Semaphore(self.options.max_channels))
            self._links[key] = link
        return link

    def info(self, spec: HostSpec) -> LinkInfo:
        link = self._link(spec)
        wait = link.retry_at - time.monotonic()
        if link.conn is not None:
            state: LinkState = "connected"
        elif link.failures == 0:
            state = "new"
        else:
            state = "reconnecting" if link.ever_connected else "down"
        retry_in = wait if link.conn is None and wait > 0 else None
        return LinkInfo(state, link.connects, link.runs, retry_in, link.last_error)

    def retry_now(self, spec: HostSpec) -> None:
        """Forget the backoff (after the admin accepted a host key or fixed a key)."""
        link = self._link(spec)
        link.retry_at = 0.0

    async def acquire(self, spec: HostSpec) -> tuple[asyncssh.SSHClientConnection, _Link]:
        """The host's open connection, connecting (within the bounds) if there is none."""
        if self._closing:
            raise CollectError("disconnected", f"{describe(spec)}: cockpit is shutting down")
        link = self._link(spec)
        async with link.lock:
            if link.conn is not None and not link.conn.is_closed():
                return link.conn, link
            link.conn = None
            wait = link.retry_at - time.monotonic()
            if wait > 0:
                raise self._backing_off(spec, link, wait)
            try:
                async with self._handshakes:
                    conn = await self._connect(spec, link)
            except Exception as exc:
                error = self._classify(spec, link, exc)
                link.failures += 1
                delay = self.options.backoff_initial * 2 ** (link.failures - 1)
                link.retry_at = time.monotonic() + min(delay, self.options.backoff_max)
                link.last_error = error
                link.last_target = describe(spec)
                raise error from exc
            link.conn = conn
            link.failures = 0
            link.retry_at = 0.0
            link.ever_connected = True
            link.connects += 1
            link.last_error = None
            return conn, link

    async def _connect(self, spec: HostSpec, link: _Link) -> asyncssh.SSHClientConnection:
        # Checked where every spec passes, however it was made: asyncssh would put the
        # name into a ProxyCommand's `%h`/`%r`, which a shell runs (cockpit/hostnames.py).
        problem = hostname_problem(spec.address or spec.name)
        if problem is None and spec.user is not None:
            problem = username_problem(spec.user)
        if problem is not None:
            raise CollectError("config", f"{describe(spec)}: {problem}")
        opts = self.options
        kwargs: dict[str, Any] = {
            "known_hosts": self.known_hosts.load(),
            "connect_timeout": opts.connect_timeout,
            "login_timeout": opts.login_timeout,
            "keepalive_interval": opts.keepalive_interval,
            "keepalive_count_max": opts.keepalive_count_max,
            "encryption_algs": list(opts.encryption_algs),
        }
        if spec.port is not None:
            kwargs["port"] = spec.port
        if spec.user is not None:
            kwargs["username"] = spec.user
        if opts.config is not None:
            kwargs["config"] = list(opts.config)
        if opts.client_keys is not None:
            kwargs["client_keys"] = list(opts.client_keys)
        if opts.agent_path is not None:
            kwargs["agent_path"] = opts.agent_path
        link.offered = None
        client = _Client(self, link)
        link.client = client
        conn = await asyncssh.connect(
            spec.address or spec.name, client_factory=lambda: client, **kwargs
        )
        return conn

    def _classify(self, spec: HostSpec, link: _Link, exc: BaseException) -> CollectError:
        if isinstance(exc, asyncssh.HostKeyNotVerifiable) and link.offered is not None:
            host, addr, port, key = link.offered
            return self.known_hosts.classify(host, addr, port, key)
        return connect_error(describe(spec), exc, self.options.connect_timeout)

    def _backing_off(self, spec: HostSpec, link: _Link, wait: float) -> CollectError:
        last = link.last_error
        if isinstance(last, HostKeyError):
            return last  # the app needs the key itself; retrying would not change it
        if link.ever_connected:
            why = f" (last attempt: {last.message})" if last else ""
            return CollectError(
                "reconnecting",
                f"{describe(spec)}: connection lost, reconnecting in {wait:.0f}s{why}",
            )
        if last is None:
            return CollectError("unreachable", f"{describe(spec)}: next attempt in {wait:.0f}s")
        # Hosts that share the link share its failure, but each error names its own host:
        # `web02` must not read as `web01 (127.0.0.1:1): connection refused`.
        message = last.message
        if link.last_target and message.startswith(link.last_target):
            message = describe(spec) + message[len(link.last_target) :]
        return CollectError(last.category, f"{message}; next attempt in {wait:.0f}s")

    def _lost(self, link: _Link, client: _Client) -> None:
        """A live connection dropped (peer gone, keepalive expired, server restarted)."""
        if link.client is not client or link.conn is None:
            return  # a failed handshake: acquire() already accounts for it
        link.conn = None
        if not self._closing:
            link.failures = max(link.failures, 1)
            link.retry_at = time.monotonic() + self.options.backoff_initial

    async def close(self) -> None:
        """Close every connection (at quit): sessions end, then the TCP connections."""
        self._closing = True
        conns = [link.conn for link in self._links.values() if link.conn is not None]
        for conn in conns:
            conn.close()
        for conn in conns:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.wait_closed(), 5)
        for link in self._links.values():
            link.conn = None

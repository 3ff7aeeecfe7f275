"""Live mode over SSH: the collector runs as one `sh -s` exec on the host's open connection.

One exec per refresh, on the connection the pool keeps for the host. The run is bounded
three ways, so a host can only ever cost its own row: the whole run (`timeout`), the
silence mid-output (the pool's `stall_timeout`: a hung NFS read or a frozen VM shows as
`hang`, not as a long wait), and the size (MAX_OUTPUT_BYTES, then the channel is closed).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import cast

import asyncssh

from cockpit.snapshot import Mode
from cockpit.transports.base import MAX_OUTPUT_BYTES, CollectError, HostSpec
from cockpit.transports.ssh_hostkeys import HostKeyError, accept_host_key
from cockpit.transports.ssh_pool import LinkInfo, SshOptions, SshPool, describe

__all__ = [
    "HostKeyError",
    "LinkInfo",
    "SshOptions",
    "SshPool",
    "SshTransport",
    "accept_host_key",
]

STDERR_KEEP = 4096  # the tail of stderr kept for error messages (sudo's, sh's)


class _CollectSession(asyncssh.SSHClientSession[bytes]):
    """Gathers one exec's stdout (bounded), the tail of stderr, and how it ended."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.chunks: list[bytes] = []
        self.size = 0
        self.stderr = b""
        self.exit_status: int | None = None
        self.exit_signal: str | None = None
        self.last_data = loop.time()
        self.done: asyncio.Future[Exception | None] = loop.create_future()
        self.channel: asyncssh.SSHClientChannel[bytes] | None = None

    def connection_made(self, chan: asyncssh.SSHClientChannel[bytes]) -> None:  # type: ignore[override]
        self.channel = chan

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.last_data = self._loop.time()
        if datatype == asyncssh.EXTENDED_DATA_STDERR:
            self.stderr = (self.stderr + data)[-STDERR_KEEP:]
            return
        room = MAX_OUTPUT_BYTES - self.size
        if room <= 0:
            return
        self.chunks.append(data[:room])
        self.size += min(len(data), room)
        if self.size >= MAX_OUTPUT_BYTES and self.channel is not None:
            # A runaway host: keep what fits, stop the exec; the framing reports the cut.
            self.channel.close()

    def exit_status_received(self, status: int) -> None:
        self.exit_status = status

    def exit_signal_received(self, signal: str, core_dumped: bool, msg: str, lang: str) -> None:
        self.exit_signal = signal

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(exc)

    @property
    def output(self) -> bytes:
        return b"".join(self.chunks)

    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", "replace").strip()


@dataclass
class SshTransport:
    spec: HostSpec
    pool: SshPool

    @property
    def mode(self) -> Mode:
        return "live"

    @property
    def command(self) -> str:
        return "sudo -n sh -s" if self.spec.sudo else "sh -s"

    async def run(self, script: str, timeout: float) -> bytes:
        conn, link = await self.pool.acquire(self.spec)
        async with link.channels:
            link.runs += 1
            return await self._exec(conn, script.encode("utf-8"), timeout)

    async def _exec(
        self, conn: asyncssh.SSHClientConnection, script: bytes, timeout: float
    ) -> bytes:
        loop = asyncio.get_running_loop()
        name = describe(self.spec)
        start = loop.time()
        try:
            chan, opened = await asyncio.wait_for(
                conn.create_session(lambda: _CollectSession(loop), self.command, encoding=None),
                timeout,
            )
        except asyncio.TimeoutError as exc:
            raise CollectError("timeout", f"{name}: no exec channel within {timeout:g}s") from exc
        except (asyncssh.ChannelOpenError, asyncssh.DisconnectError, OSError) as exc:
            conn.abort()  # a connection that cannot open a channel is of no further use
            raise CollectError(
                "disconnected", f"{name}: cannot start the collector ({exc})"
            ) from exc
        session = cast(_CollectSession, opened)
        chan.write(script)
        chan.write_eof()
        try:
            outcome = await self._wait(session, start + timeout)
        except BaseException:
            chan.close()  # cancelled (the app quits or drops the host): free the channel
            raise
        if outcome is not None:
            chan.close()
            stalled, at = outcome
            if stalled:
                raise CollectError(
                    "hang",
                    f"{name}: output stalled for {self.pool.options.stall_timeout:g}s "
                    f"after {session.size} bytes (a hung read or command on the host)",
                )
            raise CollectError(
                "timeout", f"{name}: collector did not finish within {timeout:g}s ({at} bytes)"
            )
        return self._result(name, session)

    async def _wait(self, session: _CollectSession, deadline: float) -> tuple[bool, int] | None:
        """Wait for the exec to end; (stalled?, bytes) if it must be abandoned."""
        loop = asyncio.get_running_loop()
        stall = self.pool.options.stall_timeout
        while not session.done.done():
            now = loop.time()
            stall_at = session.last_data + stall
            wait = min(deadline, stall_at) - now
            if wait <= 0:
                return (stall_at < deadline, session.size)
            await asyncio.wait({session.done}, timeout=wait)
        return None

    def _result(self, name: str, session: _CollectSession) -> bytes:
        lost = session.done.result()
        if lost is not None:
            raise CollectError(
                "disconnected", f"{name}: connection dropped after {session.size} bytes ({lost})"
            )
        output = session.output
        err = session.stderr_text()
        status = session.exit_status
        if self.spec.sudo and status == 1 and "password is required" in err:
            raise CollectError(
                "sudo-password",
                f"{name}: sudo wants a password (sudo -n: {err.splitlines()[-1]}); allow "
                "NOPASSWD for `sh -s` in sudoers, or set sudo = false (root-only facts "
                "then show as unknown)",
            )
        if output:
            return output  # even on a non-zero exit: the framing tells what is missing
        if session.exit_signal:
            raise CollectError(
                "collector", f"{name}: the collector was killed by SIG{session.exit_signal}"
            )
        if status not in (0, None) or err:
            detail = err.splitlines()[-1] if err else "no output"
            raise CollectError("collector", f"{name}: `{self.command}` exited {status}: {detail}")
        return output

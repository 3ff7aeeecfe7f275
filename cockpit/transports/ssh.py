"""Live mode over SSH: the collector runs as one `sh -s` exec on the host's open connection.

One exec per refresh, on the connection the pool keeps for the host. The run is bounded
three ways, so a host can only ever cost its own row: the whole run (`timeout`), the
silence mid-output (the pool's `stall_timeout`: a hung NFS read or a frozen VM shows as
`hang`, not as a long wait), and the size (MAX_OUTPUT_BYTES, then the channel is closed).

Where the host has gzip, the same exec pipes the collector's output through `gzip -1`
(one more process on the host, ~1 ms): every packet costs the client's Python SSH stack
far more than the bytes in it, and 40 KB of collector text arrives as ~8 KB in one packet.
Without gzip the plain stream is sent, and the client tells the two apart by gzip's magic
bytes, which the collector's first line (the boundary) can never start with. gzip holds
the output until the end, so a run is silent until it finishes: a host whose last run took
long (a quarter of the stall bound) gets the plain stream next time, so a slow host that
keeps making progress is not mistaken for a hung one.
"""

from __future__ import annotations

import asyncio
import shlex
import zlib
from dataclasses import dataclass, field
from typing import cast

from cockpit.hostspec import HostSpec
from cockpit.transports.base import MAX_OUTPUT_BYTES, CollectError
from cockpit.transports.ssh_hostkeys import HostKeyError, accept_host_key
from cockpit.transports.ssh_lib import asyncssh
from cockpit.transports.ssh_pool import LinkInfo, SshOptions, SshPool, describe
from cockpit.words import Mode

__all__ = [
    "HostKeyError",
    "LinkInfo",
    "SshOptions",
    "SshPool",
    "SshTransport",
    "accept_host_key",
]

STDERR_KEEP = 4096  # the tail of stderr kept for error messages (sudo's, sh's)

#: Run COLLECTOR (`sh -s`, or `sudo -n sh -s`: sudoers rules name that command) with its
#: stdout through gzip, keeping its exit status (a pipeline's is gzip's), or run it alone
#: where gzip is missing. fd 3 carries the status out of the pipeline; the collector gets
#: neither 3 nor 4.
_GZIP_WRAPPER = (
    "if command -v gzip >/dev/null 2>&1; then exec 4>&1; "
    "st=$( { { COLLECTOR 3>&- 4>&-; echo $? >&3; } | gzip -1 >&4; } 3>&1 ); exit ${st:-1}; "
    "else exec COLLECTOR; fi"
)
GZIP_MAGIC = b"\x1f\x8b"


class Inflater:
    """A gzip stream inflated as it arrives, at most `limit` bytes: the output cap then
    stops a runaway host's exec however well its output compresses. A stream cut short
    gives what it held up to the cut (the framing reports the rest missing, as for a cut
    plain stream); `broken` is set if it was not gzip after all."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0
        self.broken = False
        self._stream = zlib.decompressobj(wbits=31)

    @property
    def full(self) -> bool:
        return self.size >= self.limit

    def feed(self, data: bytes) -> None:
        if self.broken or self.full or self._stream.eof:
            return  # (one gzip member is all the wrapper sends; anything after is ignored)
        try:
            out = self._stream.decompress(data, self.limit - self.size)
        except zlib.error:
            self.broken = True
            return
        self.chunks.append(out)
        self.size += len(out)


def inflate(data: bytes, limit: int | None = None) -> bytes | None:
    """The content of a whole gzip stream (see Inflater); None if `data` is not one."""
    if not data.startswith(GZIP_MAGIC):
        return None
    inflater = Inflater(MAX_OUTPUT_BYTES if limit is None else limit)
    inflater.feed(data)
    return None if inflater.broken and not inflater.size else b"".join(inflater.chunks)


class _CollectSession(asyncssh.SSHClientSession[bytes]):
    """Gathers one exec's stdout (bounded), the tail of stderr, and how it ended."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.chunks: list[bytes] = []  # stdout as it came over the wire
        self.size = 0
        self.inflater: Inflater | None = None  # set when stdout turns out to be gzip
        self._sniffed = False
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
        piece = data[:room]
        self.chunks.append(piece)
        self.size += len(piece)
        if self.inflater is not None:
            self.inflater.feed(piece)
        elif not self._sniffed and self.size >= len(GZIP_MAGIC):
            self._sniffed = True  # the first bytes tell: gzip's magic, or the boundary
            head = b"".join(self.chunks)
            if head.startswith(GZIP_MAGIC):
                self.inflater = Inflater(MAX_OUTPUT_BYTES)
                self.inflater.feed(head)
        runaway = self.size >= MAX_OUTPUT_BYTES or (
            self.inflater is not None and self.inflater.full
        )
        if runaway and self.channel is not None:
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
        """stdout, inflated if it came through gzip (as it came if that was not gzip)."""
        inflater = self.inflater
        if inflater is not None and not (inflater.broken and not inflater.size):
            return b"".join(inflater.chunks)
        return b"".join(self.chunks)

    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", "replace").strip()


@dataclass
class SshTransport:
    spec: HostSpec
    pool: SshPool
    #: How long this host's last run took (seconds): a slow host gets the plain stream.
    last_run_s: float = field(default=0.0, compare=False)

    @property
    def mode(self) -> Mode:
        return Mode.LIVE

    @property
    def command(self) -> str:
        """The collector as the host runs it (what sudoers rules must allow)."""
        return "sudo -n sh -s" if self.spec.sudo else "sh -s"

    def exec_command(self) -> str:
        """What this refresh execs: the collector, through gzip where that pays."""
        options = self.pool.options
        if not options.compress or self.last_run_s > options.stall_timeout / 4:
            return self.command
        return "sh -c " + shlex.quote(_GZIP_WRAPPER.replace("COLLECTOR", self.command))

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
        command = self.exec_command()
        try:
            chan, opened = await asyncio.wait_for(
                conn.create_session(lambda: _CollectSession(loop), command, encoding=None),
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
        try:
            chan.write(script)
            chan.write_eof()
        except (OSError, asyncssh.Error) as exc:  # BrokenPipeError: the host shut it first
            chan.close()
            raise _closed_early(name, session) from exc
        try:
            outcome = await self._wait(session, start + timeout)
        except BaseException:
            chan.close()  # cancelled (the app quits or drops the host): free the channel
            raise
        finally:
            self.last_run_s = loop.time() - start
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


def _closed_early(name: str, session: _CollectSession) -> CollectError:
    """The host ended the exec channel before the collector script was sent (a ForceCommand,
    a shell that exits at once, a server that refuses execs): the host's own error."""
    status = session.exit_status
    said = session.stderr_text()
    detail = "no exit status" if status is None else f"exit status {status}"
    if said:
        detail += f": {said.splitlines()[-1]}"
    category = "disconnected" if status is None else "collector"
    return CollectError(
        category, f"{name}: the host closed the collector's channel before reading it ({detail})"
    )

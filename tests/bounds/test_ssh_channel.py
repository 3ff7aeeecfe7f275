"""A server that ends the collector's exec channel at once: the host's own error, in the
category an admin acts on, never `internal: BrokenPipeError` (issue 12, section 3).

An in-process asyncssh server on 127.0.0.1 (a real sshd cannot be told to do this)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from cockpit.cli.check import check_host
from cockpit.hostspec import HostSpec
from cockpit.transports.ssh_pool import SshOptions, SshPool


class _NoAuth(asyncssh.SSHServer):
    def begin_auth(self, username: str) -> bool:
        return False


async def _close_at_once(process: asyncssh.SSHServerProcess[bytes]) -> None:
    process.channel.close()  # before reading a byte of the script


async def _exit_at_once(process: asyncssh.SSHServerProcess[bytes]) -> None:
    process.exit(1)  # an exit status, then the channel goes


@pytest.fixture(params=[_close_at_once, _exit_at_once], ids=["close", "exit"])
async def server(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[int, Path]]:
    key = asyncssh.generate_private_key("ssh-ed25519")
    srv = await asyncssh.create_server(
        _NoAuth, "127.0.0.1", 0, server_host_keys=[key], process_factory=request.param,
        encoding=None,
    )  # fmt: skip
    port = srv.sockets[0].getsockname()[1]
    algorithm, blob = key.export_public_key().decode().split()[:2]
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{port} {algorithm} {blob}\n")
    yield port, known
    srv.close()
    await srv.wait_closed()


async def test_a_channel_closed_at_once_is_the_hosts_own_error(
    server: tuple[int, Path],
) -> None:
    port, known = server
    spec = HostSpec(name="shut", kind="ssh", address="127.0.0.1", port=port, user="u")
    pool = SshPool(SshOptions(known_hosts=(str(known),), config=(), client_keys=()))
    try:
        state = await check_host(spec, None, pool, timeout=10)
    finally:
        await pool.close()
    assert state.verdict == "unknown"
    assert state.error_category in ("disconnected", "collector"), state.error
    assert "BrokenPipe" not in (state.error or "")
    assert state.error and state.error.startswith("shut (u@127.0.0.1:")

"""Faults a real sshd cannot produce on demand, from an in-process asyncssh server on
127.0.0.1: a channel that stalls halfway, a connection dropped halfway through the
output. Plus the fleet promise: one stuck host never delays the others."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncssh
import pytest

from cockpit.hostspec import HostSpec
from cockpit.transports import collect
from cockpit.transports.base import CollectError
from cockpit.transports.ssh import SshTransport
from cockpit.transports.ssh_pool import SshOptions, SshPool
from tests.ssh.conftest import ALIAS, Sshd


class _NoAuth(asyncssh.SSHServer):
    def begin_auth(self, username: str) -> bool:
        return False  # anyone in: the faults under test come after login


@dataclass
class FaultServer:
    port: int
    known_line: str
    runs: int = 0
    mode: str = "ok"  # ok | stall | drop | drop-once

    def spec(self, name: str) -> HostSpec:
        return HostSpec(name=name, kind="ssh", address="127.0.0.1", port=self.port, user="u")

    async def handle(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        self.runs += 1
        await process.stdin.read()  # the collector script, up to its EOF
        mode = self.mode
        if mode == "drop-once":
            self.mode = "ok"
            mode = "drop"
        if mode == "ok":
            process.stdout.write(b"fine\n")
            process.exit(0)
            return
        process.stdout.write(b"x" * 5000)
        await process.stdout.drain()
        if mode == "drop":
            await asyncio.sleep(0.1)
            process.get_extra_info("connection").abort()
            return
        await asyncio.sleep(3600)  # stall: the channel stays open, silent


@pytest.fixture
async def fault_server() -> AsyncIterator[FaultServer]:
    key = asyncssh.generate_private_key("ssh-ed25519")
    holder: list[FaultServer] = []
    server = await asyncssh.create_server(
        _NoAuth,
        "127.0.0.1",
        0,
        server_host_keys=[key],
        process_factory=lambda p: holder[0].handle(p),
        encoding=None,
    )
    port = server.sockets[0].getsockname()[1]
    pub = key.export_public_key().decode().split()
    holder.append(FaultServer(port, f"[127.0.0.1]:{port} {pub[0]} {pub[1]}\n"))
    yield holder[0]
    server.close()
    await server.wait_closed()


def pool_for(known: Path, fault: FaultServer, sshd: Sshd | None = None, **kw: object) -> SshPool:
    lines = fault.known_line + (sshd.known_hosts.read_text() if sshd else "")
    known.write_text(lines)
    config = (str(sshd.ssh_config),) if sshd else ()
    keys = (str(sshd.client_key),) if sshd else ()
    return SshPool(SshOptions(known_hosts=(str(known),), config=config, client_keys=keys), **kw)


async def test_a_stall_halfway_is_a_hang(fault_server: FaultServer, tmp_path: Path) -> None:
    fault_server.mode = "stall"
    pool = pool_for(tmp_path / "kh", fault_server, stall_timeout=0.5)
    try:
        with pytest.raises(CollectError) as caught:
            await SshTransport(fault_server.spec("frozen"), pool).run("echo hi", 30)
    finally:
        await pool.close()
    assert caught.value.category == "hang"
    assert "after 5000 bytes" in caught.value.message


async def test_a_drop_halfway_is_disconnected_then_reconnecting(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    fault_server.mode = "drop-once"
    spec = fault_server.spec("flaky")
    pool = pool_for(tmp_path / "kh", fault_server, backoff_initial=0.3)
    transport = SshTransport(spec, pool)
    try:
        with pytest.raises(CollectError) as caught:
            await transport.run("echo hi", 10)
        assert caught.value.category == "disconnected"
        assert "after 5000 bytes" in caught.value.message
        assert pool.info(spec).state == "reconnecting"
        with pytest.raises(CollectError) as again:  # within the backoff: said as such
            await transport.run("echo hi", 10)
        assert again.value.category == "reconnecting"
        await asyncio.sleep(0.35)
        assert await transport.run("echo hi", 10) == b"fine\n"
        info = pool.info(spec)
    finally:
        await pool.close()
    assert (info.state, info.connects) == ("connected", 2)


async def test_one_stuck_host_never_delays_the_others(
    sshd: Sshd, fault_server: FaultServer, tmp_path: Path
) -> None:
    """Three hosts at once, one of them hanging: the two real ones are done before the
    hang bound even fires, and the stuck one is reported as a hang on its own."""
    fault_server.mode = "stall"
    stall = 6.0
    pool = pool_for(tmp_path / "kh", fault_server, sshd, stall_timeout=stall)
    hosts = [
        sshd.spec("real-ip"),
        HostSpec(name="real-alias", kind="ssh", address=ALIAS),
        fault_server.spec("stuck"),
    ]
    done: dict[str, tuple[float, str]] = {}
    t0 = time.monotonic()

    async def one(spec: HostSpec) -> None:
        try:
            await collect(SshTransport(spec, pool))
            done[spec.name] = (time.monotonic() - t0, "ok")
        except CollectError as exc:
            done[spec.name] = (time.monotonic() - t0, exc.category)

    try:
        await asyncio.gather(*(one(h) for h in hosts))
    finally:
        await pool.close()
    assert done["real-ip"][1] == done["real-alias"][1] == "ok"
    assert done["real-ip"][0] < stall and done["real-alias"][0] < stall, done
    assert max(done["real-ip"][0], done["real-alias"][0]) < done["stuck"][0], done
    assert done["stuck"][1] == "hang" and done["stuck"][0] >= stall


async def test_handshakes_are_bounded_by_the_semaphore(monkeypatch: pytest.MonkeyPatch) -> None:
    """Twenty hosts connecting at once never have more than `max_handshakes` handshakes
    in flight (sshd's MaxStartups silently drops a burst beyond 10)."""
    in_flight = peak = 0

    async def fake_connect(host: str, **kwargs: object) -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        raise ConnectionRefusedError

    monkeypatch.setattr("cockpit.transports.ssh_pool.asyncssh.connect", fake_connect)
    pool = SshPool(max_handshakes=3)
    specs = [HostSpec(name=f"h{i}", kind="ssh", address=f"h{i}.invalid") for i in range(20)]
    results = await asyncio.gather(
        *(SshTransport(s, pool).run("echo", 5) for s in specs), return_exceptions=True
    )
    assert all(isinstance(r, CollectError) and r.category == "refused" for r in results)
    assert peak == 3

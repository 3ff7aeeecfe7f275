"""Each way a host can fail, against the real sshd (or a loopback socket): every failure
is a CollectError with its own category and a message naming the host."""

from __future__ import annotations

import errno
import socket
import time
from collections.abc import Iterator

import asyncssh
import pytest

from cockpit.hostspec import HostSpec
from cockpit.transports.base import CollectError
from cockpit.transports.ssh import HostKeyError, SshTransport, accept_host_key
from cockpit.transports.ssh_errors import connect_error
from tests.ssh.conftest import NOPW_USER, Sshd, free_port


async def run_once(
    sshd: Sshd, spec: HostSpec, script: str = "echo ok", timeout: float = 10, **opts: object
) -> bytes:
    pool = sshd.pool(**opts)
    try:
        return await SshTransport(spec, pool).run(script, timeout)
    finally:
        await pool.close()


async def failure(
    sshd: Sshd, spec: HostSpec, script: str = "echo ok", timeout: float = 10, **opts: object
) -> CollectError:
    with pytest.raises(CollectError) as caught:
        await run_once(sshd, spec, script, timeout, **opts)
    return caught.value


def server_fingerprint(sshd: Sshd) -> str:
    return asyncssh.read_public_key(str(sshd.host_key_pub)).get_fingerprint("sha256")


async def test_closed_port_is_refused(sshd: Sshd) -> None:
    err = await failure(sshd, sshd.spec("closed", port=free_port()))
    assert err.category == "refused"
    assert "closed" in err.message and "refused" in err.message


async def test_a_refused_host_is_retried_with_backoff(sshd: Sshd) -> None:
    spec = sshd.spec("closed", port=free_port())
    pool = sshd.pool(backoff_initial=30)
    transport = SshTransport(spec, pool)
    try:
        for _ in range(2):
            with pytest.raises(CollectError) as caught:
                await transport.run("echo ok", 5)
            assert caught.value.category == "refused"
        info = pool.info(spec)
    finally:
        await pool.close()
    assert "next attempt in" in caught.value.message  # the second one did not dial
    assert info.state == "down" and info.retry_in is not None and info.retry_in > 25


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """Accepts TCP connections and never sends an SSH banner (a wedged sshd, a tarpit)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield int(s.getsockname()[1])


async def test_a_server_that_never_answers_is_a_connect_timeout(
    sshd: Sshd, silent_listener: int
) -> None:
    t0 = time.monotonic()
    err = await failure(sshd, sshd.spec("tarpit", port=silent_listener), connect_timeout=0.5)
    assert err.category == "timeout"
    assert time.monotonic() - t0 < 3


async def test_wrong_key_is_an_auth_failure(sshd: Sshd) -> None:
    err = await failure(sshd, sshd.spec("wrongkey"), client_keys=(str(sshd.wrong_key),), config=())
    assert err.category == "auth"
    assert "wrongkey" in err.message


async def test_changed_host_key_is_refused_with_the_fingerprint(sshd: Sshd, tmp_path) -> None:
    other = asyncssh.read_public_key(str(sshd.wrong_key) + ".pub")
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{sshd.port} {other.export_public_key().decode()}")
    spec = sshd.spec("rekeyed")
    err = await failure(sshd, spec, known_hosts=(str(known),))
    assert isinstance(err, HostKeyError)
    assert err.category == "hostkey-changed"
    assert err.fingerprint == server_fingerprint(sshd)
    assert err.fingerprint in err.message and f"[127.0.0.1]:{sshd.port}" in err.message
    with pytest.raises(ValueError, match="another key"):
        accept_host_key(err.host, err.port, err.key, known)  # never accepted, even on request
    assert "AAAA" in known.read_text() and known.read_text().count("\n") == 1


async def test_unknown_host_key_can_be_accepted_by_the_app(sshd: Sshd, tmp_path) -> None:
    known = tmp_path / "ssh" / "known_hosts"  # does not exist yet, nor does its directory
    spec = sshd.spec("newhost")
    pool = sshd.pool(known_hosts=(str(known),))
    transport = SshTransport(spec, pool)
    try:
        with pytest.raises(HostKeyError) as caught:
            await transport.run("echo ok", 10)
        err = caught.value
        assert err.category == "hostkey-unknown"
        assert err.fingerprint == server_fingerprint(sshd) and err.fingerprint in err.message
        with pytest.raises(HostKeyError):  # within the backoff: the same key, still refused
            await transport.run("echo ok", 10)
        line = accept_host_key(err.host, err.port, err.key, known)
        assert line.startswith(f"[127.0.0.1]:{sshd.port} ssh-ed25519 ")
        pool.retry_now(spec)
        assert await transport.run("echo ok", 10) == b"ok\n"
    finally:
        await pool.close()
    assert accept_host_key(err.host, err.port, err.key, known) == ""  # already there


async def test_unresolvable_name_is_a_dns_failure(sshd: Sshd) -> None:
    err = await failure(sshd, sshd.spec("ghost", address="no-such-host.invalid"), connect_timeout=5)
    assert err.category == "dns"
    assert "no-such-host.invalid" in err.message


def test_unreachable_network_errors_are_unreachable() -> None:
    """No route to a host cannot be made on loopback: the mapping alone."""
    for code in (errno.EHOSTUNREACH, errno.ENETUNREACH):
        err = connect_error("far", OSError(code, "No route to host"), 10)
        assert err.category == "unreachable"


async def test_sudo_that_wants_a_password_is_its_own_error(sshd: Sshd) -> None:
    err = await failure(sshd, sshd.spec("nopw", user=NOPW_USER, sudo=True))
    assert err.category == "sudo-password"
    assert "password" in err.message
    # Without sudo the same user runs the collector: only the sudo part is refused.
    assert await run_once(sshd, sshd.spec("nopw", user=NOPW_USER)) == b"ok\n"


async def test_a_run_past_its_timeout_times_out_and_the_connection_survives(sshd: Sshd) -> None:
    pool = sshd.pool()
    spec = sshd.spec("slow")
    transport = SshTransport(spec, pool)
    try:
        t0 = time.monotonic()
        with pytest.raises(CollectError) as caught:
            await transport.run("while :; do echo tick; sleep 0.2; done", 1)
        assert caught.value.category == "timeout"
        assert time.monotonic() - t0 < 2
        assert await transport.run("echo ok", 10) == b"ok\n"
        assert pool.info(spec).connects == 1
    finally:
        await pool.close()


async def test_output_that_stalls_midway_is_a_hang(sshd: Sshd) -> None:
    t0 = time.monotonic()
    # The stall bound leaves room for a loaded machine to deliver the first line. The
    # plain stream, so that the first line arrives before the stall (gzip holds it).
    err = await failure(
        sshd, sshd.spec("stuck"), "echo started; sleep 30", 60, stall_timeout=3, compress=False
    )
    assert err.category == "hang"
    assert "after 8 bytes" in err.message
    assert time.monotonic() - t0 < 15  # the stall bound, not the 60 s run timeout


async def test_a_stall_is_a_hang_through_gzip_too(sshd: Sshd) -> None:
    t0 = time.monotonic()
    err = await failure(sshd, sshd.spec("stuck"), "echo started; sleep 30", 60, stall_timeout=3)
    assert err.category == "hang"
    assert time.monotonic() - t0 < 15


@pytest.mark.parametrize("compress", [True, False])
async def test_a_failing_sh_with_no_output_is_a_collector_error(sshd: Sshd, compress: bool) -> None:
    """The collector's own exit status, also through the gzip pipeline (whose is gzip's)."""
    err = await failure(
        sshd, sshd.spec("broken"), "echo 'sh: 1: oops' >&2; exit 3", compress=compress
    )
    assert err.category == "collector"
    assert "exited 3" in err.message and "oops" in err.message

"""The SSH transport against a real OpenSSH server (tests/ssh/conftest.py): what works."""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.transports import LocalTransport, collect
from cockpit.transports.ssh import SshTransport
from tests.ssh.conftest import ALIAS, BEHIND, Sshd


async def test_collector_over_ssh_gives_the_same_facts_as_a_local_run(sshd: Sshd) -> None:
    """The real collector through a ~/.ssh/config alias (HostName, Port, User and
    IdentityFile all come from the config): a complete snapshot, judged, that agrees with
    a local run on this same machine."""
    pool = sshd.pool()
    try:
        remote = await collect(
            SshTransport(HostSpec(name="via-ssh", kind="ssh", address=ALIAS), pool)
        )
    finally:
        await pool.close()
    local = await collect(LocalTransport(HostSpec(name="here", kind="local")))
    assert remote.framing_issues == ()
    assert remote.mode == "live"
    state = judge_snapshot(remote)
    here = judge_snapshot(local)
    assert state.reachable and state.error is None
    assert state.verdict in ("bootable", "unbootable", "unknown")
    assert state.facts is not None and here.facts is not None
    init, local_init = state.facts.init, here.facts.init
    assert init.pid1 == local_init.pid1
    assert init.pid1.comm_state == "ok"
    assert (init.running_family, init.boot_family) == (
        local_init.running_family,
        local_init.boot_family,
    )
    assert state.init_boot == here.init_boot
    assert state.facts.host.kernel_release == here.facts.host.kernel_release
    assert sorted(remote.sections) == sorted(local.sections)


async def test_two_refreshes_use_one_connection_and_two_execs(sshd: Sshd) -> None:
    pool = sshd.pool()
    spec = sshd.spec("reuse")
    transport = SshTransport(spec, pool)
    before = sshd.log_text()
    try:
        await collect(transport)
        await collect(transport)
        info = pool.info(spec)
        conn, _ = await pool.acquire(spec)
        client_port = conn.get_extra_info("sockname")[1]
    finally:
        await pool.close()
    assert (info.state, info.connects, info.runs) == ("connected", 1, 2)
    new_log = sshd.log_text()[len(before) :]
    logins = re.findall(r"Accepted publickey for root from 127\.0\.0\.1 port (\d+)", new_log)
    execs = re.findall(r"Starting session: command for root from 127\.0\.0\.1 port (\d+)", new_log)
    assert logins == [str(client_port)], new_log  # one TCP connection, one authentication
    assert execs == [str(client_port)] * 2, new_log  # two exec channels on it


async def test_sudo_runs_the_collector_through_sudo_n(sshd: Sshd) -> None:
    pool = sshd.pool()
    try:
        out = await SshTransport(sshd.spec("root-sudo", sudo=True), pool).run(
            "echo $SUDO_USER; id -u", 10
        )
    finally:
        await pool.close()
    assert out == b"root\n0\n"


async def test_channels_per_connection_are_bounded(sshd: Sshd) -> None:
    """Six runs at once on a pool allowing two channels: they queue (three waves of
    0.3 s) instead of hitting sshd's MaxSessions, and all succeed on one connection."""
    pool = sshd.pool(max_channels=2)
    spec = sshd.spec("channels")
    transport = SshTransport(spec, pool)
    t0 = time.monotonic()
    try:
        outs = await asyncio.gather(*(transport.run("sleep 0.3; echo done", 10) for _ in range(6)))
        info = pool.info(spec)
    finally:
        await pool.close()
    assert outs == [b"done\n"] * 6
    assert time.monotonic() - t0 >= 0.85
    assert (info.connects, info.runs) == (1, 6)


@pytest.mark.parametrize("compress", [True, False])
async def test_output_past_the_cap_is_cut_and_the_exec_stopped(
    sshd: Sshd, monkeypatch: pytest.MonkeyPatch, compress: bool
) -> None:
    """Through gzip too: the cap is on the inflated bytes, however well they compress."""
    monkeypatch.setattr("cockpit.transports.ssh.MAX_OUTPUT_BYTES", 1_000_000)
    pool = sshd.pool(compress=compress)
    t0 = time.monotonic()
    try:
        out = await SshTransport(sshd.spec("runaway"), pool).run("cat /dev/zero", 20)
    finally:
        await pool.close()
    assert len(out) == 1_000_000
    assert time.monotonic() - t0 < 15  # stopped at the cap, not at the 20 s run timeout


async def test_proxyjump_from_ssh_config_is_followed(sshd: Sshd) -> None:
    """BEHIND is reached through JUMP (both this sshd): two logins, the second one
    arriving through the first connection's direct-tcpip channel."""
    pool = sshd.pool()
    before = sshd.log_text()
    try:
        out = await SshTransport(HostSpec(name="behind", kind="ssh", address=BEHIND), pool).run(
            "echo through", 10
        )
    finally:
        await pool.close()
    assert out == b"through\n"
    new_log = sshd.log_text()[len(before) :]
    logins = re.findall(r"Accepted publickey for root from 127\.0\.0\.1 port (\d+)", new_log)
    execs = re.findall(r"Starting session: command for root from 127\.0\.0\.1 port (\d+)", new_log)
    assert len(logins) == 2, new_log  # the jump host, then the target through it
    assert execs == [logins[1]], new_log  # the collector ran on the target connection only

"""`cockpit check` over many hosts: concurrent, each failure its own, exit = worst host.

Uses loopback listeners that accept TCP and never speak SSH (a hung sshd, a frozen VM):
no sshd needed; the real-server cases live in tests/ssh/.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from tests.support import REPO, run_cockpit


@pytest.fixture
def silent_ports() -> Iterator[list[int]]:
    """Two 127.0.0.1 ports whose listener completes TCP handshakes and then says nothing."""
    socks = []
    for _ in range(2):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        socks.append(s)
    yield [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()


def test_silent_hosts_time_out_concurrently_and_never_hide_the_others(
    silent_ports: list[int],
) -> None:
    timeout = 6  # one at a time, the silent hosts alone would take 2 x timeout
    start = time.monotonic()
    proc = run_cockpit(
        "check", *(f"127.0.0.1:{p}" for p in silent_ports),
        "--root", str(REPO / "sample_hosts" / "debian12-systemd"),
        "--timeout", str(timeout), "--format", "json",
    )  # fmt: skip
    elapsed = time.monotonic() - start
    hosts = {h["name"]: h for h in json.loads(proc.stdout)["hosts"]}
    for port in silent_ports:
        host = hosts[f"127.0.0.1:{port}"]
        assert host["verdict"] == "unknown" and not host["reachable"]
        assert host["error_category"] == "timeout", host
    assert hosts["debian12-systemd"]["verdict"] == "bootable"
    assert proc.returncode == 3  # worst host: unknown
    assert elapsed < 2 * timeout - 1, f"hosts were not checked concurrently ({elapsed:.1f}s)"

"""Issue 13 §12: two hosts behind one address share a connection and its failure, but an
error always names its own host (`check` said `web01 (127.0.0.1:PORT)` for web02)."""

from __future__ import annotations

import pytest

from cockpit.hostspec import HostSpec
from cockpit.transports.base import CollectError
from cockpit.transports.ssh_pool import SshPool
from tests.ssh.conftest import free_port


async def test_each_host_sharing_a_failed_link_is_named_in_its_own_error() -> None:
    port = free_port()  # nothing listens: connection refused at once
    web01 = HostSpec(name="web01", kind="ssh", address="127.0.0.1", port=port)
    web02 = HostSpec(name="web02", kind="ssh", address="127.0.0.1", port=port)
    pool = SshPool(connect_timeout=5)
    try:
        with pytest.raises(CollectError) as first:
            await pool.acquire(web01)
        with pytest.raises(CollectError) as second:
            await pool.acquire(web02)
    finally:
        await pool.close()
    assert first.value.message.startswith("web01 (127.0.0.1:")
    assert second.value.message.startswith("web02 (127.0.0.1:"), second.value.message
    assert "web01" not in second.value.message

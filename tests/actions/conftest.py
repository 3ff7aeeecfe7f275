"""Fixtures for the action tests: a SessionLog that keeps what it is told, the real sshd."""

from __future__ import annotations

import pytest

from tests.ssh.conftest import _no_agent, sshd  # noqa: F401  (the real loopback sshd)
from tests.support_log import MemoryLog


@pytest.fixture
def log() -> MemoryLog:
    return MemoryLog()

"""Fixtures for the action tests: a SessionLog that keeps what it is told, the real sshd."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from cockpit.snapshot import Snapshot
from cockpit.state import HostState
from tests.ssh.conftest import _no_agent, sshd  # noqa: F401  (the real loopback sshd)


class ListLog:
    """A SessionLog that keeps every action event (the others are not under test here)."""

    path: Path | None = None

    def __init__(self) -> None:
        self.actions: list[dict[str, Any]] = []

    def action(
        self,
        at: datetime,
        host: str,
        kind: str,
        target: str,
        before: str,
        after: str,
        ok: bool,
        message: str,
    ) -> None:
        self.actions.append(
            {"at": at, "h": host, "kind": kind, "target": target, "before": before,
             "after": after, "ok": ok, "message": message}
        )  # fmt: skip

    def snapshot(self, snapshot: Snapshot) -> None:
        pass

    def error(self, host: str, category: str, message: str, at: datetime) -> None:
        pass

    def note(self, text: str, at: datetime, host: str | None = None) -> None:
        pass

    def quit_refused(self, at: datetime, via: str, hosts: Sequence[HostState]) -> None:
        pass

    def quit_override(self, at: datetime, via: str, typed: str, hosts: Sequence[HostState]) -> None:
        pass

    def session_lost(self, at: datetime, signal: str, hosts: Sequence[HostState]) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def log() -> ListLog:
    return ListLog()

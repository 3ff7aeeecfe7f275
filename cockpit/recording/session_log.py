"""What the live session writes on the record: the interface the app and actions use.

The app, the quit guard and actions only ever see this Protocol, so the recorder behind
it (a JSON Lines recording, or nothing with `--no-record`) can change without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from cockpit.snapshot import Snapshot
from cockpit.state import HostState


class SessionLog(Protocol):
    #: Where the record goes (None: not recorded). Shown in the header and on exit.
    path: Path | None
    #: Why recording stopped mid-session (full disk...), shown on screen; None while fine.
    failed: str | None

    def snapshot(self, snapshot: Snapshot) -> None:
        """A merged refresh (after cadence carry-forward): recorded as a delta."""

    def error(self, host: str, category: str, message: str, at: datetime) -> None:
        """A refresh that failed (CollectError): the host's state is unknown from here."""

    def note(self, text: str, at: datetime, host: str | None = None) -> None:
        """An operator's note (a key in the app)."""

    def quit_refused(self, at: datetime, via: str, hosts: Sequence[HostState]) -> None:
        """The quit guard stopped an exit; `via` is q, ctrl+q, palette, SIGINT or SIGTERM."""

    def quit_override(self, at: datetime, via: str, typed: str, hosts: Sequence[HostState]) -> None:
        """The admin left anyway by typing the host name `typed`."""

    def session_lost(self, at: datetime, signal: str, hosts: Sequence[HostState]) -> None:
        """SIGHUP while a host was unbootable: cannot be refused, only recorded."""

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
        """A change made on a host: content before and after, and the result."""

    def close(self) -> None: ...


class NullLog:
    """`--no-record`: every event is dropped, on purpose and visibly (path is None)."""

    path: Path | None = None
    failed: str | None = None

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
        pass

    def close(self) -> None:
        pass

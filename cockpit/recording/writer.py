"""JsonlRecorder: the session on the record, one JSON line per event, append-only.

Each event is one `os.write` of its whole line on a file opened O_APPEND, so a killed
process loses at most the line being written (and the reader skips a cut last line).
The recorder never raises into the app once it is open: a full disk or a vanished
mount stops the recording, and `failed` says why so the app can show
"recording stopped: <reason>" instead of dying in the middle of a migration.
"""

from __future__ import annotations

import contextlib
import os
import pwd
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cockpit.hostspec import HostSpec
from cockpit.recording.delta import snapshot_record
from cockpit.recording.format import (
    ACTION,
    ERROR,
    KEYFRAME_EVERY,
    MAX_LINE_BYTES,
    NOTE,
    QUIT_OVERRIDE,
    QUIT_REFUSED,
    SESSION_LOST,
    RecordingError,
    encode_line,
    header_record,
    iso,
    parse_time,
)
from cockpit.rules.finding import Severity
from cockpit.snapshot import Sections, Snapshot
from cockpit.state import HostState


def session_user() -> str:
    """Who is at the keyboard: the sudo caller first (the root shell is shared)."""
    for var in ("SUDO_USER", "USER"):
        value = os.environ.get(var)
        if value:
            return value
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())


def guard_hosts(hosts: Sequence[HostState]) -> list[dict[str, Any]]:
    """The hosts that made the guard act, with their blockers and armed reboot."""
    out = []
    for h in hosts:
        reboot = h.next_reboot
        out.append(
            {
                "name": h.name,
                "verdict": h.verdict,
                "blockers": [
                    {"id": f.id, "title": f.title}
                    for f in h.findings
                    if f.severity == Severity.BLOCKER
                ],
                "next_reboot": None
                if reboot is None
                else {"at": iso(reboot.at) if reboot.at else None, "source": reboot.source},
            }
        )
    return out


class JsonlRecorder:
    """A SessionLog that writes a JSON Lines recording (format: DESIGN.md, format.py)."""

    def __init__(self, path: Path, fd: int, user: str) -> None:
        self.path: Path | None = path
        self.failed: str | None = None  # why recording stopped, once it has
        self._fd: int | None = fd
        self._user = user
        self._previous: dict[str, Sections] = {}  # host -> last recorded sections
        self._seq: dict[str, int] = {}
        self._since_key: dict[str, int] = {}  # snapshots since the host's last keyframe
        self._last_t: datetime | None = None

    @classmethod
    def create(
        cls, path: Path | str, *, argv: Sequence[str], hosts: Sequence[HostSpec], now: datetime
    ) -> JsonlRecorder:
        """Open a new recording and write its header. RecordingError (with what to do)
        when it cannot start: the file exists, the directory is not writable..."""
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise RecordingError(
                f"cannot record to {target}: it already exists (a recording is never "
                "appended to another); choose a new file name"
            ) from None
        except OSError as exc:
            raise RecordingError(f"cannot record to {target}: {exc.strerror or exc}") from None
        recorder = cls(target, fd, session_user())
        recorder._write(header_record(argv, hosts, now))
        if recorder.failed:
            recorder.close()
            raise RecordingError(f"cannot record to {target}: {recorder.failed}")
        return recorder

    # -- SessionLog ---------------------------------------------------------------

    def snapshot(self, snapshot: Snapshot) -> None:
        host = snapshot.host
        seq = self._seq.get(host, 0)
        previous = self._previous.get(host)
        keyframe = previous is None or self._since_key.get(host, 0) >= KEYFRAME_EVERY - 1
        received = snapshot.started + timedelta(seconds=snapshot.duration_s)
        try:
            record = snapshot_record(snapshot, previous, seq, keyframe, self._t(received))
        except Exception as exc:  # a bug must stop the record, not the app
            self._fail(f"internal error: {type(exc).__name__}: {exc}")
            return
        if self._write(record):
            self._previous[host] = snapshot.sections
            self._seq[host] = seq + 1
            self._since_key[host] = 0 if record["k"] else self._since_key.get(host, 0) + 1

    def error(self, host: str, category: str, message: str, at: datetime) -> None:
        # The host may come back changed: its next snapshot is a keyframe.
        self._previous.pop(host, None)
        self._write(
            {"t": self._t(at), "e": ERROR, "h": host, "category": category, "message": message}
        )

    def note(self, text: str, at: datetime, host: str | None = None) -> None:
        self._write({"t": self._t(at), "e": NOTE, "h": host, "text": text, "user": self._user})

    def quit_refused(self, at: datetime, via: str, hosts: Sequence[HostState]) -> None:
        self._guard(QUIT_REFUSED, at, {"via": via}, hosts)

    def quit_override(self, at: datetime, via: str, typed: str, hosts: Sequence[HostState]) -> None:
        self._guard(QUIT_OVERRIDE, at, {"via": via, "typed": typed}, hosts)

    def session_lost(self, at: datetime, signal: str, hosts: Sequence[HostState]) -> None:
        self._guard(SESSION_LOST, at, {"signal": signal}, hosts)

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
        self._write(
            {
                "t": self._t(at),
                "e": ACTION,
                "h": host,
                "kind": kind,
                "target": target,
                "before": before,
                "after": after,
                "ok": ok,
                "message": message,
                "user": self._user,
            }
        )

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    # -- internals ----------------------------------------------------------------

    def _guard(self, kind: str, at: datetime, fields: dict, hosts: Sequence[HostState]) -> None:
        try:
            listed = guard_hosts(hosts)
        except Exception as exc:
            self._fail(f"internal error: {type(exc).__name__}: {exc}")
            return
        record = {"t": self._t(at), "e": kind, "h": None, **fields, "user": self._user}
        record["hosts"] = listed
        self._write(record)

    def _t(self, at: datetime) -> str:
        """Event time, never earlier than the previous line's: readers binary-search the
        file by "t", so it must not go backwards (a slow host's snapshot that started
        before an error line was written, a clock stepped back)."""
        if at.tzinfo is None:
            at = at.astimezone()
        if self._last_t is not None and at < self._last_t:
            at = self._last_t
        self._last_t = at
        return iso(at)

    def _write(self, record: dict[str, Any]) -> bool:
        """One whole line in one write (looping only on a short write). False, and
        `failed` set, once anything goes wrong; nothing is written after that."""
        if self._fd is None or self.failed is not None:
            return False
        try:
            data = encode_line(record)
            if len(data) > MAX_LINE_BYTES:
                return self._too_long(record, len(data))
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError as exc:
            self._fail(exc.strerror or str(exc))
            return False
        except Exception as exc:
            self._fail(f"internal error: {type(exc).__name__}: {exc}")
            return False
        return True

    def _too_long(self, record: dict[str, Any], size: int) -> bool:
        """A line readers would skip (format.MAX_LINE_BYTES) is not written; a short line
        says what it was instead (for a host: an error, and its next snapshot a keyframe)."""
        at = parse_time(record["t"])
        what = f"a {record.get('e')} event of {size} bytes was not recorded"
        why = f"a recording line holds at most {MAX_LINE_BYTES} bytes"
        host = record.get("h")
        if isinstance(host, str):
            self._previous.pop(host, None)
            self.error(host, "recording", f"{what}: {why}", at)
        else:
            self.note(f"{what}: {why}", at)
        return False

    def _fail(self, reason: str) -> None:
        if self.failed is None:
            self.failed = reason
        self.close()

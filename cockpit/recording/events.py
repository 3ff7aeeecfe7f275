"""The events a recording holds, as typed frozen values (what readers hand out).

Every event has `t` (client time, aware) and `host` (a name, or None for session-wide
events). Snapshot events carry the full reconstructed Snapshot, never a delta: readers
resolve deltas (delta.py) so that nothing downstream knows they exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cockpit.recording.format import ACTION, ERROR, GUARD_KINDS, NOTE, parse_time
from cockpit.snapshot import Snapshot


@dataclass(frozen=True)
class SnapshotEvent:
    t: datetime
    host: str
    seq: int  # the host's snapshot number ("n"), from 0
    keyframe: bool
    snapshot: Snapshot


@dataclass(frozen=True)
class ErrorEvent:
    """A refresh that failed: from here the host's state is unknown."""

    t: datetime
    host: str
    category: str
    message: str


@dataclass(frozen=True)
class NoteEvent:
    t: datetime
    host: str | None
    text: str
    user: str


@dataclass(frozen=True)
class Blocker:
    id: str
    title: str


@dataclass(frozen=True)
class RecordedReboot:
    at: datetime | None  # None: armed, time unknown
    source: str


@dataclass(frozen=True)
class GuardHost:
    """A host that made the quit guard act, as it was judged at that moment."""

    name: str
    verdict: str
    blockers: tuple[Blocker, ...]
    next_reboot: RecordedReboot | None


@dataclass(frozen=True)
class GuardEvent:
    """quit-refused, quit-override or session-lost. `via` is the key/palette/signal that
    asked to quit (the "signal" field for session-lost); `typed` only for an override."""

    t: datetime
    kind: str
    via: str
    user: str
    hosts: tuple[GuardHost, ...]
    typed: str | None = None
    host: None = None


@dataclass(frozen=True)
class ActionEvent:
    t: datetime
    host: str
    kind: str  # disarm-cron, rearm-cron, disarm-script, rearm-script, cancel-shutdown, atrm
    target: str
    before: str
    after: str
    ok: bool
    message: str
    user: str


Event = SnapshotEvent | ErrorEvent | NoteEvent | GuardEvent | ActionEvent


def _str(record: Mapping[str, Any], key: str, default: str = "") -> str:
    value = record.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValueError(f'"{key}" is not a string')
    return value


def _host(record: Mapping[str, Any]) -> str:
    host = record.get("h")
    if not isinstance(host, str):
        raise ValueError("event without a host name")
    return host


def decode_other(record: Mapping[str, Any]) -> Event | None:
    """A non-snapshot event, or None for an event kind this reader does not know (a
    newer writer's: skipped, like unknown keys). ValueError when it is malformed."""
    kind = record.get("e")
    t = parse_time(record.get("t"))
    if kind == ERROR:
        return ErrorEvent(t, _host(record), _str(record, "category"), _str(record, "message"))
    if kind == NOTE:
        host = record.get("h")
        return NoteEvent(
            t, host if isinstance(host, str) else None, _str(record, "text"), _str(record, "user")
        )
    if kind in GUARD_KINDS:
        via = record.get("via", record.get("signal", ""))
        typed = record.get("typed")
        hosts = record.get("hosts", [])
        if not isinstance(hosts, list):
            raise ValueError('"hosts" is not a list')
        return GuardEvent(
            t=t,
            kind=str(kind),
            via=str(via),
            user=_str(record, "user"),
            hosts=tuple(_guard_host(h) for h in hosts),
            typed=typed if isinstance(typed, str) else None,
        )
    if kind == ACTION:
        ok = record.get("ok")
        if not isinstance(ok, bool):
            raise ValueError('action "ok" is not true or false')
        return ActionEvent(
            t=t,
            host=_host(record),
            kind=_str(record, "kind"),
            target=_str(record, "target"),
            before=_str(record, "before"),
            after=_str(record, "after"),
            ok=ok,
            message=_str(record, "message"),
            user=_str(record, "user"),
        )
    return None


def _guard_host(value: object) -> GuardHost:
    if not isinstance(value, dict):
        raise ValueError("a guard host is not an object")
    blockers = value.get("blockers", [])
    if not isinstance(blockers, list):
        raise ValueError('"blockers" is not a list')
    reboot = value.get("next_reboot")
    recorded = None
    if isinstance(reboot, dict):
        at = reboot.get("at")
        recorded = RecordedReboot(
            at=parse_time(at) if at is not None else None, source=_str(reboot, "source")
        )
    return GuardHost(
        name=_str(value, "name"),
        verdict=_str(value, "verdict", "unknown"),
        blockers=tuple(
            Blocker(_str(b, "id"), _str(b, "title")) for b in blockers if isinstance(b, dict)
        ),
        next_reboot=recorded,
    )

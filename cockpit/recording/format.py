"""The recording format's fixed parts: header, event names, times, one line's bytes.

DESIGN.md fixes the format (JSON Lines, a header line, then one event a line whose first
keys are "t", "e", "h"). Writer and readers both take these definitions from here, so
the two cannot disagree about a name or a time's spelling.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cockpit import __version__
from cockpit.hostspec import HostSpec
from cockpit.words import Mode

FORMAT = "cockpit-recording"
VERSION = 1

SNAPSHOT = "snapshot"
ERROR = "error"
NOTE = "note"
QUIT_REFUSED = "quit-refused"
QUIT_OVERRIDE = "quit-override"
SESSION_LOST = "session-lost"
ACTION = "action"
GUARD_KINDS = (QUIT_REFUSED, QUIT_OVERRIDE, SESSION_LOST)

#: A keyframe (every section of a host) at least every K snapshots of that host: a seek
#: never replays more than K-1 deltas per host.
KEYFRAME_EVERY = 60

#: The longest line a recording may hold. A keyframe is ~25 KB; a host's judged sections
#: are capped far below this (cockpit/budget.py). The writer never writes a longer line,
#: and readers skip one (saying so) without holding it: a 500 MB line cost 1.5 GB.
MAX_LINE_BYTES = 32 << 20


class RecordingError(Exception):
    """A file that cannot be read (or written) as a recording; the message says what the
    file is and what to do about it, ready to show as is."""


@dataclass(frozen=True)
class RecordedHost:
    """A host as the header names it (how it was reached, not its state)."""

    name: str
    kind: str
    mode: Mode
    root: str
    address: str | None


@dataclass(frozen=True)
class Header:
    version: int
    cockpit: str
    started: datetime
    argv: tuple[str, ...]
    hosts: tuple[RecordedHost, ...]


def iso(at: datetime) -> str:
    """ISO-8601 with the offset, microseconds kept (replayed clocks must be exact)."""
    if at.tzinfo is None:
        raise ValueError("recorded times must be timezone-aware")
    return at.isoformat()


def loads(line: bytes | str) -> Any:
    """`json.loads`, with input nested too deeply for it (100,000 `[`: RecursionError)
    refused like any other invalid JSON, as ValueError."""
    try:
        return json.loads(line)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def parse_time(text: object) -> datetime:
    """The inverse of `iso`; ValueError for anything else (naive times included)."""
    if not isinstance(text, str):
        raise ValueError(f"not a time: {text!r}")
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"time without offset: {text!r}")
    return value


def encode_line(obj: dict[str, Any]) -> bytes:
    """One event as one line. UTF-8 as is (smaller than \\u escapes); a str that cannot be
    UTF-8 (a lone surrogate) falls back to ASCII escapes, which JSON round-trips exactly."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(obj, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")


def header_record(argv: Sequence[str], hosts: Sequence[HostSpec], started: datetime) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "cockpit": __version__,
        "started": iso(started),
        "argv": list(argv),
        "hosts": [
            {
                "name": h.name,
                "kind": h.kind,
                "mode": Mode.of_kind(h.kind),
                "root": h.root,
                "address": h.address,
            }
            for h in hosts
        ],
    }


def parse_header(line: bytes, path: str) -> Header:
    """The first line, or a RecordingError that says what the file is instead."""
    what = _sniff(line)
    if what is not None:
        raise RecordingError(f"{path} is not a cockpit recording ({what})")
    try:
        obj = loads(line)
    except ValueError:
        raise RecordingError(
            f"{path} is not a cockpit recording (its first line is not JSON)"
        ) from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise RecordingError(
            f"{path} is not a cockpit recording (its first line is not a "
            f'"{FORMAT}" header); recordings are written by `cockpit` and '
            "`cockpit check --record FILE`"
        )
    version = obj.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise RecordingError(f"{path}: the header's version {version!r} is not a number")
    if version > VERSION:
        raise RecordingError(
            f"{path} is a version {version} recording, written by cockpit "
            f"{obj.get('cockpit', '?')}; this cockpit ({__version__}) reads version "
            f"{VERSION}: upgrade cockpit to replay it"
        )
    try:
        started = parse_time(obj.get("started"))
    except ValueError:
        raise RecordingError(f"{path}: the header has no valid start time") from None
    argv = obj.get("argv")
    hosts = obj.get("hosts")
    return Header(
        version=version,
        cockpit=str(obj.get("cockpit", "?")),
        started=started,
        argv=tuple(str(a) for a in argv) if isinstance(argv, list) else (),
        hosts=tuple(
            _host(h) for h in hosts if isinstance(h, dict) and isinstance(h.get("name"), str)
        )
        if isinstance(hosts, list)
        else (),
    )


def _host(h: dict) -> RecordedHost:
    address = h.get("address")
    return RecordedHost(
        name=h["name"],
        kind=str(h.get("kind", "?")),
        mode=Mode.OFFLINE if h.get("mode") == Mode.OFFLINE else Mode.LIVE,
        root=str(h.get("root", "/")),
        address=address if isinstance(address, str) else None,
    )


_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\x1f\x8b", "a gzip file: gunzip it first"),
    (b"PK\x03\x04", "a zip archive"),
    (b"%PDF", "a PDF document"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xfd7zXZ", "an xz file: unxz it first"),
    (b"(\xb5/\xfd", "a zstd file: unzstd it first"),
)


def _sniff(line: bytes) -> str | None:
    """A friendlier 'what is it instead' for common mistakes."""
    for magic, what in _MAGIC:
        if line.startswith(magic):
            return what
    stripped = line.lstrip()
    if stripped.startswith(b"["):
        return "it holds a JSON array; is it `cockpit check --format json` output?"
    if stripped.startswith(b'{"cockpit"'):
        return "it looks like `cockpit check --format json` output"
    return None

"""Section helpers shared by the reboots parsers.

Every reboot source is read the same way (a listing section plus one `prefix:/path`
section per file), and every parser must report a read state the same way, so that
"truncated" and "denied" mean one thing across cron, at, timers and flags.
"""

from __future__ import annotations

from collections.abc import Iterator

from cockpit.facts.reboots import SourceState
from cockpit.snapshot import Section, Sections


def per_file(sections: Sections, prefix: str) -> Iterator[tuple[str, Section]]:
    """(path, section) for per-file sections `prefix:/path`, each path once."""
    seen: set[str] = set()
    for sec in sections.prefixed(prefix):
        path = sec.name.split(":", 1)[1]
        if path not in seen:
            seen.add(path)
            yield path, sec


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def read_state(sec: Section) -> str:
    """The section's state, with a cut-off read reported as `truncated` (not plain ok)."""
    return "truncated" if sec.ok and sec.truncated else sec.state


def source_state(
    sec: Section, path: str, what: str, short: str, unit: str = "files"
) -> SourceState:
    """How a listing or file was read; a listing cut at its cap says how many it held and
    how many were read (`cron.d: 250 files, 200 read`)."""
    note = sec.cut_note(short, unit) if sec.state == "cut" else None
    return SourceState(path, read_state(sec), what, note)


def ini(text: str) -> dict[str, list[tuple[str, str, str]]]:
    """systemd/dnf INI: {section: [(key, value, raw line)]}; continuation lines ignored."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            continue
        key, sep, value = line.partition("=")
        if sep:
            out.setdefault(current, []).append((key.strip(), value.strip(), raw.strip()))
    return out

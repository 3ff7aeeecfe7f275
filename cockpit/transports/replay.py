"""Replay is a transport: a recorded snapshot's sections go back through the collector's
own framing and splitting, so replay runs the same code path as live.

A live host answers the collector script with framed bytes; `ReplayTransport.run` answers
the same script with the recorded sections framed exactly as collector/sh/10-frame.sh
frames them, under the boundary the script chose. `split_output` then splits them, and the
parsers and rules judge the result as they would have judged the host. Nothing here
knows about parsing: a bug in replay would have to be a bug in the live path too.
"""

from __future__ import annotations

import re
import secrets
import shlex
from dataclasses import dataclass, replace

from cockpit.collector import split_output
from cockpit.collector.script import BOUNDARY_PREFIX
from cockpit.hostspec import HostSpec
from cockpit.snapshot import Sections, Snapshot
from cockpit.transports.base import CollectError
from cockpit.words import Mode

_B_LINE = re.compile(r"^B=(.*)$", re.MULTILINE)


def frame_sections(sections: Sections, boundary: str) -> bytes:
    """The bytes a collector run would have sent to produce `sections`.

    Each section's END line carries a byte cap: the section's own length, so a truncated
    section gets one byte past it (as the host sends one past its cap) and is cut back
    to exactly the recorded text. PROBE lines restore which probe emitted each section.
    """
    out: list[bytes] = []
    b = boundary.encode()
    probe = ""
    for name, section in sections.items():
        if section.probe != probe:
            probe = section.probe
            out.append(b + b" PROBE " + probe.encode() + b"\n")
        body = section.text.encode("utf-8", errors="surrogatepass")
        cap = len(body)
        if section.truncated:
            body += b"+"
        out.append(b + b" BEGIN " + name.encode() + b"\n")
        out.append(body)
        end = f"\n{boundary} END {section.rc} {section.state} {cap} {name}\n"
        out.append(end.encode())
    out.append(b + b" DONE\n")
    return b"".join(out)


def boundary_of(script: str) -> str:
    """The boundary a collector script frames its output with (its `B=` line)."""
    found = _B_LINE.search(script)
    if found is None:
        raise CollectError("collector", "replay: the script sets no boundary (B=...)")
    words = shlex.split(found.group(1))
    if len(words) != 1:
        raise CollectError("collector", "replay: the script's boundary line is malformed")
    return words[0]


@dataclass
class ReplayTransport:
    """Answers a collector script with a recorded snapshot, as the host once did."""

    spec: HostSpec
    recorded: Snapshot

    @property
    def mode(self) -> Mode:
        return self.recorded.mode

    async def run(self, script: str, timeout: float) -> bytes:
        return frame_sections(self.recorded.sections, boundary_of(script))


def _fresh_boundary(sections: Sections) -> str:
    """A random boundary, as the live collector picks, that no recorded text contains."""
    while True:
        boundary = f"{BOUNDARY_PREFIX}{secrets.token_hex(16)}=="
        if not any(boundary in s.text or boundary in s.name for s in sections.values()):
            return boundary


def reframed(recorded: Snapshot) -> Snapshot:
    """The snapshot as live judged it: recorded sections re-framed under a fresh boundary
    and split by the collector's own `split_output`; clock, timing and the framing
    issues of the original run come from the record (replay's own run has none)."""
    boundary = _fresh_boundary(recorded.sections)
    result = split_output(frame_sections(recorded.sections, boundary), boundary)
    return replace(
        recorded,
        sections=result.sections,
        framing_issues=recorded.framing_issues + result.issues,
    )

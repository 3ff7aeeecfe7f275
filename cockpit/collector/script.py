"""Assemble the probes into one POSIX sh script, framed by a per-run random boundary.

The script is sent on stdin (`sh -s`), so nothing is installed on hosts. Its body is one
shell function called with stdin from /dev/null: the shell parses the whole script before
any probe runs, and no command a probe starts can swallow the rest of the script.
"""

from __future__ import annotations

import functools
import secrets
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from cockpit.probes.base import Probe
from cockpit.words import Mode

BOUNDARY_PREFIX = "==COCKPIT-"


def _without_comments(text: str) -> str:
    """Comment-only lines cost every host bytes and parse time on every refresh (a fifth
    of the script); the commented source stays in the repo. No snippet has a multi-line
    string with a line starting with '#' (the shell tests would catch one)."""
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("#"))


@functools.cache
def _prelude() -> str:
    """The sh helpers (collector/sh/*.sh), in their numbered order. Read once per process:
    a fleet builds a script per host per refresh."""
    folder = resources.files("cockpit.collector").joinpath("sh")
    parts = sorted((p for p in folder.iterdir() if p.name.endswith(".sh")), key=lambda p: p.name)
    return "\n".join(_without_comments(p.read_text("utf-8")) for p in parts)


@dataclass(frozen=True)
class CollectorRun:
    """A script ready to send, and the boundary that frames its answer."""

    script: str
    boundary: str
    mode: Mode
    root: str


@functools.cache
def _probe_body(probe: Probe) -> str:
    return _without_comments(probe.script.strip("\n"))


def _root_prefix(root: str) -> str:
    """`/` becomes the empty prefix; other roots lose trailing slashes."""
    stripped = root.rstrip("/")
    return stripped


def build_script(
    probes: Sequence[Probe],
    *,
    mode: Mode,
    root: str = "/",
    token: str | None = None,
    cached: Sequence[str] = (),
) -> CollectorRun:
    """`cached`: section names the client still holds fresh copies of (see cadence.py)."""
    token = token or secrets.token_hex(16)
    boundary = f"{BOUNDARY_PREFIX}{token}=="
    root_prefix = _root_prefix(root) if mode == Mode.OFFLINE else ""
    parts = [
        "# cockpit collector: read-only, generated for one run. See cockpit/probes/.",
        f"B={shlex.quote(boundary)}",
        f"ROOT={shlex.quote(root_prefix)}",
        f"MODE={mode}",
        f"CACHED={shlex.quote(' '.join(n for n in cached if n.isprintable() and ' ' not in n))}",
        "LC_ALL=C; export LC_ALL",
        _prelude(),
        "cockpit_main() {",
    ]
    for probe in probes:
        parts.append(f"printf '%s PROBE %s\\n' \"$B\" {shlex.quote(probe.name)}")
        parts.append(f"CAP={int(probe.cap_bytes)} TMO={int(probe.timeout_s)}")
        parts.append(_probe_body(probe))
    parts.append(":")
    parts.append("}")
    # Every printf is its own small write, and over ssh each becomes a packet (~180 per
    # refresh, most of the client's CPU at 500 hosts). dd reblocks the stream into 16 KB
    # writes; where dd is missing the output goes straight out.
    parts.append("cockpit_run() { cockpit_main </dev/null; printf '%s DONE\\n' \"$B\"; }")
    parts.append(
        "if command -v dd >/dev/null 2>&1; then cockpit_run | dd obs=16384 2>/dev/null; "
        "else cockpit_run; fi"
    )
    return CollectorRun(script="\n".join(parts) + "\n", boundary=boundary, mode=mode, root=root)

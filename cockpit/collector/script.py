"""Assemble the probes into one POSIX sh script, framed by a per-run random boundary.

The script is sent on stdin (`sh -s`), so nothing is installed on hosts. Its body is one
shell function called with stdin from /dev/null: the shell parses the whole script before
any probe runs, and no command a probe starts can swallow the rest of the script.
"""

from __future__ import annotations

import functools
import os
import secrets
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from cockpit.probes.base import Probe, watch_paths
from cockpit.probes.base import without_comments as _without_comments
from cockpit.words import Mode

BOUNDARY_PREFIX = "==COCKPIT-"


#: The helpers numbered below this come before the incremental refresh's early stop; the
#: rest (ELF, kernel image, initramfs and since-boot checks: most of the prelude) after it,
#: so a refresh that finds nothing changed never reads them. A probe that runs every
#: refresh (no `watch`) may use only the early ones.
EARLY_BELOW = "40-"


@functools.cache
def _prelude(comments: bool = False, part: str = "all") -> str:
    """The sh helpers (collector/sh/*.sh), in their numbered order: all of them, or the
    `early` or `late` part (EARLY_BELOW). Read once per process: a fleet builds a script per
    host per refresh. `comments`: as written (for shellcheck, whose `# shellcheck
    disable=` directives are comments)."""
    folder = resources.files("cockpit.collector").joinpath("sh")
    parts = sorted((p for p in folder.iterdir() if p.name.endswith(".sh")), key=lambda p: p.name)
    if part != "all":
        parts = [p for p in parts if (p.name < EARLY_BELOW) == (part == "early")]
    keep = (lambda t: t) if comments else _without_comments
    return "\n".join(keep(p.read_text("utf-8")) for p in parts)


#: Whole-script shellcheck directives (they must come before the first command), kept in
#: the lint build only. Each with its reason:
#: SC1007 `a= b=` sets empty variables, several to a line, on purpose (the prelude's style);
#: SC2015 `A && B || continue` means "unless A and B, skip": C running when B fails is
#:        exactly what is meant;
#: SC2317 each probe carries its own copy of the helpers it uses (a probe must run alone:
#:        the bench does), so earlier copies of a function look unreachable.
_LINT_HEADER = ("# shellcheck shell=sh disable=SC1007,SC2015,SC2317",)


@dataclass(frozen=True)
class CollectorRun:
    """A script ready to send, and the boundary that frames its answer."""

    script: str
    boundary: str
    mode: Mode
    root: str


@functools.cache
def _probe_body(probe: Probe, comments: bool = False) -> str:
    body = probe.script.strip("\n")
    return body if comments else _without_comments(body)


def _root_prefix(root: str) -> str:
    """`/` becomes the empty prefix; other roots lose trailing slashes. A relative root
    is made absolute here (the offline collector runs in this process's directory), so
    every path the script names starts with `/`: none can be read as an option, and the
    unforgeable `head -v` headers of 30-emit.sh can be built from it."""
    if not root.startswith("/"):
        root = os.path.join(os.getcwd(), root)
    return root.rstrip("/")


def _fp_call(watched: dict[str, tuple[str, ...]], extra: Mapping[str, Sequence[str]]) -> str:
    """See _fp_line: the same line for the same plan and paths, built once (a steady
    fleet asks for it per host per refresh)."""
    named = tuple((name, tuple(extra.get(name, ()))) for name in watched)
    return _fp_line(tuple(watched.items()), named)


@functools.lru_cache(maxsize=1024)
def _fp_line(
    watched_items: tuple[tuple[str, tuple[str, ...]], ...],
    named: tuple[tuple[str, tuple[str, ...]], ...],
) -> str:
    """The `_fp_take` line: the probes' names, then the paths to stat, each once, in groups
    of the same probes, each group after the marker path: globs under "$ROOT" unquoted (the
    host's shell expands them: no process), the paths the probes' last sections named
    (`extra`) quoted (host data is never globbed). $_FPG says which probes each group
    counts for; the content tokens (`@PATH`) go in $_FPT and $_FPK."""
    members, tokens = _fp_static(watched_items)
    if any(paths for _, paths in named):
        members = {word: list(owners) for word, owners in members.items()}
        for index, (_name, paths) in enumerate(named, start=1):
            for path in paths:
                owners = members.setdefault('"$ROOT"' + shlex.quote(path), [])
                if index not in owners:
                    owners.append(index)
    groups: dict[tuple[int, ...], list[str]] = {}
    for word, owners in members.items():
        groups.setdefault(tuple(owners), []).append(word)
    args = [shlex.quote(" ".join(name for name, _ in watched_items))]
    for words in groups.values():
        args.append('"/$_MK"')
        args.extend(words)
    which = " ".join(",".join(map(str, owners)) for owners in groups)
    return f"{tokens} _FPG='{which}'\n_fp_take {' '.join(args)} </dev/null"


@functools.cache
def _fp_static(
    watched: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[dict[str, list[int]], str]:
    """The static part, the same for every host and refresh with the same plan: each sh
    word to stat with the probes (1-based) it counts for; the line setting $_FPT, $_FPK."""
    members: dict[str, list[int]] = {}
    tokens: list[str] = []
    for index, (_name, paths) in enumerate(watched, start=1):
        for path in paths:
            if path.startswith("@"):
                tokens.append(f"{index}:{path[1:]}")
            else:
                members.setdefault('"$ROOT"' + path, []).append(index)
    unique = sorted({t.split(":", 1)[1] for t in tokens})
    line = f"CAP=65536 _FPT={shlex.quote(' '.join(tokens))} _FPK={shlex.quote(' '.join(unique))}"
    return members, line


@functools.cache
def _probe_head(probe: Probe) -> str:
    """The lines before a probe's body: its marker in the output, its cap and time bound."""
    name = shlex.quote(probe.name)
    limits = f"CAP={int(probe.cap_bytes)} TMO={int(probe.timeout_s)}"
    return f"printf '%s PROBE %s\\n' \"$B\" {name}\n{limits}"


@functools.cache
def _runs_every_refresh(probe: Probe, comments: bool) -> str:
    """A probe with nothing to fingerprint, as a function: the early stop and the full
    read run the same text."""
    body = _probe_body(probe, comments)
    return f"{_fast_name(probe)}() {{\n{_probe_head(probe)}\n{body}\n}}"


#: The last line of an incremental script's early part (see _bash_reads_at_once).
EARLY_END = ": cockpit early part ends"


def _bash_reads_at_once(size: int) -> str:
    """bash reads a script from a pipe one byte at a time (a syscall each: ~15 ms for an
    incremental script's early part). Under bash, one `dd` reads the next SIZE bytes, the
    early part, and eval runs them; the shell then reads on from there. dd never reads
    more than its block (busybox's `head -c` does, on a pipe); where it cannot promise the
    whole block (no `iflag=fullblock`) it reads nothing, eval gets nothing, and the shell
    reads the same text as it comes, as every other shell does."""
    return (
        'if [ -n "${BASH_VERSION-}" ]; then '
        f'eval "$(dd bs={size} count=1 iflag=fullblock 2>/dev/null)"; fi'
    )


@functools.cache
def _gated(probe: Probe) -> str:
    """A watched probe, run unless the host found its fingerprint unchanged. Its body is a
    string, not code: bash spends ~0.6 ms a KB parsing commands it will not run, and scans
    a quoted string for nothing."""
    body = _probe_head(probe) + "\n" + _probe_body(probe)
    return f"_fp_same {shlex.quote(probe.name)} || eval {shlex.quote(body)}"


@functools.cache
def _fast_name(probe: Probe) -> str:
    return "_every_" + "".join(c if c.isalnum() else "_" for c in probe.name)


def unframeable_root(root: str) -> bool:
    """A root directory whose name holds a newline: the collector keeps lists of paths one
    a line (batched reads, the resolver's cache), so it is refused before any script runs.
    Other control characters are only shown escaped."""
    return "\n" in root


def build_script(
    probes: Sequence[Probe],
    *,
    mode: Mode,
    root: str = "/",
    token: str | None = None,
    cached: Sequence[str] = (),
    comments: bool = False,
    incremental: bool = False,
    extra_watch: Mapping[str, Sequence[str]] | None = None,
) -> CollectorRun:
    """`cached`: section names the client still holds fresh copies of (see cadence.py).
    `comments`: keep the sources' comments (the shellcheck test; hosts never get them).
    `incremental`: fingerprint the probes that declare `watch` paths and skip those the
    client holds (`fp:NAME#FP` in `cached`; collector/sh/25-fp.sh). Live mode only: a
    fingerprint follows links, which offline could lead out of ROOT. `extra_watch`: per
    probe, more paths its fingerprint covers (the ones its last sections named).

    Layout of an incremental script: the header, the early helpers, the probes that run
    every refresh (as functions), the fingerprints, and, when no watched probe changed, a
    stop: those probes run, DONE, exit. The late helpers and the watched probes' bodies
    come after the stop, so the shell never reads them on a refresh that finds nothing
    changed (bash reads a script from a pipe one byte at a time)."""
    token = token or secrets.token_hex(16)
    boundary = f"{BOUNDARY_PREFIX}{token}=="
    root_prefix = _root_prefix(root) if mode == Mode.OFFLINE else ""
    quoted = f"'{boundary}'" if "'" not in boundary else shlex.quote(boundary)
    parts = [
        "# cockpit collector: read-only, generated for one run. See cockpit/probes/.",
        *(_LINT_HEADER if comments else ()),
        f"B={quoted}",
        f"ROOT={shlex.quote(root_prefix)}",
        f"MODE={mode}",
        f"CACHED={shlex.quote(' '.join(n for n in cached if n.isprintable() and ' ' not in n))}",
        "LC_ALL=C; export LC_ALL",
    ]
    watched = {p.name: watch_paths(p) for p in probes} if incremental else {}
    watched = {n: w for n, w in watched.items() if w} if mode == Mode.LIVE else {}
    if watched:
        every = [p for p in probes if p.name not in watched]
        parts.append(_prelude(comments, "early"))
        parts.extend(_runs_every_refresh(p, comments) for p in every)
        parts.append(_fp_call(watched, extra_watch or {}))
        calls = "; ".join([*(_fast_name(p) for p in every), ":"])
        parts.append(
            f"if _fp_none; then {{ {calls}; }} </dev/null; printf '%s DONE\\n' \"$B\"; exit 0; fi"
        )
        parts.append(EARLY_END)
        start = 1 + len(_LINT_HEADER) * comments
        early = "\n".join(parts[start:])
        parts[start:] = [_bash_reads_at_once(len(early.encode("utf-8")) + 1), early]
        parts.append(_prelude(comments, "late"))
    else:
        parts.append(_prelude(comments))
    parts.append("cockpit_main() {")
    for probe in probes:
        head, body = _probe_head(probe), _probe_body(probe, comments)
        if not watched:
            parts.extend((head, body))
        elif probe.name not in watched:
            parts.append(_fast_name(probe))
        elif comments:  # the lint build: shellcheck reads the body as code
            parts.extend((f"if ! _fp_same {shlex.quote(probe.name)}; then", head, body, "fi"))
        else:
            parts.append(_gated(probe))
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

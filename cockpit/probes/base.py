"""A probe declares one thing to read on a host: data, not code.

The collector turns the list of probes into one sh script. Adding a signal is adding a
Probe entry in the area's module and a parser for its section(s).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Probe:
    """One signal to read.

    `script` is a POSIX sh snippet that calls the collector's helpers (`emit_file`,
    `emit_cmd`, `emit_dir`, `emit_ls`, `emit_resolve`, `emit_elf`; see
    collector/sh/*.sh). It names paths as the host sees them (`/etc/fstab`) and reaches
    them only through the in-root helpers (`open_file`, `open_dir`, `_inroot`,
    `_inroot_at`, `_isdir`, `_exists`, `_slurp`: collector/sh/20-paths.sh), never through
    `$ROOT` itself; it reads only through capped helpers and writes nothing.
    """

    name: str
    area: str
    script: str
    doc: str
    timeout_s: int = 5
    cap_bytes: int = 65536
    #: Run on every Nth refresh only (slow-changing, costly); its last sections stand in
    #: between runs. A one-shot `cockpit check` always runs everything.
    every: int = 1
    #: Paths the script builds at run time (`/etc/cron.$period`), which its text does not
    #: show whole: with the literal ones, `declared_paths` lists everything the probe
    #: reads, lists or tests, and the containment tests plant links at each of them.
    paths: tuple[str, ...] = ()
    #: Incremental refresh (collector/sh/25-fp.sh): host path globs whose `stat` stands
    #: for everything the probe reads, beside its declared paths and their parent
    #: directories (a replaced file or link changes its directory). Non-empty only for a
    #: probe that reads files and nothing else (no command, no /proc, /sys or /run): the
    #: host then skips it while none of those files changed. Directory entries the probe
    #: lists or reads must be named here (`/etc/cron.d/*`). A pattern under /proc or /sys
    #: is a file whose own stat follows what it stands for (`/proc/1/exe`: PID 1's binary);
    #: `@PATH` is a content token: a kernel file (no ctime moves with its content) whose
    #: CRC goes into the fingerprint. Declared /proc and /sys paths become tokens unless
    #: listed in `steady`.
    watch: tuple[str, ...] = ()
    #: Kernel files the probe reads whose part it uses cannot change while the host stays
    #: up (/proc/cmdline, the boot id, /proc/stat's btime): not fingerprinted. A reboot
    #: breaks the connection, and a failed refresh reads everything again.
    steady: tuple[str, ...] = ()


def without_comments(text: str) -> str:
    """sh text without its comment-only lines: what hosts are sent (the collector drops
    them, a fifth of the script), and what path_literals reads (a comment names no path).
    No snippet has a multi-line string with a line starting with '#' (the shell tests
    would catch one)."""
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("#"))


#: An absolute path in a probe's script: `/` then path characters, not inside a word or
#: after a variable (`$d/x` is not a path of its own, nor is `"$d"/x`: a glob below a
#: resolved directory, whose entries the probe resolves one by one).
_PATH = re.compile(r"(?<![\w$}.\-/*])(?<![\w}@*]\")/(?:[A-Za-z0-9._@+-]+/)*[A-Za-z0-9._@+-]*")
#: Paths of the machine running the script, never of the host being read.
_OWN = ("/dev/null",)


@functools.cache
def path_literals(probe: Probe) -> tuple[tuple[str, bool], ...]:
    """The absolute paths in the script's code (comments left out), each with whether it
    is whole: one followed by `$` or `{`, or ending in `/`, `.` or `-`, is the start of a
    path built at run time (which `Probe.paths` must then spell out)."""
    code = without_comments(probe.script)
    out: dict[str, bool] = {}
    for m in _PATH.finditer(code):
        path = m.group(0)
        if path in _OWN:
            continue
        nxt = code[m.end() : m.end() + 1]
        whole = (nxt not in ("$", "{") and not path.endswith(("/", ".", "-"))) or path == "/"
        out[path] = out.get(path, False) or whole
    return tuple(out.items())


def declared_paths(probe: Probe) -> tuple[str, ...]:
    """Every path the probe reads, lists or tests, as the host sees it: the whole literals
    of its script and its declared `paths`, sorted."""
    whole = {p for p, ok in path_literals(probe) if ok}
    return tuple(sorted(whole | set(probe.paths)))


#: What a watch pattern may hold: a plain path with `*` globs, nothing the shell expands
#: otherwise (the collector leaves the patterns unquoted so the host's shell globs them).
_WATCH_OK = re.compile(r"/[A-Za-z0-9._@+*/-]*")


@functools.cache  # a fleet builds a script per host per refresh
def watch_paths(probe: Probe) -> tuple[str, ...]:
    """The globs whose fingerprint stands for `probe`'s sections, sorted; () when the probe
    is read in full every refresh. Its declared paths and every parent directory up to `/`
    are added, so a file replaced by a link, or a link pointed elsewhere, always counts."""
    if not probe.watch:
        return ()
    out = set(probe.watch)
    for path in declared_paths(probe):
        if not path.startswith(_KERNEL):
            out.add(path)
        elif path not in probe.steady and path not in out:
            out.add("@" + path)
    for path in list(out):
        if path.startswith(("@", *_KERNEL)):
            continue  # a kernel file's directories say nothing of it
        path = path.rstrip("/")  # `/etc/*/` (its directories) is in `/etc`, not `/etc/*`
        while path not in ("/", ""):
            path = path.rsplit("/", 1)[0] or "/"
            out.add(path)
    bad = [p for p in out if not _WATCH_OK.fullmatch(p.removeprefix("@"))]
    bad += [p for p in out if p.startswith("@") and ("*" in p or not p.startswith("@/"))]
    if bad:
        raise ValueError(f"{probe.name}: watch paths the shell would expand: {bad}")
    return tuple(sorted(out))


#: Kernel filesystems: no ctime there moves with what a file says.
_KERNEL = ("/proc/", "/sys/")

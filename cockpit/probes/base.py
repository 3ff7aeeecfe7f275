"""A probe declares one thing to read on a host: data, not code.

The collector turns the list of probes into one sh script. Adding a signal is adding a
Probe entry in the area's module and a parser for its section(s).
"""

from __future__ import annotations

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
    Section names it emits start with `name` (`name` itself or `name:<path>`).
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

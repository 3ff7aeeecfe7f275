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
    collector/sh/*.sh). It must read only `$ROOT`-prefixed paths and write nothing.
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

"""Run the init probes (only them) under a given shell, like the collector does."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cockpit.collector import build_script, split_output
from cockpit.probes.init import PROBES
from cockpit.snapshot import Sections


def run_init_probes(shell: str, root: Path | None) -> Sections:
    """Offline on `root`, or live on this machine when root is None."""
    mode = "offline" if root is not None else "live"
    built = build_script(PROBES, mode=mode, root=str(root) if root else "/")
    proc = subprocess.run(
        [*shell.split(), "-s"], input=built.script.encode(), capture_output=True, timeout=60
    )
    result = split_output(proc.stdout, built.boundary)
    assert result.complete, (result.issues, proc.stderr[-500:])
    assert result.issues == (), result.issues
    return result.sections

"""Run the init probes (only them) under a given shell, like the collector does."""

from __future__ import annotations

from pathlib import Path

from cockpit.probes.init import PROBES
from cockpit.snapshot import Sections
from tests.support import run_probes


def run_init_probes(shell: str, root: Path | None) -> Sections:
    return run_probes(PROBES, shell, root)

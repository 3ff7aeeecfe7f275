"""Observed outcomes, cached: a boot happens only when its recipe changed.

The cache key (Scenario.boot_key) covers the base tarball, the layout, every break's
source, the boot mode, the extra command line, ssh, the timeout, the fixed qemu
arguments and RUNNER_VERSION. A record is a small JSON file,
<cache>/boots/<key>.json: outcome class, proof line, seconds, the qemu command line, and
the normalised console (a few KB) so that `show NAME` and a failing test quote it.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.boot.oracle import image, runner, trees
from tests.boot.oracle.scenario import Scenario
from tests.real import build

RUNNER_VERSION = 3  # bump when runner/classify change what an outcome means


def key(scn: Scenario) -> str:
    return scn.boot_key([*runner.QEMU, f"runner-{RUNNER_VERSION}", f"ssh-grace-{runner.SSH_GRACE}"])


def record_path(scn: Scenario) -> Path:
    path = trees.oracle_dir().parent / "boots"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{key(scn)}.json"


def cached(scn: Scenario) -> dict[str, Any] | None:
    path = record_path(scn)
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def observe(scn: Scenario, tree: Path, force: bool = False) -> dict[str, Any]:
    """The scenario's observed boot: from the cache, else by booting `tree` (mounted by
    trees.scenario_tree) once. The image lives only for the boot."""
    if not force and (hit := cached(scn)) is not None:
        hit["cached"] = True
        return hit
    base = trees.lower(scn.variant)
    with tempfile.TemporaryDirectory(dir=build.cache_dir(), prefix="boot-") as tmp:
        img, log = Path(tmp) / "disk.img", Path(tmp) / "console.log"
        t0 = time.monotonic()
        image.make(scn.layout, tree, trees.upper(scn), img, base, grub=scn.boot == "grub")
        made = time.monotonic() - t0
        obs = runner.boot(
            img, log, tree, scn.boot, scn.cmdline_extra, scn.ssh, scn.timeout, scn.layout, scn.disk
        )
    rec: dict[str, Any] = {
        "scenario": scn.name,
        "key": key(scn),
        "outcome": obs.outcome,
        "proof": obs.proof,
        "seconds": obs.seconds,
        "banner_after_login": obs.banner_after_login,
        "cpu_seconds": obs.cpu_seconds,
        "image_seconds": round(made, 1),
        "command": obs.command,
        "console": obs.console[-20000:],
        "observed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    record_path(scn).write_text(json.dumps(rec, indent=1) + "\n")
    rec["cached"] = False
    return rec

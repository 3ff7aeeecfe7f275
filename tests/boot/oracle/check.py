"""cockpit's judgement of a scenario tree, through the real command line, and what the
boot says it must be.

`python3 -m cockpit check --root TREE --at AT --format json`, exactly as an admin runs it
on a mounted disk. AT is fixed so the result does not move with the clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.boot.oracle.classify import BOOTED
from tests.boot.oracle.scenario import Scenario
from tests.support import REPO

AT = "2024-06-01T12:00:00+00:00"
# Which boot_chain stage each failure class must show broken, when the JSON has one.
REMOTE = "remote-access"


def cockpit_check(tree: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "cockpit", "check", "--root", str(tree), "--at", AT,
         "--format", "json"],
        capture_output=True, text=True, cwd=REPO, timeout=180, check=False,
    )  # fmt: skip
    if not proc.stdout:
        raise RuntimeError(f"cockpit check printed nothing (exit {proc.returncode}): {proc.stderr}")
    host: dict[str, Any] = json.loads(proc.stdout)["hosts"][0]
    host["exit"] = proc.returncode
    return host


def remote_critical(host: dict[str, Any]) -> list[str]:
    """Ids of critical findings about remote access (sshd, network)."""
    return [
        f["id"]
        for f in host.get("findings", [])
        if f.get("severity") in ("critical", "blocker")
        and any(
            w in (f["id"] + " " + f.get("title", "")).lower() for w in ("ssh", "remote", "network")
        )
    ]


def problems(scn: Scenario, outcome: str, host: dict[str, Any]) -> list[str]:
    """What is wrong with cockpit's answer, given what the boot showed ([] = right)."""
    out: list[str] = []
    verdict = host.get("verdict")
    booted = outcome in BOOTED
    if booted:
        if verdict != "bootable":
            out.append(f"booted ({outcome}) but verdict {verdict}")
    else:
        allowed = {"unbootable", "unknown"} if scn.deciding_fact_off_disk else {"unbootable"}
        if verdict not in allowed:
            out.append(f"did not reach multi-user ({outcome}) but verdict {verdict}")
    if outcome == "sshd-down" and not remote_critical(host):
        out.append("booted without sshd but no critical finding about remote access")
    chain = host.get("boot_chain")
    if isinstance(chain, list):
        states = {c.get("stage"): c.get("state") for c in chain}
        if booted:
            bad = [s for s, st in states.items() if s != REMOTE and st != "proven"]
            if bad:
                out.append(f"booted but boot_chain stages not proven: {bad}")
            if outcome == "sshd-down" and states.get(REMOTE) != "broken":
                out.append(f"sshd down but remote-access is {states.get(REMOTE)}")
            if outcome == "sshd-up" and states.get(REMOTE) == "broken":
                out.append("sshd came up but remote-access is broken")
        elif not scn.deciding_fact_off_disk and states.get(scn.stage) != "broken":
            out.append(f"boot failed at {scn.stage} but boot_chain says {states.get(scn.stage)}")
    return out

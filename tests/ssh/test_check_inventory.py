"""`cockpit check --inventory FILE` end to end: a real sshd host, a refused one and an
offline root in one run, each reported on its own, exit code = worst host."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.ssh.conftest import Sshd, free_port
from tests.support import REPO, SAMPLES


def test_inventory_over_real_sshd(sshd: Sshd, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh/config").write_text(
        f"Host e2e-ok\n  HostName 127.0.0.1\n  Port {sshd.port}\n  User root\n"
        f"  IdentityFile {sshd.client_key}\n  IdentitiesOnly yes\n"
    )
    shutil.copy(sshd.known_hosts, home / ".ssh/known_hosts")
    closed = free_port()
    inventory = tmp_path / "fleet.toml"
    inventory.write_text(
        '[defaults]\nuser = "root"\n\n'
        '[[host]]\nname = "ok"\naddress = "e2e-ok"\n\n'
        f'[[host]]\nname = "refused"\naddress = "127.0.0.1"\nport = {closed}\n\n'
        f'[[host]]\nname = "incident"\nroot = "{SAMPLES / "weblogs-2011"}"\n'
    )
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
    env["HOME"] = str(home)
    proc = subprocess.run(
        [sys.executable, "-m", "cockpit", "check", "--inventory", str(inventory),
         "--format", "json", "--timeout", "30"],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    hosts = {h["name"]: h for h in json.loads(proc.stdout)["hosts"]}
    assert hosts["ok"]["reachable"] and hosts["ok"]["mode"] == "live"
    assert hosts["ok"]["error"] is None
    assert hosts["refused"]["error_category"] == "refused"
    assert hosts["refused"]["verdict"] == "unknown"
    assert hosts["incident"]["verdict"] == "unbootable"

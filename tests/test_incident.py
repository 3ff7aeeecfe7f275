"""The case the whole design answers: the Gentoo VM of 29 Sep 2011 (shared/incident-2011.md)."""

from __future__ import annotations

import json
import subprocess

from tests.support import SAMPLES, run_cockpit

AT = "2011-09-29T23:00:00-05:00"
ROOT = SAMPLES / "weblogs-2011"


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cockpit("check", *args)


def test_text_says_unbootable_names_the_init_and_counts_down_to_0315() -> None:
    proc = check("--root", str(ROOT), "--at", AT)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith("COCKPIT CRITICAL")
    assert "UNBOOTABLE" in first
    assert "4h15m" in first
    assert "/sbin/init" in proc.stdout
    assert "03:15" in proc.stdout


def test_json_verdict_blockers_and_next_reboot() -> None:
    proc = check("--root", str(ROOT), "--at", AT, "--format", "json")
    doc = json.loads(proc.stdout)
    (host,) = doc["hosts"]
    assert host["verdict"] == "unbootable"
    assert host["status"] == "critical"
    ids = {f["id"] for f in host["findings"] if f["severity"] == "blocker"}
    assert "init.boot-init-missing" in ids
    assert "verdict.reboot-armed-while-unbootable" in ids
    assert host["next_reboot"]["at"] == "2011-09-30T03:15:00-05:00"
    assert "crontab" in host["next_reboot"]["source"]
    assert host["host_time"] == "2011-09-29T23:00:00-05:00"

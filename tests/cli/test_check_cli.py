"""`cockpit check` as scripts and monitoring systems use it: exit codes, first line, JSON."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

from tests.support import REPO, run_cockpit


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cockpit("check", *args)


def test_root_that_does_not_exist_is_unknown_exit_3(tmp_path: Path) -> None:
    proc = check("--root", str(tmp_path / "nope"))
    assert proc.returncode == 3
    assert proc.stdout.startswith("COCKPIT UNKNOWN")
    assert "does not exist" in proc.stdout


def test_root_that_is_a_file_is_unknown_exit_3(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    proc = check("--root", str(f))
    assert proc.returncode == 3
    assert "not a directory" in proc.stdout


def test_root_without_a_linux_system_is_unknown_exit_3(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    proc = check("--root", str(tmp_path), "--format", "json")
    assert proc.returncode == 3
    host = json.loads(proc.stdout)["hosts"][0]
    assert host["verdict"] == "unknown" and host["error_category"] == "not-a-system"


def test_json_contract_fields(tmp_path: Path) -> None:
    proc = check("--root", str(REPO / "sample_hosts" / "debian12-systemd"), "--format", "json")
    doc = json.loads(proc.stdout)
    assert set(doc) >= {"cockpit", "generated", "hosts"}
    host = doc["hosts"][0]
    assert set(host) >= {
        "name", "reachable", "mode", "verdict", "status", "host_time", "findings",
        "next_reboot", "init", "error",
    }  # fmt: skip
    assert host["name"] == "debian12-systemd" and host["mode"] == "offline"
    assert set(host["init"]) == {"running", "boot"}
    for f in host["findings"]:
        assert set(f) >= {"id", "area", "severity", "title", "evidence", "remedy"}


def test_exit_code_is_the_worst_host() -> None:
    proc = check(
        "--root", str(REPO / "sample_hosts" / "debian12-systemd"),
        "--root", str(REPO / "sample_hosts" / "weblogs-2011"),
        "--at", "2011-09-29T23:00:00-05:00",
    )  # fmt: skip
    assert proc.returncode == 2
    assert "1 of 2 host(s) UNBOOTABLE" in proc.stdout.splitlines()[0]


def test_bad_at_is_a_clear_error() -> None:
    proc = check("--at", "tomorrow")
    assert proc.returncode == 3
    assert "ISO-8601" in proc.stdout


def test_ssh_host_on_a_closed_port_is_refused_exit_3() -> None:
    with socket.socket() as s:  # a loopback port nobody listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = check(f"127.0.0.1:{port}", "--format", "json")
    assert proc.returncode == 3
    host = json.loads(proc.stdout)["hosts"][0]
    assert host["name"] == f"127.0.0.1:{port}" and host["mode"] == "live"
    assert host["error_category"] == "refused" and not host["reachable"]


def test_local_machine_is_judged_and_never_ok_by_default() -> None:
    """This machine boots with an external kernel (no /boot): the verdict cannot be
    bootable, and the output must say why rather than guess."""
    proc = check("--format", "json")
    host = json.loads(proc.stdout)["hosts"][0]
    assert host["mode"] == "live" and host["reachable"]
    assert host["verdict"] in ("unknown", "unbootable")
    assert proc.returncode in (2, 3)


def test_host_text_is_escaped_in_output(tmp_path: Path) -> None:
    root = tmp_path / "evil"
    (root / "etc").mkdir(parents=True)
    (root / "usr").mkdir()
    (root / "etc/hostname").write_text("x")
    (root / "etc/os-release").write_text('PRETTY_NAME="\x1b[2Jevil"\nID=debian\n')
    proc = check("--root", str(root), "-v")
    assert "\x1b" not in proc.stdout


def test_usage_mistakes_exit_unknown_not_critical() -> None:
    proc = check("--format", "xml")
    assert proc.returncode == 3
    assert proc.stdout.startswith("COCKPIT UNKNOWN")

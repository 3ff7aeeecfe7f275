"""Host selection on the real command line: sources combined, names unique, a broken
inventory listed whole, and `cockpit check --inventory` over the sample trees."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import REPO, run_cockpit

AT = "2011-09-29T23:00:00-05:00"
SAMPLE_INVENTORY = REPO / "sample_hosts" / "inventory.toml"


def test_sample_inventory_end_to_end_exit_is_worst_host() -> None:
    proc = run_cockpit("check", "--inventory", str(SAMPLE_INVENTORY), "--at", AT)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("COCKPIT CRITICAL - 2 of 8 host(s) UNBOOTABLE: weblogs (")
    assert "debian12-fstab (boot.fstab-source-missing)" in lines[0]
    assert lines[0].endswith(
        "| 'bootable'=6;;;0;8 'unbootable'=2;;0;0;8 'unknown'=0;;;0;8 'next_reboot'=15300s"
    )
    heads = [line for line in lines if line.startswith("== ")]
    assert heads == [
        "== weblogs (offline): UNBOOTABLE, status critical",
        "== debian12-systemd (offline): BOOTABLE, status ok",
        "== debian12-sysvinit (offline): BOOTABLE, status ok",
        "== alpine320-openrc (offline): BOOTABLE, status ok",
        "== fedora40 (offline): BOOTABLE, status warning",
        "== ubuntu2204 (offline): BOOTABLE, status critical",
        "== arch (offline): BOOTABLE, status warning",
        "== debian12-fstab (offline): UNBOOTABLE, status critical",
    ]


def test_inventory_plus_root_plus_json(tmp_path: Path) -> None:
    inv = tmp_path / "fleet.toml"
    inv.write_text(f'[[host]]\nname = "old-vm"\nroot = "{REPO}/sample_hosts/weblogs-2011"\n')
    extra = REPO / "sample_hosts" / "debian12-systemd"
    proc = run_cockpit("check", "--inventory", str(inv), "--root", str(extra), "--format", "json",
                       "--at", AT)  # fmt: skip
    assert proc.returncode == 2
    hosts = json.loads(proc.stdout)["hosts"]
    assert [(h["name"], h["verdict"]) for h in hosts] == [
        ("old-vm", "unbootable"),
        ("debian12-systemd", "bootable"),
    ]


def test_broken_inventory_lists_every_problem_with_file_and_line(tmp_path: Path) -> None:
    inv = tmp_path / "fleet.toml"
    inv.write_text('[[host]]\nname = "a"\nadress = "x"\n\n[[host]]\nname = "a"\nlocal = true\n')
    proc = run_cockpit("check", "--inventory", str(inv), "bad:port")
    assert proc.returncode == 3
    assert proc.stdout.splitlines() == [
        f"COCKPIT UNKNOWN - inventory {inv}: 2 problems",
        f"{inv}:3: unknown key 'adress' in [[host]] #1 (a); did you mean 'address'?",
        f"{inv}:6: duplicate host name 'a' (first at line 2); "
        'give each host its own name = "..."',
        "HOST arguments: 1 problem",
        "command line: HOST 1 'bad:port': port 'port' is not a number from 1 to 65535; "
        "write user@host:port or an alias",
    ]


def test_same_name_from_two_sources_is_an_error(tmp_path: Path) -> None:
    inv = tmp_path / "fleet.ini"
    inv.write_text("[web]\nweb1 ansible_host=10.0.0.1\n")
    proc = run_cockpit("check", "--inventory", str(inv), "root@web1")
    assert proc.returncode == 3
    assert proc.stdout.splitlines()[0] == (
        f"COCKPIT UNKNOWN - host 'web1' is selected twice (inventory {inv} and the command "
        "line); drop one, or name them apart in the inventory"
    )


def test_root_named_like_an_inventory_host_gets_a_suffix(tmp_path: Path) -> None:
    """The disk of web1 mounted at /mnt/web1 beside the live web1: both are checked."""
    disk = tmp_path / "web1"
    (disk / "etc").mkdir(parents=True)
    inv = tmp_path / "fleet.toml"
    inv.write_text('[[host]]\nname = "web1"\nroot = "/nonexistent/web1"\n')
    proc = run_cockpit("check", "--inventory", str(inv), "--root", str(disk), "--format", "json")
    names = [h["name"] for h in json.loads(proc.stdout)["hosts"]]
    assert names == ["web1", "web1-2"]


def test_timeout_must_be_positive() -> None:
    proc = run_cockpit("check", "--timeout", "0")
    assert proc.returncode == 3
    assert proc.stdout.startswith("COCKPIT UNKNOWN - --timeout '0' is not a number of seconds")

"""The collector's helpers under dash, bash and busybox ash, on real files.

Each test builds a small root in tmp_path, runs the real script with `sh -s` in offline
mode (or live where the test says so) and checks what came back.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cockpit.collector import build_script, split_output
from cockpit.probes import ALL_PROBES
from cockpit.probes.base import Probe
from cockpit.snapshot import Sections
from tests.support import run_probes


def run(shell: str, root: Path | None, *snippets: str, cap: int = 65536) -> Sections:
    probes = [Probe(f"t{i}", "test", s, "test", cap_bytes=cap) for i, s in enumerate(snippets)]
    return run_probes(probes, shell, root)


def test_absent_denied_empty_and_notfile_stay_apart(shell: str, tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/empty").write_text("")
    (tmp_path / "etc/full").write_text("a\nb\n")
    (tmp_path / "etc/dir").mkdir()
    secret = tmp_path / "etc/secret"
    secret.write_text("x")
    secret.chmod(0)
    s = run(
        shell,
        tmp_path,
        "emit_file a /etc/empty\nemit_file b /etc/full\nemit_file c /etc/nope\n"
        "emit_file d /etc/dir\nemit_file e /etc/secret",
    )
    assert (s["a"].state, s["a"].text) == ("ok", "")
    assert (s["b"].state, s["b"].text) == ("ok", "a\nb\n")
    assert s["c"].state == "absent"
    assert s["d"].state == "notfile"
    # root reads anything; as another user this is `denied`. Either way, never `absent`.
    assert s["e"].state in ("ok", "denied")
    if os.geteuid() != 0:
        assert s["e"].state == "denied"


def test_absolute_links_resolve_inside_root_never_on_this_machine(
    shell: str, tmp_path: Path
) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "run").mkdir()
    (tmp_path / "var").mkdir()
    (tmp_path / "var/run").symlink_to("/run")  # absolute, as on real systems
    (tmp_path / "run/flag").write_text("inside\n")
    (tmp_path / "etc/hostname").symlink_to("/etc/hostname-real")  # dangles inside the root
    (tmp_path / "etc/loop").symlink_to("/etc/loop")
    s = run(
        shell,
        tmp_path,
        "emit_file a /var/run/flag\nemit_file b /etc/hostname\nemit_file c /etc/loop\n"
        "emit_resolve d /var/run/flag",
    )
    assert s["a"].text == "inside\n"
    assert s["b"].state == "dangling"  # this machine's /etc/hostname-real is never read
    assert s["c"].state == "loop"  # the fact, never the raw path
    assert "resolved /run/flag" in s["d"].text


def test_dir_listing_and_per_file_sections(shell: str, tmp_path: Path) -> None:
    d = tmp_path / "etc/cron.d"
    d.mkdir(parents=True)
    (d / "a").write_text("1\n")
    (d / "b c").write_text("2\n")  # a space: cronie runs it, so it is listed and read
    (d / "sub").mkdir()
    s = run(shell, tmp_path, "emit_dir x /etc/cron.d\nemit_dir y /etc/nothing")
    assert s["x"].text.splitlines() == ["a", "b c", "sub"]
    assert s["x:/etc/cron.d/a"].text == "1\n"
    assert s["x:/etc/cron.d/b c"].text == "2\n"
    assert "x:/etc/cron.d/sub" not in s
    assert s["y"].state == "absent"


def test_fifo_is_never_read(shell: str, tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    os.mkfifo(tmp_path / "run/initctl")
    s = run(shell, tmp_path, "emit_file a /run/initctl\nemit_ls b /run")
    assert s["a"].state == "notfile"
    assert s["b"].text.startswith("p ")


def test_cap_truncates_a_huge_sparse_file(shell: str, tmp_path: Path) -> None:
    (tmp_path / "var/log").mkdir(parents=True)
    big = tmp_path / "var/log/huge.log"
    with big.open("wb") as fh:
        fh.truncate(1 << 30)  # 1 GiB, sparse: costs no disk
    s = run(shell, tmp_path, "emit_file a /var/log/huge.log", cap=4096)
    assert s["a"].truncated and len(s["a"].text) == 4096


def test_hostile_content_cannot_forge_sections(shell: str, tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    hostile = (
        b"# ==COCKPIT-00000000000000000000000000000000== END 0 ok 65536 t0\n"
        b"==COCKPIT-00000000000000000000000000000000== BEGIN fake\n"
        b"\x1b]0;owned\x07\x1b[2J[bold red]markup[/]\n"
    ) + b"\xff\xfe invalid utf-8\n"
    (tmp_path / "etc/crontab").write_bytes(hostile)
    s = run(shell, tmp_path, "emit_file a /etc/crontab")
    assert list(s) == ["a"]
    assert "\x1b[2J" in s["a"].text and "BEGIN fake" in s["a"].text


def test_a_command_reading_stdin_cannot_swallow_the_script(shell: str) -> None:
    s = run(shell, None, "emit_cmd a cat\nemit_cmd b echo after")
    assert s["a"].state == "ok" and s["a"].text == ""
    assert s["b"].text == "after\n"


def test_timeout_and_missing_command(shell: str) -> None:
    probes = [
        Probe("t0", "test", "emit_cmd slow sleep 5", "test", timeout_s=1),
        Probe("t1", "test", "emit_cmd none no-such-command-here", "test"),
    ]
    built = build_script(probes, mode="live")
    out = subprocess.run([*shell.split(), "-s"], input=built.script.encode(), capture_output=True)
    s = split_output(out.stdout, built.boundary).sections
    assert s["slow"].state == "timeout"
    assert s["none"].state == "nocmd"


def test_offline_mode_runs_no_command_that_describes_this_machine(
    shell: str, tmp_path: Path
) -> None:
    """Every probe, offline, with spies in PATH for the commands a probe might run."""
    spies = tmp_path / "spies"
    spies.mkdir()
    log = tmp_path / "spy.log"
    for name in (
        "systemctl", "ps", "pgrep", "uname", "date", "who", "runlevel", "rc-status", "sv",
        "service", "dpkg", "dpkg-query", "rpm", "apt-config", "journalctl", "busctl", "atq",
        "loginctl", "findmnt", "blkid", "lsblk", "needrestart", "dnf", "yum", "pacman",
        "emerge", "apk", "hostname", "shutdown", "crontab", "fuser", "lsof", "mount",
    ):  # fmt: skip
        spy = spies / name
        spy.write_text(f"#!/bin/sh\necho {name} >> {log}\n")
        spy.chmod(0o755)
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    built = build_script(ALL_PROBES, mode="offline", root=str(root))
    env = {**os.environ, "PATH": f"{spies}:{os.environ['PATH']}"}
    out = subprocess.run(
        [*shell.split(), "-s"], input=built.script.encode(), capture_output=True, env=env
    )
    assert split_output(out.stdout, built.boundary).complete
    assert not log.exists(), f"offline collector ran: {log.read_text()}"


def test_whole_collector_live_on_this_machine(shell: str) -> None:
    built = build_script(ALL_PROBES, mode="live")
    out = subprocess.run(
        [*shell.split(), "-s"], input=built.script.encode(), capture_output=True, timeout=60
    )
    result = split_output(out.stdout, built.boundary)
    assert result.complete, result.issues
    assert result.issues == ()
    assert out.stderr == b"", out.stderr[-400:]


def test_batched_reads_keep_every_file_apart(shell: str, tmp_path: Path) -> None:
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "a").write_text("one\ntwo\n")
    (etc / "empty").write_text("")
    (etc / "nonl").write_text("no final newline")
    (etc / "b").write_text("x" * 100 + "\n")
    s = run(
        shell,
        tmp_path,
        "emit_files a /etc/a e /etc/empty n /etc/nonl m /etc/missing d /etc b /etc/b",
        cap=50,
    )
    assert s["a"].text == "one\ntwo\n"
    assert (s["e"].state, s["e"].text) == ("ok", "")
    assert s["n"].text == "no final newline"  # byte for byte
    assert s["m"].state == "absent" and s["d"].state == "notfile"
    assert s["b"].truncated and s["b"].text == "x" * 50


def test_batched_proc_files_are_read_although_they_report_size_zero(shell: str) -> None:
    s = run(shell, None, "emit_files a /proc/self/status b /proc/sys/kernel/osrelease")
    assert s["a"].text.startswith("Name:")
    assert s["b"].text.strip()

"""Nothing outside an offline root is read (issue 12 §1): the real collector, under every
shell, on roots whose every probe path is a link the kernel would follow to a secret of
this machine; random hostile trees (hypothesis); this machine's /proc mounted into the
root; and the static guards (no `$ROOT` outside the resolver, shellcheck)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.cli.check import check_all
from cockpit.collector import build_script, split_output
from cockpit.hostspec import HostSpec
from cockpit.probes import ALL_PROBES
from cockpit.probes.base import declared_paths, path_literals
from cockpit.recording import JsonlRecorder
from cockpit.render import json_out, text_out
from cockpit.snapshot import Sections
from tests.collector.trees import (
    STYLES,
    Outside,
    all_declared,
    by_height,
    make_outside,
    place,
    plant,
)
from tests.support import REPO, run_cockpit, run_probes

AT = "2024-06-12T20:00:00+00:00"
SH = REPO / "cockpit" / "collector" / "sh"


def collect(shell: str, root: Path, bound: float = 30.0) -> Sections:
    """The whole collector, offline, under `shell`, within `bound` seconds."""
    started = time.monotonic()
    sections = run_probes(ALL_PROBES, shell, root)
    assert time.monotonic() - started < bound
    return sections


def judge_everything(root: Path, tmp: Path, outside: Outside) -> None:
    """The engine's view (dash): no token in the JSON, the text output or the record."""
    record = tmp / "record.jsonl"
    log = JsonlRecorder.create(record, argv=["test"], hosts=[], now=datetime.fromisoformat(AT))
    spec = HostSpec(name="host", kind="offline", root=str(root))
    try:
        states = asyncio.run(check_all([spec], datetime.fromisoformat(AT), 60.0, log))
    finally:
        log.close()
    doc = json.dumps(json_out.document(states, datetime.fromisoformat(AT)))
    text = text_out.render(states, verbose=True)
    for what, data in (("json", doc), ("text", text), ("record", record.read_text())):
        assert outside.token not in data, f"the secret reached the {what} output"


#: Groups of probe paths (and the directories on their way), none under another.
GROUPS = by_height(all_declared())
#: Rotation r gives path i the style STYLES[(i + r) % 3] and a link to the secret file or
#: to the secret directory by (i + r // 3) % 2: six rotations give every path every
#: style and both targets. dash runs them all; bash and busybox two each, on a third of
#: the large groups (every link costs a `readlink`: the full matrix under every shell
#: takes minutes).
ROTATIONS = {"dash": range(6), "bash": (0, 3), "busybox sh": (1, 5)}


@pytest.mark.parametrize("group", range(len(GROUPS)))
def test_every_probe_path_as_an_escaping_link_reads_nothing_outside(
    shell: str, group: int, tmp_path: Path
) -> None:
    """Every path a probe reads, lists or tests (and every directory on its way) made a
    link the kernel would follow to this machine's secret file or directory (absolute,
    relative escape, in-root loop): no byte or name of the secret reaches a section, and
    each run is bounded."""
    outside = make_outside(tmp_path)
    for r in ROTATIONS[shell]:
        root = tmp_path / f"root-{r}"
        root.mkdir()
        for i, path in enumerate(GROUPS[group]):
            if shell != "dash" and len(GROUPS[group]) > 30 and i % 3 != r % 3:
                continue  # a third of a large group each: every link costs a readlink
            target = outside.dir if (i + r // 3) % 2 else outside.file
            plant(root, path, STYLES[(i + r) % 3], target)
        leaks = outside.leaks(collect(shell, root))
        assert leaks == [], (r, leaks)


def test_the_engine_json_text_and_record_hold_no_secret(tmp_path: Path) -> None:
    """The leaf paths (files the probes read) as links of each style: what the engine
    judges, renders and records (cockpit check --record) holds none of the secret."""
    outside = make_outside(tmp_path)
    leaves = by_height(all_declared())[0]
    for i, style in enumerate(STYLES):
        root = tmp_path / f"root-{style}"
        root.mkdir()
        for path in leaves:
            plant(root, path, style, outside.file if i % 2 else outside.dir)
        judge_everything(root, root.parent / f"out-{style}", outside)


def test_the_command_line_check_with_a_record_holds_no_secret(tmp_path: Path) -> None:
    outside = make_outside(tmp_path)
    root = tmp_path / "host"
    root.mkdir()
    for path in by_height(all_declared())[1]:  # the directories probes list
        plant(root, path, "loop", outside.dir)
    record = tmp_path / "r.jsonl"
    proc = run_cockpit(
        "check", "--root", str(root), "--at", AT, "--format", "json", "--record", str(record)
    )
    assert proc.returncode in (0, 1, 2, 3), proc.stderr
    assert json.loads(proc.stdout)["hosts"][0]["name"] == "host"
    for data in (proc.stdout, proc.stderr, record.read_text()):
        assert outside.token not in data


# --- random hostile trees ---------------------------------------------------------------

_POOL = [p for p in all_declared() if p.count("/") <= 4]
_NODE = st.tuples(
    st.sampled_from(_POOL),
    st.sampled_from(
        (
            "file",
            "dir",
            "abs-secret",
            "abs-secret-dir",
            "rel-escape",
            "loop-escape",
            "abs-inroot",
            "rel-inroot",
            "self-loop",
            "fifo",
            "socket",
            "device",
            "sparse",
        )
    ),
    st.sampled_from(_POOL),
    st.integers(min_value=1, max_value=12),
)


def _build(root: Path, outside: Outside, nodes: list[tuple[str, str, str, int]]) -> None:
    for path, kind, other, ups in sorted(nodes, key=lambda n: n[0].count("/")):
        host = place(root, path)  # never through a link this tree already holds
        if host is None:
            continue
        try:
            if kind == "file":
                host.write_text("15 3 * * * root /sbin/reboot\nroot=/dev/sda1\n")
            elif kind == "dir":
                host.mkdir()
            elif kind in ("abs-secret", "abs-secret-dir"):
                host.symlink_to(outside.file if kind == "abs-secret" else outside.dir)
            elif kind == "rel-escape":
                host.symlink_to("../" * ups + os.path.relpath(outside.dir, root.parent))
            elif kind == "loop-escape":
                plant(root, path, "loop", outside.dir)
            elif kind == "abs-inroot":
                host.symlink_to(other)
            elif kind == "rel-inroot":
                host.symlink_to("../" * ups + other.lstrip("/"))
            elif kind == "self-loop":
                host.symlink_to(path)
            elif kind == "fifo":
                os.mkfifo(host)
            elif kind == "socket":
                with socket.socket(socket.AF_UNIX) as s:
                    s.bind(str(host))
            elif kind == "device":
                os.mknod(host, 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # a /dev/zero
            elif kind == "sparse":
                with host.open("wb") as fh:
                    fh.truncate(2 << 30)  # 2 GiB of NULs, no disk used
        except OSError:
            continue  # no mknod, a socket path too long: the rest of the tree still counts


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(nodes=st.lists(_NODE, min_size=1, max_size=14))
def test_random_hostile_trees_leak_nothing_and_finish(
    shell: str, tmp_path_factory: pytest.TempPathFactory, nodes: list[tuple[str, str, str, int]]
) -> None:
    base = tmp_path_factory.mktemp("tree")
    try:
        outside = make_outside(base)
        root = base / "root"
        root.mkdir()
        _build(root, outside, nodes)
        sections = collect(shell, root, bound=30.0)
        assert outside.leaks(sections) == [], nodes
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --- this machine's /proc and /sys mounted into the root --------------------------------


def _mount_ns_shell(root: Path, script: bytes) -> subprocess.CompletedProcess[bytes]:
    """Run `script` with dash in a private mount namespace where root/proc is a procfs
    and root/sys a sysfs (as a chroot prepared by hand): nothing leaks to this machine."""
    setup = (
        'mount --make-rprivate / && mount -t proc proc "$1/proc" && '
        'mount -t sysfs sysfs "$1/sys" && exec dash -s'
    )
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", setup, "sh", str(root)],
        input=script,
        capture_output=True,
        timeout=60,
    )


def test_this_machines_proc_mounted_in_the_root_is_never_read(tmp_path: Path) -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare(1) to mount /proc in a private namespace")
    root = tmp_path / "root"
    for d in ("proc", "sys", "etc/cron.d", "boot"):
        (root / d).mkdir(parents=True)
    (root / "etc/crontab").symlink_to("/proc/kmsg")  # passes [ -f ], blocks on read
    (root / "etc/cron.d/x").symlink_to("../../proc/self/environ")
    (root / "etc/fstab").symlink_to("/proc/self/mounts")
    built = build_script(ALL_PROBES, mode="offline", root=str(root))
    started = time.monotonic()
    proc = _mount_ns_shell(root, built.script.encode())
    if proc.returncode != 0 and not proc.stdout:
        pytest.skip(f"cannot mount here: {proc.stderr.decode()[-200:]}")
    assert time.monotonic() - started < 20
    result = split_output(proc.stdout, built.boundary)
    assert result.complete, result.issues
    s = result.sections
    assert s["reboots.crontab"].state == "foreign"
    assert s["boot.fstab"].state == "foreign"
    assert s["boot.file:/proc/cmdline"].state == "foreign"
    assert s["init.pid1.comm"].state == "foreign"
    cmdline = Path("/proc/cmdline").read_text().strip()
    assert all(cmdline not in sec.text for sec in s.values() if cmdline)
    assert "reboots.crond:/etc/cron.d/x" not in s or s["reboots.crond:/etc/cron.d/x"].text == ""


# --- static guards ----------------------------------------------------------------------


def test_no_path_reaches_the_kernel_except_through_the_resolver() -> None:
    """`$ROOT` appears in collector/sh/20-paths.sh only: every probe and helper names paths
    as the host sees them and goes through the in-root helpers."""
    root = re.compile(r"\$\{?ROOT\b")
    offenders = []
    for sh in sorted(SH.glob("*.sh")):
        if sh.name != "20-paths.sh":
            offenders += [f"{sh.name}: {ln}" for ln in _code(sh.read_text()) if root.search(ln)]
    for probe in ALL_PROBES:
        offenders += [f"{probe.name}: {ln}" for ln in _code(probe.script) if root.search(ln)]
    assert offenders == []


def _code(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]


def test_every_path_a_probe_builds_is_declared() -> None:
    """A path the script builds at run time (`/etc/cron.$p`) is spelled out in
    Probe.paths, so the planting test above reaches it."""
    missing = [
        (probe.name, path)
        for probe in ALL_PROBES
        for path, whole in path_literals(probe)
        if not whole and not any(d.startswith(path) and d != path for d in declared_paths(probe))
    ]
    assert missing == []


def test_the_assembled_collector_is_shellcheck_clean() -> None:
    """Every warning is fixed or disabled where it stands with its reason (the whole-script
    ones: collector/script.py's _LINT_HEADER). `--root 'r[1]'` read another tree through
    an unquoted expansion once: a root with glob characters and blanks is the input. (Live
    and offline scripts differ only in their header's variables: one is checked.)"""
    if shutil.which("shellcheck") is None:
        pytest.fail("shellcheck is not installed (apt-get install shellcheck)")
    built = build_script(ALL_PROBES, mode="offline", root="/mnt/r[1] x*", comments=True)
    proc = subprocess.run(
        ["shellcheck", "-s", "sh", "-f", "gcc", "-"],
        input=built.script.encode(),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout.decode()[-3000:]


def test_every_shellcheck_directive_says_why() -> None:
    lines = [ln for sh in SH.glob("*.sh") for ln in sh.read_text().splitlines()]
    lines += [ln for p in ALL_PROBES for ln in p.script.splitlines()]
    bare = [ln for ln in lines if "shellcheck disable=" in ln and not re.search(r"SC\d+\S* #", ln)]
    assert bare == []


def test_a_root_with_glob_characters_reads_only_itself(shell: str, tmp_path: Path) -> None:
    """`--root 'r[1]'` once read r1/ too (an unquoted list in an awk call)."""
    for name, word in (("r[1]", "mine"), ("r1", "OTHER-TREE")):
        (tmp_path / name / "etc").mkdir(parents=True)
        (tmp_path / name / "etc/hostname").write_text(f"{word}\n")
        (tmp_path / name / "etc/os-release").write_text(f"ID={word}\n")
    sections = run_probes(ALL_PROBES, shell, tmp_path / "r[1]")
    assert sections["host.hostname"].text == "mine\n"
    assert all("OTHER-TREE" not in s.text for s in sections.values())

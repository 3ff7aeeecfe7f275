"""Helpers for tests: build Sections from text, run the real collector on a tree."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from cockpit.collector import build_script, split_output
from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.probes.base import Probe
from cockpit.snapshot import Section, Sections, Snapshot
from cockpit.state import HostState
from cockpit.transports import LocalTransport, OfflineRootTransport, collect

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_hosts"
#: The sample host trees (each has an AT file); sample_hosts/sessions/ holds recordings.
SAMPLE_TREES = tuple(sorted(p for p in SAMPLES.iterdir() if (p / "AT").is_file()))
#: Trees of the families added after the sample fleet (sample_hosts/families/README.md):
#: judged against their goldens like the fleet's, kept out of the fleet's screens.
FAMILY_TREES = tuple(sorted(p for p in (SAMPLES / "families").iterdir() if (p / "AT").is_file()))
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"


def corpus(rel: str) -> str:
    """A real output from tests/fixtures/corpus (copied from shared/corpus with SOURCES.tsv)."""
    return (CORPUS / rel).read_text("utf-8", errors="replace")


def sections(**named: str | tuple[str, str]) -> Sections:
    """Sections from keyword args: name=text (state ok) or name=(state, text).

    Section names contain dots and colons, so also accept a dict via `sections_from`.
    """
    return sections_from({k.replace("__", "."): v for k, v in named.items()})


def sections_from(named: dict[str, str | tuple[str, str]]) -> Sections:
    out: dict[str, Section] = {}
    for name, value in named.items():
        if isinstance(value, tuple):
            state, text = value
        else:
            state, text = "ok", value
        out[name] = Section(name=name, state=state, rc=0, text=text)
    return Sections(out)


def collect_root(root: Path | str, shell: str = "sh") -> Snapshot:
    spec = HostSpec(name=Path(root).name, kind="offline", root=str(root))
    return asyncio.run(collect(OfflineRootTransport(spec, shell=shell)))


def collect_live(shell: str = "sh") -> Snapshot:
    spec = HostSpec(name="localhost", kind="local")
    return asyncio.run(collect(LocalTransport(spec, shell=shell)))


def judge_root(root: Path | str, at: str | None = None) -> HostState:
    when = datetime.fromisoformat(at) if at else None
    return judge_snapshot(collect_root(root), when)


def run_probes(
    probes: Sequence[Probe], shell: str, root: Path | str | None = None, strict: bool = True
) -> Sections:
    """Run these probes alone under `shell` ("busybox sh" is two words): offline on
    `root`, live on this machine when root is None. The stream must be complete, and with
    `strict` free of any framing issue."""
    mode = "offline" if root is not None else "live"
    built = build_script(list(probes), mode=mode, root=str(root) if root else "/")
    proc = subprocess.run(
        [*shell.split(), "-s"], input=built.script.encode(), capture_output=True, timeout=60
    )
    result = split_output(proc.stdout, built.boundary)
    assert result.complete, (result.issues, proc.stderr[-500:])
    if strict:
        assert result.issues == (), (result.issues, proc.stderr[-500:])
    return result.sections


def run_cockpit(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, as a script or a monitoring system runs it."""
    return subprocess.run(
        [sys.executable, "-m", "cockpit", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def wait_for_ssh_banner(port: int, proc: subprocess.Popen[bytes], log: Path, within: float) -> None:
    """Until an sshd on 127.0.0.1:port greets with its banner; fail with its log if it died
    or stayed silent."""
    import socket
    import time

    import pytest

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"sshd exited {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(64).startswith(b"SSH-"):
                    return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"sshd did not answer on port {port}: {log.read_text()[-2000:]}")

"""Helpers for tests: build Sections from text, run the real collector on a tree."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from cockpit.engine import judge_snapshot
from cockpit.snapshot import Section, Sections, Snapshot
from cockpit.state import HostState
from cockpit.transports import HostSpec, LocalTransport, OfflineRootTransport, collect

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_hosts"
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

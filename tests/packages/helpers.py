"""Shared helpers for the packages tests: facts around a PackageFacts, fixture files."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cockpit.facts import HostFacts
from cockpit.facts.packages import PackageFacts
from cockpit.parsers import parse_snapshot
from cockpit.snapshot import Sections, Snapshot

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CDT = timezone(timedelta(hours=-5), "CDT")
NOW = datetime(2011, 9, 29, 23, 0, tzinfo=CDT)


def fixture(name: str) -> str:
    """A capture made on this machine (see fixtures/README.md for how)."""
    return (FIXTURES / name).read_text("utf-8")


def host_facts(packages: PackageFacts, mode: str = "offline") -> HostFacts:
    empty = Snapshot("t", "offline", Sections({}), datetime(2024, 1, 1, tzinfo=timezone.utc), 0.0)
    return dataclasses.replace(parse_snapshot(empty), packages=packages, mode=mode)


def ids(findings) -> dict[str, str]:
    return {f.id: f.severity.value for f in findings}

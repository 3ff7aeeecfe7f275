"""Helpers for boot tests: sections for one tree, facts for the rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from cockpit.facts import HostFacts
from cockpit.parsers import boot, parse_snapshot
from cockpit.rules import boot as rules
from cockpit.rules.finding import Finding
from cockpit.snapshot import Sections, Snapshot

NOW = datetime(2024, 6, 12, 22, 0, tzinfo=timezone.utc)


def facts_from(sections: Sections, mode: str = "offline", running: str | None = None) -> HostFacts:
    """HostFacts whose boot part comes from `sections`; other areas parse nothing."""
    empty = Snapshot("t", "offline", Sections({}), NOW, 0.0)
    base = parse_snapshot(empty)
    host = replace(base.host, kernel_release=running, container=None)
    return replace(base, mode=mode, host=host, boot=boot.parse(sections))


def judge(sections: Sections, mode: str = "offline", running: str | None = None) -> list[Finding]:
    return rules.judge(facts_from(sections, mode, running), NOW)


def ids(findings: list[Finding]) -> dict[str, str]:
    return {f.id: f.severity.value for f in findings}

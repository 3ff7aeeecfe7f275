"""Facts for rule tests: real parsers over sections, with a chosen default cmdline."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from cockpit.facts import HostFacts
from cockpit.facts.boot import BootFacts
from cockpit.parsers import parse_snapshot
from cockpit.rules import init as init_rules
from cockpit.rules.finding import Finding
from cockpit.snapshot import Sections, Snapshot

NOW = datetime(2011, 9, 29, 23, 0, tzinfo=timezone.utc)


def host_facts(
    sections: Sections, mode: str = "offline", cmdline: str | None = None, family: str = "deb"
) -> HostFacts:
    snap = Snapshot("t", mode, sections, NOW, 0.0)  # type: ignore[arg-type]
    facts = parse_snapshot(snap)
    host = dataclasses.replace(facts.host, family=family)
    return dataclasses.replace(facts, host=host, boot=BootFacts(default_cmdline=cmdline))


def judge(facts: HostFacts) -> dict[str, Finding]:
    return {f.id: f for f in init_rules.judge(facts, NOW)}

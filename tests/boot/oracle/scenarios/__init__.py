"""The oracle's scenarios, by boot stage; ALL is every one: the healthy roots and the
incident first (the cases the project exists for), then in boot-stage order."""

from __future__ import annotations

from tests.boot.oracle.scenario import Scenario
from tests.boot.oracle.scenarios import (
    entry,
    healthy,
    incident,
    init_config,
    init_exec,
    kernel,
    mounts,
    remote,
)

ALL: list[Scenario] = [
    *healthy.SCENARIOS, *incident.SCENARIOS, *entry.SCENARIOS, *kernel.SCENARIOS,
    *mounts.SCENARIOS, *init_exec.SCENARIOS, *init_config.SCENARIOS, *remote.SCENARIOS,
]  # fmt: skip
BY_NAME = {s.name: s for s in ALL}
assert len(BY_NAME) == len(ALL), "scenario names must be unique"

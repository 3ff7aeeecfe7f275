"""The transport interface: run one collector script, return its raw bytes.

A transport knows how to reach a host and nothing about probes or parsing: local,
offline root, ssh and replay implement the same `run`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Protocol

from cockpit.collector import build_script, split_output
from cockpit.collector.cadence import Cadence
from cockpit.hostspec import HostSpec
from cockpit.probes import ALL_PROBES, Probe
from cockpit.snapshot import Snapshot
from cockpit.words import Mode

#: Whole-run bounds, on top of each probe's own: one slow host never stalls the rest.
RUN_TIMEOUT_S = 60.0
MAX_OUTPUT_BYTES = 32 * 1024 * 1024


class CollectError(Exception):
    """A host could not be read at all. `category` is shown beside the host."""

    def __init__(self, category: str, message: str) -> None:
        super().__init__(message)
        self.category = category
        self.message = message


class Transport(Protocol):
    spec: HostSpec

    @property
    def mode(self) -> Mode: ...

    async def run(self, script: str, timeout: float) -> bytes:
        """Run `script` with `sh -s` on the host; raise CollectError if it cannot."""
        ...


async def collect(
    transport: Transport,
    probes: Sequence[Probe] = ALL_PROBES,
    timeout: float = RUN_TIMEOUT_S,
    cadence: Cadence | None = None,
) -> Snapshot:
    """One round trip: build the script, run it, split the answer.

    With a `cadence` (a refresh loop's per-host state), slow checks run only when due and
    their last sections stand in; without one (a one-shot check) everything runs.
    """
    to_run, cached = cadence.plan(probes) if cadence else (list(probes), [])
    run = build_script(
        to_run,
        mode=transport.mode,
        root=transport.spec.root,
        cached=cached,
        incremental=cadence is not None and cadence.incremental,
        extra_watch=cadence.extra_watch() if cadence else None,
    )
    started = datetime.now(timezone.utc)
    t0 = time.monotonic()
    try:
        raw = await transport.run(run.script, timeout)
    except BaseException:
        if cadence is not None:  # whatever it was, the next refresh reads everything
            cadence.force_keyframe()
        raise
    result = split_output(raw, run.boundary)
    snapshot = Snapshot(
        host=transport.spec.name,
        mode=transport.mode,
        sections=result.sections,
        started=started,
        duration_s=time.monotonic() - t0,
        root=transport.spec.root,
        framing_issues=result.issues,
    )
    if cadence is None:
        return snapshot
    skipped = [p for p in probes if p not in to_run]
    return cadence.merge(snapshot, skipped, [p.name for p in to_run])

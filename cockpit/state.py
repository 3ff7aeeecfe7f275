"""HostState: everything a screen, a check or a report needs about one host, now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.rules.chain.model import BootChain
from cockpit.rules.finding import ArmedReboot, Finding
from cockpit.snapshot import Snapshot
from cockpit.words import Mode, Status, Verdict


@dataclass(frozen=True)
class HostState:
    name: str
    mode: Mode
    reachable: bool
    verdict: Verdict
    status: Status
    host_time: datetime | None
    findings: tuple[Finding, ...] = ()
    next_reboot: ArmedReboot | None = None
    init_running: str = "unknown"
    init_boot: str = "unknown"
    error: str | None = None
    error_category: str | None = None  # unreachable | timeout | auth | hostkey | collector | ...
    facts: HostFacts | None = None
    snapshot: Snapshot | None = None
    #: The boot chain the verdict was read from (None: the host could not be judged).
    chain: BootChain | None = None
    #: Why the next reboot cannot be known (rules/verdict.py Judgement.reboots_unknown).
    reboots_unknown: str | None = None

    @classmethod
    def failed(
        cls, name: str, mode: Mode, category: str, message: str, host_time: datetime | None = None
    ) -> HostState:
        """A host we could not read: unknown, never OK."""
        return cls(
            name=name,
            mode=mode,
            reachable=False,
            verdict=Verdict.UNKNOWN,
            status=Status.UNKNOWN,
            host_time=host_time,
            error=message,
            error_category=category,
        )

"""Typed, frozen facts per area: what parsers produce and rules consume."""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.facts.boot import BootFacts
from cockpit.facts.host import HostInfo
from cockpit.facts.init import InitFacts
from cockpit.facts.packages import PackageFacts
from cockpit.facts.reboots import RebootFacts
from cockpit.facts.services import ServiceFacts
from cockpit.facts.since_boot import SinceBoot


@dataclass(frozen=True)
class HostFacts:
    """Everything the parsers learned from one snapshot."""

    mode: str  # live | offline
    host: HostInfo
    init: InitFacts
    reboots: RebootFacts
    packages: PackageFacts
    services: ServiceFacts
    boot: BootFacts
    #: What the current boot used (live hosts): the "proven by the current boot" pass.
    since_boot: SinceBoot = field(default_factory=SinceBoot)


__all__ = [
    "BootFacts",
    "HostFacts",
    "HostInfo",
    "InitFacts",
    "PackageFacts",
    "RebootFacts",
    "ServiceFacts",
    "SinceBoot",
]

"""Typed, frozen facts per area: what parsers produce and rules consume."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.facts.boot import BootFacts
from cockpit.facts.host import HostInfo
from cockpit.facts.init import InitFacts
from cockpit.facts.packages import PackageFacts
from cockpit.facts.reboots import RebootFacts
from cockpit.facts.services import ServiceFacts
from cockpit.words import Mode


@dataclass(frozen=True)
class HostFacts:
    """Everything the parsers learned from one snapshot."""

    mode: Mode
    host: HostInfo
    init: InitFacts
    reboots: RebootFacts
    packages: PackageFacts
    services: ServiceFacts
    boot: BootFacts


__all__ = [
    "BootFacts",
    "HostFacts",
    "HostInfo",
    "InitFacts",
    "PackageFacts",
    "RebootFacts",
    "ServiceFacts",
]

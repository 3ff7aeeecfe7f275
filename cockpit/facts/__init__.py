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
from cockpit.words import Mode


@dataclass(frozen=True)
class ParseFailure:
    """An area whose parser raised. Its facts are that area's unknown ones, and the rules
    say so (UNKNOWN, boot-critical where the verdict depends on the area) instead of
    judging them: a parser bug costs its area, visibly, and never reads as "nothing"."""

    area: str
    error: str  # "boot parser failed: KeyError: 'x'", cut to 300 characters
    boot_critical: bool


@dataclass(frozen=True)
class AreaTiming:
    """How long one area's parse took on this snapshot, and whether the memo answered."""

    area: str
    seconds: float
    memo_hit: bool | None = None  # None: parsed without a memo (a one-shot check)


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
    #: What the current boot used (live hosts): the "proven by the current boot" pass.
    since_boot: SinceBoot = field(default_factory=SinceBoot)
    failures: tuple[ParseFailure, ...] = ()
    #: Per-area parse times (`cockpit check -v`, bench/engine.py): about this parse, not
    #: about the host, so two parses of the same text are still equal facts.
    timings: tuple[AreaTiming, ...] = field(default=(), compare=False, repr=False)


__all__ = [
    "AreaTiming",
    "BootFacts",
    "HostFacts",
    "HostInfo",
    "InitFacts",
    "PackageFacts",
    "ParseFailure",
    "RebootFacts",
    "ServiceFacts",
    "SinceBoot",
]

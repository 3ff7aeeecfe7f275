"""Pure, total parsers: sections in, frozen facts out, one area at a time.

Every area's parser runs under the one guard here (as node_exporter's `execute()` wraps
each collector): it is timed, and if it raises, the exception costs that area only. The
area's facts become its unknown ones and a ParseFailure says why, so the rules report it
(UNKNOWN, boot-critical for boot and init) rather than judge an empty result as "none".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from cockpit.facts import (
    AreaTiming,
    BootFacts,
    HostFacts,
    HostInfo,
    InitFacts,
    PackageFacts,
    ParseFailure,
    RebootFacts,
    ServiceFacts,
    SinceBoot,
)
from cockpit.parsers import boot, host, init, packages, reboots, services, since_boot
from cockpit.parsers.memo import Answers, ParseMemo
from cockpit.snapshot import Sections, Snapshot

F = TypeVar("F")


@dataclass(frozen=True)
class Area(Generic[F]):
    """One area under the guard: its parser, the facts it stands at when that parser
    raises (unknown, carrying the issue), and whether the verdict depends on it.

    `finish` reads sections too but runs on every snapshot, outside the parse memo: the
    host's clock changes each refresh while the rest of the host area almost never does.
    """

    name: str
    parse: Callable[[Sections], F]
    unknown: Callable[[str], F]
    boot_critical: bool
    finish: Callable[[F, Sections], F] | None = None


def _unknown_host(issue: str) -> HostInfo:
    """Nothing known about the host; not "not a Linux system" (that would be a claim)."""
    return HostInfo(
        hostname=None,
        os_id=None,
        os_like=(),
        os_pretty=None,
        family="unknown",
        kernel_release=None,
        boot_id=None,
        epoch=None,
        utc_offset=None,
        tz_name=None,
        container=None,
        looks_like_linux=True,
        issues=(issue,),
    )


BOOT = Area("boot", boot.parse, lambda why: BootFacts(issues=(why,)), boot_critical=True)
INIT = Area("init", init.parse, lambda why: InitFacts(issues=(why,)), boot_critical=True)
HOST = Area("host", host.parse_static, _unknown_host, False, finish=host.with_clock)
REBOOTS = Area("reboots", reboots.parse, lambda why: RebootFacts(issues=(why,)), False)
PACKAGES = Area(
    "packages", packages.parse, lambda why: PackageFacts(db_state="unknown", issues=(why,)), False
)
SERVICES = Area("services", services.parse, lambda why: ServiceFacts(issues=(why,)), False)
SINCE_BOOT = Area(
    "since_boot", since_boot.parse, lambda why: SinceBoot(state="error", issues=(why,)), False
)
AREAS = (BOOT, INIT, HOST, REBOOTS, PACKAGES, SERVICES, SINCE_BOOT)


class _Guard:
    """Runs each area once for one snapshot: timed, through the host's memo if any, and
    caught. What it saw is kept for HostFacts (failures, timings)."""

    def __init__(self, sections: Sections, memo: ParseMemo | None) -> None:
        self.sections = sections
        self.memo = memo
        self.answers = Answers(sections)
        self.failures: list[ParseFailure] = []
        self.timings: list[AreaTiming] = []

    def run(self, area: Area[F], then: Callable[[F], F] | None = None) -> F:
        """`then`: a step that needs another area's facts (init needs the boot entry's
        command line), guarded with the area."""
        memo = self.memo
        hits = memo.hits if memo is not None else 0
        t0 = time.perf_counter()
        try:
            if memo is not None:
                facts: F = memo.parse(area.name, area.parse, self.sections, self.answers)
            else:
                facts = area.parse(self.sections)
            if area.finish is not None:
                facts = area.finish(facts, self.sections)
            if then is not None:
                facts = then(facts)
        except Exception as exc:
            why = f"{area.name} parser failed: {type(exc).__name__}: {exc}"[:300]
            self.failures.append(ParseFailure(area.name, why, area.boot_critical))
            facts = area.unknown(why)
        hit = (memo.hits > hits) if memo is not None else None
        self.timings.append(AreaTiming(area.name, time.perf_counter() - t0, hit))
        return facts


def _initramfs_tools(boot_facts: BootFacts) -> bool:
    """Is the default entry's initramfs made by initramfs-tools (whose /init falls back to
    /sbin/init when init= cannot run)? Only when a listing says so."""
    entry = boot_facts.default_entry
    if entry is None or not entry.initrds:
        return False
    listing = boot_facts.kernel.listing(entry.initrds[0].found)
    return listing is not None and listing.generator == "initramfs-tools"


def _with_boot(facts: InitFacts, boot_facts: BootFacts) -> InitFacts:
    """The init the next boot runs depends on the default entry's `init=`: boot first."""
    facts = init.with_boot_cmdline(
        facts, boot_facts.default_cmdline, init_fallback=_initramfs_tools(boot_facts)
    )
    if not boot_facts.loaders and boot_facts.boot_dir_state in ("ok", "absent"):
        facts = init.with_external_boot(facts)
    return facts


def parse_snapshot(snapshot: Snapshot, memo: ParseMemo | None = None) -> HostFacts:
    """All areas' facts. With a host's `memo`, areas whose inputs did not change since
    the last refresh are not parsed again (same facts, exactly)."""
    s = snapshot.sections
    guard = _Guard(s, memo)
    boot_facts = guard.run(BOOT)
    init_facts = guard.run(INIT, lambda f: _with_boot(f, boot_facts))
    host_info = guard.run(HOST)
    return HostFacts(
        mode=snapshot.mode,
        host=host_info,
        init=init_facts,
        reboots=guard.run(REBOOTS),
        packages=guard.run(PACKAGES),
        services=guard.run(SERVICES),
        boot=boot_facts,
        since_boot=guard.run(SINCE_BOOT),
        failures=tuple(guard.failures),
        timings=tuple(guard.timings),
    )


__all__ = ["AREAS", "Area", "ParseMemo", "parse_snapshot"]

"""reboots parser: sections -> RebootFacts. Pure and total.

Reading states are kept (SourceState): a crontab spool we could not read means "whether a
reboot is scheduled is unknown", never "none scheduled". Each kind of source has its own
module (crontabs, at, shutdowns, timers, auto);
this one runs them, each under its own guard, so a bug in one source costs that source
(listed in `issues`), never the others or the snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from cockpit import distros
from cockpit.facts.reboots import CronReboot, RebootFacts, SourceState
from cockpit.parsers import host as host_parser
from cockpit.parsers.reads import reads
from cockpit.parsers.reboots import crontabs
from cockpit.parsers.reboots.at import at_jobs
from cockpit.parsers.reboots.auto import auto_reboots
from cockpit.parsers.reboots.shutdowns import flags, nologin, shutdowns
from cockpit.parsers.reboots.timers import timers
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py): the host's distro family
#: (which cron rules apply) and mode (whether a pid file means a waiting process).
READS = reads(
    "host.os",
    "host.os.usr",
    "host.gentoo",
    "host.mode",
)

T = TypeVar("T")


def parse(sections: Sections) -> RebootFacts:
    try:
        family = host_parser.family(sections)
    except Exception:
        family = "unknown"
    issues: list[str] = []
    cron_jobs: list[CronReboot] = []
    states: list[SourceState] = []
    try:
        crontabs.collect(sections, distros.family(family).debian_run_parts, cron_jobs, states)
    except Exception as exc:  # total: report, never raise
        issues.append(f"cron: {type(exc).__name__}")
    at = _guard(lambda: at_jobs(sections, states), issues, "at")
    live = host_parser.is_live(sections)
    pending = _guard(lambda: shutdowns(sections, live), issues, "shutdown")
    timer_jobs = _guard(lambda: timers(sections), issues, "timers")
    auto = _guard(lambda: auto_reboots(sections), issues, "auto-reboot")
    flag_files = _guard(lambda: flags(sections), issues, "flags")
    return RebootFacts(
        cron=tuple(cron_jobs),
        sources=tuple(states),
        shutdowns=tuple(pending),
        nologin=nologin(sections),
        at_jobs=tuple(at),
        timers=tuple(timer_jobs),
        auto=tuple(auto),
        flags=tuple(flag_files),
        issues=tuple(issues),
    )


def _guard(fn: Callable[[], Iterable[T]], issues: list[str], what: str) -> list[T]:
    """fn's results, or [] with `what: ErrorType` added to issues if it raised."""
    try:
        return list(fn())
    except Exception as exc:
        issues.append(f"{what}: {type(exc).__name__}")
        return []

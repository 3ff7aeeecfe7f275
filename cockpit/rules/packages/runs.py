"""Any package manager: a run its log shows started and never finished, and packages its
database shows caught half-way.

Which manager a run or a package belongs to, which locks mean it is still working, and
what to type come from its cockpit/distros entry: a manager without an entry is never
judged as another one.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.distros import MANAGERS, PackageManager, manager_of_run
from cockpit.facts.packages import PackageFacts, PackageState
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding, held_locks, run_interrupted, with_start_time


def interrupted_runs(p: PackageFacts, now: datetime) -> list[Finding]:
    """Runs a log shows started and never finished, unless their manager still works on
    them (a lock held, or seen running). A manager with no `finish_run` (emerge: its
    resume list says it better) is left to its own rule."""
    out: list[Finding] = []
    for t in p.transactions:
        m = manager_of_run(t.manager)
        if t.complete or m is None or m.finish_run is None:
            continue
        if held_locks(p, m.run_locks()) or p.running(m.name):
            continue
        found = run_interrupted(t, m.finish_run)
        out.append(with_start_time(found, t, now))
    return out


def _states(items: list[PackageState], limit: int = 3) -> str:
    shown = ", ".join(f"{s.name} {s.state}" for s in items[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def half_done(m: PackageManager, mid: list[PackageState]) -> list[Finding]:
    """Packages left between two steps: CRITICAL when the boot needs one of them."""
    out: list[Finding] = []
    essential = [s for s in mid if s.essential]
    other = [s for s in mid if not s.essential]
    if essential and m.finish_essential:
        out.append(
            finding(
                "essential-mid-change",
                Severity.CRITICAL,
                f"{_states(essential)}: the boot needs it; finish it before any reboot",
                [s.evidence for s in essential],
                m.finish_essential,
            )
        )
    if other and m.finish_other:
        out.append(
            finding(
                "half-installed",
                Severity.WARNING,
                f"{_states(other)}: packages left half-installed",
                [s.evidence for s in other],
                m.finish_other,
            )
        )
    return out


def half_done_elsewhere(p: PackageFacts) -> list[Finding]:
    """Half-done packages of every manager but dpkg, whose come with its journal and
    triggers (rules/packages/dpkg.py). While a manager holds its lock they are its work
    in progress, said by `lock-held`."""
    out: list[Finding] = []
    for m in MANAGERS:
        mid = [s for s in p.mid_change if s.manager == m.name]
        if m.name == "dpkg" or not mid or held_locks(p, m.working_locks()):
            continue
        out += half_done(m, mid)
    return out

"""The verdict banner in words a whole room can read, from a HostState and the host's now.

Pure (no terminal library): the host view shows it, and a report or a pager could too.
The incident's evening reads: "UNBOOTABLE: /sbin/init is missing. root's crontab reboots
this host at 03:15 CDT, in 4h15m." The two halves are the two lessons: what will not
boot, and what will reboot it and when. Each half is explicit when it is unknown, and
says why: absence of evidence is never "fine".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from cockpit.render.marks import SYMBOL
from cockpit.rules.chain.model import StageState
from cockpit.rules.finding import ArmedReboot, Finding, Severity
from cockpit.rules.reboots.armed import armed
from cockpit.rules.reboots.findings import REBOOT_VERBS
from cockpit.rules.when import ago, countdown, is_past, stamp
from cockpit.state import HostState
from cockpit.words import Status, Verdict

COMBINED_ID = "verdict.reboot-armed-while-unbootable"


#: ExecCheck state -> how its path is described (init.boot-init-* findings).
_INIT_STATE = {
    "missing": "is missing",
    "dangling": "is a symlink that points nowhere",
    "loop": "is a symlink loop",
    "not-executable": "is not executable",
    "interpreter-missing": "cannot start: its interpreter is missing",
    "library-missing": "cannot start: a library it needs is missing",
}

#: The phases of a host's worker before any answer arrived (HostEntry.phase).
_WAITING = {
    "waiting": "WAITING: not contacted yet",
    "connecting": "CONNECTING: no answer from this host yet",
    "refreshing": "CONNECTING: no answer from this host yet",
    "backoff": "UNREACHABLE: retrying",
    "error": "UNREACHABLE",
}


#: Replay's categories for "the record says nothing here" (recording/rebuild.py's DAMAGED,
#: replay_source's no-data): never said as UNREACHABLE.
_NOT_READ = {"recording-damaged": "RECORDING DAMAGED", "no-data": "NOT RECORDED"}


@dataclass(frozen=True)
class Banner:
    """What the banner shows. `severity` is a CSS class suffix (blocker | warning | ok |
    unknown); `word` and `symbol` say it without colour."""

    word: str
    symbol: str
    severity: str
    sentence: str


def blockers(state: HostState) -> list[Finding]:
    """The blockers a person must fix (the combined verdict finding restates them)."""
    return [f for f in state.findings if f.severity is Severity.BLOCKER and f.id != COMBINED_ID]


def blocker_phrase(finding: Finding, state: HostState) -> str:
    """`/sbin/init is missing` for the init findings; the finding's title otherwise."""
    if finding.id.startswith("init.boot-init-") and state.facts is not None:
        init = state.facts.init
        checks = [*init.candidates, init.sbin_init, init.usr_sbin_init]
        for check in checks:
            if check is not None and check.state in _INIT_STATE and check.path in finding.title:
                return f"{check.path} {_INIT_STATE[check.state]}"
    title = finding.title
    # "next boot has no init: X does not exist" -> "X does not exist"
    lead = re.match(r"^next boot[^:]*: (.+)$", title)
    return lead.group(1) if lead else title


def when_phrase(at: datetime, now: datetime) -> str:
    """`at 03:15 CDT, in 4h15m` within a day; `on 2024-06-20 at 03:15 CEST, in 7d2h` after;
    a time already past is never a countdown: `at 2024-06-12 22:30 EDT, 2 years ago
    (overdue, or a stale schedule)`."""
    if is_past(at, now):
        return f"at {stamp(at)}, {ago(at, now)} (overdue, or a stale schedule)"
    clock = at.strftime("%H:%M %Z").strip()
    left = countdown(at, now)
    tail = "due now" if left == "now" else f"in {left}"
    if at.timestamp() - now.timestamp() >= timedelta(days=1).total_seconds():
        return f"on {at.strftime('%Y-%m-%d')} at {clock}, {tail}"
    return f"at {clock}, {tail}"


def reboot_sentence(state: HostState, now: datetime | None) -> str:
    """The armed reboot (soonest first), or why we cannot say that none is armed."""
    reboots: list[ArmedReboot] = []
    if state.facts is not None and now is not None:
        reboots = armed(state.facts, now)
    elif state.next_reboot is not None:
        reboots = [state.next_reboot]
    if not reboots:
        unknown = [
            f for f in state.findings if f.area == "reboots" and f.severity is Severity.UNKNOWN
        ]
        if unknown:
            return f"Whether a reboot is armed is unknown: {unknown[0].title}."
        if state.facts is None:
            return "Whether a reboot is armed is unknown."
        return "No reboot is armed."
    first = reboots[0]
    verb = REBOOT_VERBS.get(first.kind, first.kind)
    if first.at is None or now is None:
        text = f"{first.source} will {first.kind} this host (time unknown)."
    elif is_past(first.at, now):
        text = f"{first.source}: a {first.kind} was due {when_phrase(first.at, now)}."
    else:
        text = f"{first.source} {verb} this host {when_phrase(first.at, now)}."
    more = len(reboots) - 1
    if more:
        text += f" {more} more reboot{'s' if more > 1 else ''} armed."
    return text


def _more(n: int, what: str) -> str:
    return f" (and {n} more {what}{'s' if n > 1 else ''})" if n > 0 else ""


def banner(state: HostState | None, now: datetime | None, phase: str = "ok") -> Banner:
    """The banner for one host. `now` is the host's clock now (ticking between refreshes);
    `phase` is the worker's (HostEntry.phase), used while no state has arrived."""
    if state is None:
        text = _WAITING.get(phase, "WAITING")
        return Banner("UNKNOWN", "…", "unknown", f"{text}; whether it would boot is unknown.")
    if not state.reachable and state.error_category in _NOT_READ:
        # Replay: a gap in the record is not a host that stopped answering.
        word = _NOT_READ[state.error_category]
        msg = f": {state.error}" if state.error else ""
        return Banner(word, "?", "unknown", f"{word}{msg}. What the host did here is unknown.")
    if not state.reachable:
        why = f" ({state.error_category})" if state.error_category else ""
        msg = f": {state.error}" if state.error else ""
        return Banner(
            "UNREACHABLE",
            "?",
            "unknown",
            f"UNREACHABLE{why}{msg}. Whether it would boot, and whether a reboot is armed, "
            "is unknown.",
        )
    reboot = reboot_sentence(state, now)
    if state.verdict == Verdict.UNBOOTABLE:
        found = blockers(state)
        what = blocker_phrase(found[0], state) if found else "a boot check failed"
        first = f"UNBOOTABLE: {what}{_more(len(found) - 1, 'blocker')}."
        return Banner("UNBOOTABLE", SYMBOL["blocker"], "blocker", f"{first} {reboot}")
    if state.verdict == Verdict.BOOTABLE:
        critical = sum(1 for f in state.findings if f.severity is Severity.CRITICAL)
        warnings = sum(1 for f in state.findings if f.severity is Severity.WARNING)
        if critical:
            s, verb = ("s", "need") if critical > 1 else ("", "needs")
            but = f", but {critical} critical finding{s} {verb} attention before any reboot"
        elif warnings:
            but = f" ({warnings} warning{'s' if warnings > 1 else ''})"
        else:
            but = ""
        severity = "ok" if state.status == Status.OK else "warning"
        symbol = SYMBOL[severity]
        return Banner(
            "BOOTABLE", symbol, severity, f"BOOTABLE: every boot stage proven{but}. {reboot}"
        )
    return Banner(
        "UNKNOWN", "?", "unknown", f"UNKNOWN whether it boots: {_unproven(state)}. {reboot}"
    )


def _unproven(state: HostState) -> str:
    """The first boot stage nobody could prove, and how many more there are."""
    if state.chain is not None:
        open_stages = [s for s in state.chain.boot_stages if s.state is not StageState.PROVEN]
        if open_stages:
            first = open_stages[0]
            return f"{first.stage.label}: {first.reason}" + _more(
                len(open_stages) - 1, "unproven stage"
            )
    unknown = [f for f in state.findings if f.severity is Severity.UNKNOWN and f.boot_critical]
    why = unknown[0].title if unknown else "a boot check could not be made"
    return why + _more(len(unknown) - 1, "unknown check")

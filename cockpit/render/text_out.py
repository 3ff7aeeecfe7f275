"""Plain text for `cockpit check`: first line is a monitoring-plugin summary.

Everything that came from a host passes through `clean()`: a hostile crontab must not
reach the terminal as escape sequences.
"""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.facts import AreaTiming
from cockpit.parsers.text import clean
from cockpit.rules.chain.model import StageState
from cockpit.rules.verdict import countdown
from cockpit.state import HostState
from cockpit.words import Status, Verdict

STATUS_CODE = {Status.OK: 0, Status.WARNING: 1, Status.CRITICAL: 2, Status.UNKNOWN: 3}
_WORST_ORDER = (Status.CRITICAL, Status.UNKNOWN, Status.WARNING, Status.OK)
_MARK = {
    "blocker": "[BLOCKER]",
    "critical": "[CRIT]",
    "unknown": "[UNKNOWN]",
    "warning": "[WARN]",
    "info": "[info]",
}


def worst_status(states: Sequence[HostState]) -> Status:
    present = {s.status for s in states}
    for status in _WORST_ORDER:
        if status in present:
            return status
    return Status.UNKNOWN


def exit_code(states: Sequence[HostState]) -> int:
    return STATUS_CODE[worst_status(states)] if states else 3


def _reboot_phrase(state: HostState) -> str | None:
    nxt = state.next_reboot
    if nxt is None:
        return None
    if nxt.at is None or state.host_time is None:
        return f"{nxt.kind} armed by {nxt.source}"
    return f"{nxt.kind} at {nxt.at.strftime('%H:%M %Z')} in {countdown(nxt.at, state.host_time)}"


def _unknown_why(state: HostState) -> str:
    """` (kernel: root=UUID=... cannot be shown to exist)`: the first stage nobody proved."""
    if state.chain is None:
        return f" ({state.error_category})" if state.error_category else ""
    first = state.chain.first(StageState.UNKNOWN)
    return f" ({first.stage.value}: {first.reason[:80]})" if first is not None else ""


def summary_line(states: Sequence[HostState]) -> str:
    worst = worst_status(states).upper()
    unbootable = [s for s in states if s.verdict == Verdict.UNBOOTABLE]
    unknown = [s for s in states if s.verdict == Verdict.UNKNOWN]
    parts = [f"COCKPIT {worst} -"]
    if unbootable:
        names = []
        for s in unbootable:
            blocker = next((f.id for f in s.findings if f.severity.value == "blocker"), "")
            phrase = _reboot_phrase(s)
            names.append(clean(s.name) + (f" ({blocker}; {phrase})" if phrase else f" ({blocker})"))
        parts.append(f"{len(unbootable)} of {len(states)} host(s) UNBOOTABLE: {', '.join(names)}")
    elif unknown:
        parts.append(
            f"{len(unknown)} of {len(states)} host(s) UNKNOWN: "
            + ", ".join(clean(s.name) + _unknown_why(s) for s in unknown)
        )
    else:
        parts.append(f"{len(states)} host(s) bootable")
    counts = {k: sum(1 for s in states if s.verdict == k) for k in Verdict}
    perf = " ".join(f"{k}={v}" for k, v in counts.items())
    return " ".join(parts) + f" | {perf}"


def host_block(state: HostState, verbose: bool = False) -> list[str]:
    when = state.host_time.strftime("%Y-%m-%d %H:%M %Z") if state.host_time else "unknown"
    head = f"== {clean(state.name)} ({state.mode}): {state.verdict.upper()}, status {state.status}"
    lines = [head, f"   host time {when}"]
    if state.error:
        lines.append(f"   error ({state.error_category}): {clean(state.error)}")
        return lines
    lines.append(
        f"   init: running {clean(state.init_running)}; next boot {clean(state.init_boot)}"
    )
    phrase = _reboot_phrase(state)
    lines.append(f"   next reboot: {clean(phrase) if phrase else 'none armed'}")
    lines.extend(chain_lines(state, verbose))
    if verbose and state.facts is not None and state.facts.timings:
        lines.append("   " + parse_times(state.facts.timings))
    for f in state.findings:
        if f.severity.value == "info" and not verbose:
            continue
        lines.append(f"   {_MARK[f.severity.value]} {clean(f.title)}  ({f.id})")
        for ev in f.evidence[: (None if verbose else 4)]:
            lines.append(f"       | {clean(ev)}")
        if f.remedy:
            lines.append(f"       fix: {clean(f.remedy)}")
    return lines


def chain_lines(state: HostState, verbose: bool = False) -> list[str]:
    """One line per boot stage (✓ proven, ✗ broken, ? unknown); evidence with -v."""
    if state.chain is None:
        return []
    out = ["   boot chain: " + "  ".join(f"{s.state.symbol} {s.stage.value}" for s in state.chain)]
    for s in state.chain:
        if s.state.value == "proven" and not verbose:
            continue
        out.append(f"     {s.state.symbol} {s.stage.label}: {clean(s.reason)}")
        if verbose:
            out.extend(f"       | {clean(ev)}" for ev in s.evidence[:8])
    return out


def parse_times(timings: Sequence[AreaTiming]) -> str:
    """`parse ms: boot 0.41, init 0.12, ...`: where a host's parse time goes, per area."""
    total = sum(t.seconds for t in timings) * 1000
    each = ", ".join(f"{t.area} {t.seconds * 1000:.2f}" for t in timings)
    return f"parse ms: {each} (total {total:.2f})"


def render(states: Sequence[HostState], verbose: bool = False) -> str:
    out = [summary_line(states)]
    for s in states:
        out.append("")
        out.extend(host_block(s, verbose))
    return "\n".join(out) + "\n"

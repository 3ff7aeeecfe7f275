"""Plain text for `cockpit check`: first line is the monitoring plugin's status line
(`--format nagios` names it; render/nagios.py), then each host's details for a person.

Everything that came from a host (or an inventory: host names too) passes through
cockpit/escape.py: a hostile crontab must not reach the terminal as escape sequences, and
a hostile name must not forge a line or the status line's performance data.
"""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.escape import escaped, escaped_lines
from cockpit.facts import AreaTiming
from cockpit.render.nagios import STATUS_CODE, exit_code, reboot_phrase, status_line, worst_status
from cockpit.state import HostState

__all__ = ["STATUS_CODE", "exit_code", "host_block", "render", "summary_line", "worst_status"]

#: The first line is the monitoring plugin's status line (render/nagios.py).
summary_line = status_line

_MARK = {
    "blocker": "[BLOCKER]",
    "critical": "[CRIT]",
    "unknown": "[UNKNOWN]",
    "warning": "[WARN]",
    "info": "[info]",
}


def host_block(state: HostState, verbose: bool = False) -> list[str]:
    when = state.host_time.strftime("%Y-%m-%d %H:%M %Z") if state.host_time else "unknown"
    name = escaped(state.name)
    head = f"== {name} ({state.mode}): {state.verdict.upper()}, status {state.status}"
    lines = [head, f"   host time {when}"]
    if state.error:
        lines.append(f"   error ({state.error_category}): {escaped(state.error)}")
        return lines
    lines.append(
        f"   init: running {escaped(state.init_running)}; next boot {escaped(state.init_boot)}"
    )
    phrase = reboot_phrase(state)
    lines.append(f"   next reboot: {escaped(phrase) if phrase else 'none armed'}")
    lines.extend(chain_lines(state, verbose))
    if verbose and state.facts is not None and state.facts.timings:
        lines.append("   " + parse_times(state.facts.timings))
    for f in state.findings:
        if f.severity.value == "info" and not verbose:
            continue
        lines.append(f"   {_MARK[f.severity.value]} {escaped(f.title)}  ({f.id})")
        for ev in f.evidence[: (None if verbose else 4)]:
            lines.extend(f"       | {line}" for line in escaped_lines(ev))
        if f.remedy:
            first, *more = escaped_lines(f.remedy)
            lines.append(f"       fix: {first}")
            lines.extend(f"            {line}" for line in more)
    return lines


def chain_lines(state: HostState, verbose: bool = False) -> list[str]:
    """One line per boot stage (✓ proven, ✗ broken, ? unknown); evidence with -v."""
    if state.chain is None:
        return []
    out = ["   boot chain: " + "  ".join(f"{s.state.symbol} {s.stage.value}" for s in state.chain)]
    by_boot = [s.stage.value for s in state.chain if s.proven_by == "current boot"]
    if by_boot:
        out.append(f"     proven by the current boot: {', '.join(by_boot)}")
    changed = state.chain.changed_since_boot
    if changed:
        out.append(f"     changed since boot: {escaped('; '.join(changed[:6]))}")
    for s in state.chain:
        if s.state.value == "proven" and not verbose:
            continue
        out.append(f"     {s.state.symbol} {s.stage.label}: {escaped(s.reason)}")
        if verbose:
            out.extend(f"       | {escaped(ev)}" for ev in s.evidence[:8])
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

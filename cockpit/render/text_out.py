"""Plain text for `cockpit check`: first line is a monitoring-plugin summary.

Everything that came from a host (or an inventory: host names too) passes through
cockpit/escape.py: a hostile crontab must not reach the terminal as escape sequences, and
a hostile name must not forge a line or the status line's performance data.
"""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.escape import escaped, escaped_lines, plugin_text
from cockpit.rules.verdict import countdown
from cockpit.state import HostState

STATUS_CODE = {"ok": 0, "warning": 1, "critical": 2, "unknown": 3}
_WORST_ORDER = ("critical", "unknown", "warning", "ok")
_MARK = {
    "blocker": "[BLOCKER]",
    "critical": "[CRIT]",
    "unknown": "[UNKNOWN]",
    "warning": "[WARN]",
    "info": "[info]",
}


def worst_status(states: Sequence[HostState]) -> str:
    present = {s.status for s in states}
    for status in _WORST_ORDER:
        if status in present:
            return status
    return "unknown"


def exit_code(states: Sequence[HostState]) -> int:
    return STATUS_CODE[worst_status(states)] if states else 3


def _reboot_phrase(state: HostState) -> str | None:
    nxt = state.next_reboot
    if nxt is None:
        return None
    if nxt.at is None or state.host_time is None:
        return f"{nxt.kind} armed by {nxt.source}"
    return f"{nxt.kind} at {nxt.at.strftime('%H:%M %Z')} in {countdown(nxt.at, state.host_time)}"


def summary_line(states: Sequence[HostState]) -> str:
    """The monitoring plugin's status line: one line whatever the host names hold, and
    nothing before the perfdata's `|` that Nagios could take for it."""
    worst = worst_status(states).upper()
    unbootable = [s for s in states if s.verdict == "unbootable"]
    unknown = [s for s in states if s.verdict == "unknown"]
    parts = [f"COCKPIT {worst} -"]
    if unbootable:
        names = []
        for s in unbootable:
            blocker = next((f.id for f in s.findings if f.severity.value == "blocker"), "")
            phrase = _reboot_phrase(s)
            names.append(s.name + (f" ({blocker}; {phrase})" if phrase else f" ({blocker})"))
        parts.append(f"{len(unbootable)} of {len(states)} host(s) UNBOOTABLE: {', '.join(names)}")
    elif unknown:
        parts.append(
            f"{len(unknown)} of {len(states)} host(s) UNKNOWN: "
            + ", ".join(s.name for s in unknown)
        )
    else:
        parts.append(f"{len(states)} host(s) bootable")
    counts = {
        k: sum(1 for s in states if s.verdict == k) for k in ("bootable", "unbootable", "unknown")
    }
    perf = " ".join(f"{k}={v}" for k, v in counts.items())
    return plugin_text(" ".join(parts)) + f" | {perf}"


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
    phrase = _reboot_phrase(state)
    lines.append(f"   next reboot: {escaped(phrase) if phrase else 'none armed'}")
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


def render(states: Sequence[HostState], verbose: bool = False) -> str:
    out = [summary_line(states)]
    for s in states:
        out.append("")
        out.extend(host_block(s, verbose))
    return "\n".join(out) + "\n"

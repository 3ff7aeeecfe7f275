"""`cockpit check --format nagios`: output and exit code as the monitoring-plugin
guidelines define them, for Nagios, Icinga, Naemon and anything that runs plugins.

    STATUS LINE | 'label'=value[UOM];[warn];[crit];[min];[max] ...
    LONG OUTPUT LINE (one per host)

The plugin's reader splits on the first `|` of the first line (status text, then
perfdata) and treats any later `|` in the long output as the start of more perfdata, and
it takes the first line break as the end of the status line. Host text (names, a
reboot's source, a finding's title) can hold both, so every piece of it goes through
`plugin_text()` (cockpit/escape.py): every control and invisible character written out,
`|` as `\\x7c`: shown, never parsed. The perfdata labels are
fixed words, quoted anyway, as the guidelines recommend.

The text format's first line is this status line with its perfdata (the text format
adds the details of each host); `nagios` is that line's documented name, followed by a
long output that cannot inject perfdata.
"""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.escape import plugin_text as escaped_plugin_text
from cockpit.rules.chain.model import StageState
from cockpit.rules.verdict import countdown
from cockpit.state import HostState
from cockpit.words import Status, Verdict

#: The plugin exit codes (monitoring-plugins' utils.sh: STATE_OK ... STATE_UNKNOWN).
STATUS_CODE = {Status.OK: 0, Status.WARNING: 1, Status.CRITICAL: 2, Status.UNKNOWN: 3}
_WORST_ORDER = (Status.CRITICAL, Status.UNKNOWN, Status.WARNING, Status.OK)


def worst_status(states: Sequence[HostState]) -> Status:
    present = {s.status for s in states}
    for status in _WORST_ORDER:
        if status in present:
            return status
    return Status.UNKNOWN


def exit_code(states: Sequence[HostState]) -> int:
    """The worst host's code; no host at all is UNKNOWN (nothing was judged)."""
    return STATUS_CODE[worst_status(states)] if states else 3


def plugin_text(text: str) -> str:
    """Host text that can neither end the status line nor start perfdata (cockpit/escape.py:
    every control and invisible character written out, `|` as `\\x7c`)."""
    return escaped_plugin_text(text)


def perf_label(label: str) -> str:
    """`'label'`, quoted as the guidelines recommend. A quote or `=` inside becomes `_`:
    the guidelines' doubled quote is not understood by every reader (Monitoring::Plugin's
    parser drops the item), and Icinga's guidelines forbid both characters in labels."""
    return "'" + plugin_text(label).replace("=", "_").replace("'", "_") + "'"


def perf(label: str, value: str, warn: str = "", crit: str = "", lo: str = "", hi: str = "") -> str:
    """One perfdata item, `'label'=value;warn;crit;min;max`, trailing empty fields dropped."""
    return f"{perf_label(label)}={';'.join([value, warn, crit, lo, hi]).rstrip(';')}"


def reboot_phrase(state: HostState) -> str | None:
    """The next reboot in words; None only when none is armed and every place reboots
    hide in was read. A place not read makes it `unknown (why)`, and an armed one the
    next `at or before` its time."""
    nxt = state.next_reboot
    why = state.reboots_unknown
    if nxt is None:
        return f"unknown ({why})" if why else None
    if nxt.at is None or state.host_time is None:
        said = f"{nxt.kind} armed by {nxt.source}"
        return f"{said}; others unknown ({why})" if why else said
    at = nxt.at.strftime("%H:%M %Z")
    inn = countdown(nxt.at, state.host_time)
    if why:
        return f"{nxt.kind} at or before {at} in {inn} (not all read: {why})"
    return f"{nxt.kind} at {at} in {inn}"


def _blocker(state: HostState) -> str:
    return next((f.id for f in state.findings if f.severity.value == "blocker"), "")


def _unknown_why(state: HostState) -> str:
    """` (kernel: root=UUID=... cannot be shown to exist)`: the first stage nobody proved."""
    if state.chain is None:
        return f" ({state.error_category})" if state.error_category else ""
    first = state.chain.first(StageState.UNKNOWN)
    return f" ({first.stage.value}: {first.reason[:80]})" if first is not None else ""


def status_text(states: Sequence[HostState]) -> str:
    """`COCKPIT CRITICAL - 1 of 2 host(s) UNBOOTABLE: web1 (init.boot-init-missing; ...)`."""
    worst = worst_status(states).upper()
    unbootable = [s for s in states if s.verdict == Verdict.UNBOOTABLE]
    unknown = [s for s in states if s.verdict == Verdict.UNKNOWN]
    parts = [f"COCKPIT {worst} -"]
    if unbootable:
        names = []
        for s in unbootable:
            phrase = reboot_phrase(s)
            why = f"{_blocker(s)}; {phrase}" if phrase else _blocker(s)
            names.append(f"{s.name} ({why})")
        parts.append(f"{len(unbootable)} of {len(states)} host(s) UNBOOTABLE: {', '.join(names)}")
    elif unknown:
        parts.append(
            f"{len(unknown)} of {len(states)} host(s) UNKNOWN: "
            + ", ".join(s.name + _unknown_why(s) for s in unknown)
        )
    else:
        parts.append(f"{len(states)} host(s) bootable")
    return plugin_text(" ".join(parts))


def _soonest_reboot_s(states: Sequence[HostState]) -> str | None:
    """Seconds to the soonest armed reboot whose time is known, `U` (undetermined, in the
    guidelines' words) when reboots are armed but none has a known time, None if none."""
    armed = [s for s in states if s.next_reboot is not None]
    known = [
        s.next_reboot.at.timestamp() - s.host_time.timestamp()
        for s in armed
        if s.next_reboot is not None and s.next_reboot.at is not None and s.host_time
    ]
    if known:
        return f"{round(min(known))}s"
    return "U" if armed else None


def perfdata(states: Sequence[HostState]) -> str:
    """Host counts per verdict (min 0, max the host count; any unbootable host is over the
    critical range `0`), and seconds to the soonest armed reboot when one is armed."""
    total = str(len(states))
    count = {v: str(sum(1 for s in states if s.verdict == v)) for v in Verdict}
    items = [
        perf(Verdict.BOOTABLE, count[Verdict.BOOTABLE], lo="0", hi=total),
        perf(Verdict.UNBOOTABLE, count[Verdict.UNBOOTABLE], crit="0", lo="0", hi=total),
        perf(Verdict.UNKNOWN, count[Verdict.UNKNOWN], lo="0", hi=total),
    ]
    soonest = _soonest_reboot_s(states)
    if soonest is not None:
        items.append(perf("next_reboot", soonest))
    return " ".join(items)


def status_line(states: Sequence[HostState]) -> str:
    """The plugin's first line: status text, then perfdata."""
    return f"{status_text(states)} | {perfdata(states)}"


def host_line(state: HostState) -> str:
    """One long-output line: `web1: UNBOOTABLE (critical); why; next reboot`."""
    parts = [f"{state.name}: {state.verdict.upper()} ({state.status})"]
    if state.error:
        parts.append(f"{state.error_category}: {state.error}")
    else:
        worst = next((f for f in state.findings if f.severity.value == "blocker"), None)
        worst = worst or next((f for f in state.findings if f.severity.value == "critical"), None)
        if worst is not None:
            parts.append(f"{worst.id}: {worst.title}")
        phrase = reboot_phrase(state)
        parts.append(f"next {phrase}" if phrase else "no reboot armed")
    return plugin_text("; ".join(parts))


def render(states: Sequence[HostState]) -> str:
    return "\n".join([status_line(states), *(host_line(s) for s in states)]) + "\n"

"""`cockpit report` as Markdown: a post-mortem that pastes cleanly into a ticket.

Everything a host or an operator wrote (titles quote crontabs, notes are free text)
passes through `md()`: terminal escapes and invisible format characters made visible,
table pipes, backticks, emphasis and link brackets escaped, HTML turned into entities.
A hostile crontab line cannot break the table, open a code block, or inject a link or
a tag into the ticket. Recording problems come first, before any of the story.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from cockpit.parsers.text import clean
from cockpit.recording.timeline_model import Entry, HostTimeline, Timeline

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
_KIND_LABEL = {
    "verdict": "verdict",
    "finding-appeared": "finding",
    "finding-cleared": "cleared",
    "finding-changed": "severity",
    "flapping": "flapping",
    "reboot-armed": "reboot armed",
    "reboot-changed": "reboot changed",
    "reboot-disarmed": "reboot disarmed",
    "reboot-fired": "**reboot fired**",
    "reboot-outcome": "**after the reboot**",
    "reboot-passed": "reboot time passed",
    "rebooted": "rebooted",
    "unreachable": "**unreachable**",
    "reachable": "back",
    "quit-refused": "**quit refused**",
    "quit-override": "**quit override**",
    "session-lost": "**session lost**",
    "note": "note",
    "action": "action",
}


def md(text: str) -> str:
    """Host or operator text, safe inside a Markdown table cell or list item."""
    text = clean(text)
    text = "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cf", "Zl", "Zp") else ch for ch in text
    )
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())  # newlines and tabs would end the row


def _time(at: datetime | None) -> str:
    return at.isoformat(timespec="seconds") if at is not None else "unknown"


def _repeat(entry: Entry) -> str:
    if entry.count <= 1 or entry.kind in ("flapping", "unreachable"):
        return ""  # their text already says how many
    until = f" until {_time(entry.until)}" if entry.until else ""
    return f" (x{entry.count}{until})"


def _row(entry: Entry) -> str:
    label = _KIND_LABEL.get(entry.kind, md(entry.kind))
    return f"| {_time(entry.when)} | {label} | {md(entry.text)}{_repeat(entry)} |"


def _table(entries: Sequence[Entry]) -> list[str]:
    if not entries:
        return ["_Nothing recorded._"]
    return ["| time | event | details |", "| --- | --- | --- |", *(_row(e) for e in entries)]


def _summary(host: HostTimeline) -> str:
    verdict = host.final_verdict.upper()
    line = f"- **{md(host.name)}**: final verdict **{verdict}** ({host.final_status})"
    if host.readings == 0:
        line = f"- **{md(host.name)}**: never read: verdict **UNKNOWN**"
    if host.unreachable_since is not None:
        line += f"; **unreachable** since {_time(host.unreachable_since)}"
        if host.readings:
            line += f" (last reading {_time(host.last_reading)})"
    if host.reboot_at_end:
        line += f"; reboot armed at the last reading: {md(host.reboot_at_end)}"
    line += f"; {host.readings} readings, {host.errors} failed refreshes"
    return line


def _zone_name(host: HostTimeline) -> str:
    return md(str(host.zone)) if host.zone is not None else "the client's (host never read)"


def render(
    timeline: Timeline,
    *,
    source: str,
    started: datetime,
    ended: datetime,
    argv: Sequence[str],
    recorded_by: str,
    issues: Sequence[str],
) -> str:
    out = [f"# cockpit post-mortem: {md(source)}", ""]
    if issues:
        out.append(f"> **Recording problems: {len(issues)} line(s) skipped, not guessed at.**")
        out.extend(f"> - {md(issue)}" for issue in issues)
        out.append("")
    out.append(
        f"Recorded {_time(started)} to {_time(ended)} by cockpit {md(recorded_by)};"
        f" command: {md(' '.join(argv)) or 'unknown'}."
    )
    out += ["", "## Summary", ""]
    out += [_summary(h) for h in timeline.hosts] or ["_No hosts in this recording._"]
    for host in timeline.hosts:
        out += [
            "",
            f"## {md(host.name)}",
            "",
            f"Times are the host's own ({_zone_name(host)}).",
            "",
        ]
        out += _table(host.entries)
    zone = md(str(timeline.session_zone)) if timeline.session_zone else "the client's clock"
    out += ["", "## Session", "", f"Quit guard, notes and actions. Times: {zone}.", ""]
    out += _table(timeline.session)
    return "\n".join(out) + "\n"

"""The fleet banner: one line above the table naming the worst host in words a room can
read, and a tally of the whole fleet in the rows' own words (verdicts, then CRIT/WARN).

A host that is rebooting (its armed reboot fired, or it went down shutting down) is
followed through (recording/reboot_watch.py): "rebooting since", then "back after 47 s…"
or "not back after N min: predicted UNBOOTABLE…". It leads the banner, unless another
host is UNBOOTABLE and still answering (that one can still be saved): then it follows it.
A reboot that just ended ("back after…") follows the worst host's words, or leads when
every host is fine.

Pure like fleet_rows (no textual): tested with plain entries and a stepped clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cockpit.recording.reboot_watch import WatchView
from cockpit.recording.reboot_watch import view as watch_view
from cockpit.render.marks import SYMBOL, status_tag
from cockpit.rules.when import countdown, is_past
from cockpit.state import HostState
from cockpit.ui.book import HostEntry
from cockpit.ui.fleet_rows import _RANK, clean, past_text, rank, when_text, worst
from cockpit.words import Verdict


def tally(entries: Sequence[HostEntry]) -> str:
    """`8 hosts: 2 unbootable, 5 unknown, 1 bootable; 3 CRIT, 1 WARN`: every verdict, then
    the hosts with critical or warning findings besides their verdict (the rows' tags)."""
    total = len(entries)
    verdicts: dict[str, int] = {}
    tags: dict[str, int] = {}
    for e in entries:
        verdict = e.state.verdict if e.state else Verdict.UNKNOWN
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
        tag = status_tag(verdict, e.state.status) if e.state else ""
        if tag:
            tags[tag] = tags.get(tag, 0) + 1
    said = [
        f"{verdicts[v]} {v}"
        for v in (Verdict.UNBOOTABLE, Verdict.UNKNOWN, Verdict.BOOTABLE)
        if v in verdicts
    ]
    text = f"{total} host{'' if total == 1 else 's'}: {', '.join(said)}"
    extra = [f"{tags[t]} {t}" for t in ("CRIT", "WARN") if t in tags]
    return text + (f"; {', '.join(extra)}" if extra else "")


def banner(entries: Sequence[HostEntry], now: datetime) -> tuple[str, str]:
    """One line naming the worst host in words a room can read, and its level.

    While some hosts have not answered yet, no host is named for being unread (which one
    answers last is chance): the banner says how many are being read, unless a host that
    did answer is already UNBOOTABLE, which is said at once."""
    total = len(entries)
    if not total:
        return "no hosts selected", "unknown"
    answered = [e for e in entries if e.state is not None]
    top = worst(answered, now)
    state = top.state if top is not None else None
    reading = f" · reading {total - len(answered)} more…" if len(answered) < total else ""
    whole = f" — {tally(entries)}" if total > 1 else ""
    watched = watches(answered, now)
    flights = [(e, v) for e, v in watched if v.phase in _IN_FLIGHT]
    if top is not None and state is not None and state.verdict == Verdict.UNBOOTABLE:
        name = clean(top.spec.name, 40)
        own = next((v for e, v in watched if e is top and v.phase == "back"), None)
        said = f"{own.sentence}; " if own is not None else ""
        also = next((f" · {_said(e, v)}" for e, v in flights if e is not top), "")
        text = f"✗ {name} UNBOOTABLE: {said}{_reboot_words(top, now)}{also}{whole}{reading}"
        return text, "blocker"
    if flights:
        entry, seen = flights[0]
        return f"{_said(entry, seen)}{whole}{reading}", seen.level
    if reading:
        hosts = "host" if total == 1 else "hosts"
        return f"… reading {total} {hosts}: {len(answered)} answered so far", "unknown"
    assert top is not None and state is not None
    name = clean(top.spec.name, 40)
    # A reboot that just ended is said after the worst host's words, never instead.
    back = next(((e, v) for e, v in watched if v.phase == "back"), None)
    also_back = f" · {_said(*back)}" if back is not None and back[0] is not top else ""
    if rank(top) == _RANK[Verdict.UNKNOWN]:
        down = next((v for e, v in watched if e is top and v.phase == "unreachable"), None)
        why = _unknown_reason(top)
        why = f"{down.sentence} ({why})" if down is not None else why
        return f"? {name} UNKNOWN: {why}{also_back}{whole}", "unknown"
    tag = status_tag(state.verdict, state.status)
    if tag:
        text = f"! {name} BOOTABLE {tag}: {_worst_title(state)}{also_back}{whole}"
        return text, state.status
    if back is not None:
        return f"{_said(*back)}{whole}", back[1].level
    if total == 1:
        return f"✓ {name} BOOTABLE", "ok"
    return f"✓ all {total} hosts BOOTABLE", "ok"


#: A reboot under way: the host is down and a reboot is the likely cause.
_IN_FLIGHT = ("not-back", "rebooting")
_WATCH_ORDER = {"not-back": 0, "rebooting": 1, "back": 2, "unreachable": 3}


def watches(entries: Sequence[HostEntry], now: datetime) -> list[tuple[HostEntry, WatchView]]:
    """Each host's reboot watch in words, on its own ticking clock, most urgent first:
    not back, rebooting (predicted UNBOOTABLE first), back, unreachable."""
    found = []
    for entry in entries:
        seen = watch_view(entry.watch, entry.host_now(now))
        if seen is not None:
            found.append((entry, seen))
    return sorted(
        found,
        key=lambda pair: (
            _WATCH_ORDER[pair[1].phase],
            pair[1].level != "blocker",
            pair[0].spec.name,
        ),
    )


def _said(entry: HostEntry, seen: WatchView) -> str:
    """`✗ weblogs rebooting since 03:15:00 (…)`: the symbol leads, as in every banner."""
    return f"{SYMBOL.get(seen.level, '?')} {clean(entry.spec.name, 40)} {clean(seen.sentence, 300)}"


def _worst_title(state: HostState) -> str:
    found = sorted(state.findings, key=lambda f: f.severity.rank)
    return short(found[0].title, 60) if found else state.status


def _reboot_words(entry: HostEntry, now: datetime) -> str:
    state = entry.state
    reboot = state.next_reboot if state else None
    if reboot is None and state is not None and state.reboots_unknown:
        return "whether a reboot is armed is unknown"
    if reboot is None:
        return "no reboot armed"
    if reboot.at is None:
        return f"a {reboot.kind} is armed ({clean(reboot.source, 40)}), time unknown"
    host_now = entry.host_now(now) or reboot.at
    if is_past(reboot.at, host_now):
        return f"{reboot.kind} {past_text(reboot.at, host_now)}"
    return f"{reboot.kind} at {when_text(reboot.at, host_now)} in {countdown(reboot.at, host_now)}"


def short(text: str, limit: int) -> str:
    """Our own words cut for a banner: at a word, with an ellipsis (never a char count)."""
    text = clean(text, 400)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def _unknown_reason(entry: HostEntry) -> str:
    """The first boot stage nobody could prove (the banner of the host view says the
    same), or the error that kept the host from being read."""
    state = entry.state
    if state is None:
        return "not read yet" if entry.phase in ("waiting", "connecting") else entry.phase
    if state.error_category:
        return short(f"{state.error_category}: {state.error or ''}".rstrip(": "), 60)
    if state.chain is not None:
        for stage in state.chain.boot_stages:
            if stage.state.value != "proven":
                return short(f"{stage.stage.label}: {stage.reason}", 60)
    for finding in state.findings:
        if finding.severity.value == "unknown" and finding.boot_critical:
            return short(finding.title, 60)
    return "a boot check could not be made"

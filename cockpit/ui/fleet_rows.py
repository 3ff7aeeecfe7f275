"""The fleet table's words: pure functions from a HostEntry and the client's clock to cells.

Kept free of textual and rich so every cell (verdict words, countdowns, ages, the
banner) is tested with plain values, and the widget only lays them out. Every string a
host sent passes through `clean()` first: the table shows host text, it never obeys it.
(Only rich is imported, via safe_text; textual is not.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cockpit.recording.reboot_watch import view as watch_view
from cockpit.render.marks import VERDICT_LABEL, VERDICT_LEVEL, status_tag
from cockpit.rules.when import countdown, is_past, order_key
from cockpit.state import HostState
from cockpit.ui.book import HostEntry
from cockpit.ui.safe_text import safe_plain
from cockpit.words import Status, Verdict

__all__ = ["VERDICT_LABEL", "VERDICT_LEVEL"]

#: Worst first: the default sort and the `w` key.
_RANK = {
    Verdict.UNBOOTABLE: 0,
    Verdict.UNKNOWN: 1,
    Status.CRITICAL: 2,
    Status.WARNING: 3,
    Status.OK: 4,
}


def clean(text: object, limit: int = 200) -> str:
    """Host text for one table cell: one line, capped, every control shown as a picture
    (ESC -> ␛) so an escape sequence is readable evidence but never obeyed.

    Rich markup needs no escaping here because cells are handed to the table as
    `rich.text.Text` (never parsed as markup).
    """
    return safe_plain(str(text), max_line=limit, one_line=True)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


#: Columns in the order they are dropped last to first when the terminal is narrow:
#: name, verdict and next reboot always stay (80x24 tmux sessions). The verdict cell
#: carries the host's worst severity too (`✓ BOOTABLE CRIT`), so no width hides it.
COLUMNS = (
    Column("name", "host", 20),
    Column("verdict", "verdict", 15),
    Column("reboot", "next reboot (host)", 20),
    Column("refresh", "refresh", 16),
    Column("init", "init run → boot", 18),
    Column("pkgs", "pkgs", 4),
    Column("failed", "failed", 6),
)
_REQUIRED = 3
#: Left to right on screen (the priority order above is only for dropping).
_DISPLAY = ("name", "verdict", "reboot", "init", "pkgs", "failed", "refresh")
_PADDING = 2  # DataTable's cell_padding=1 on each side
_SCROLLBAR = 2


def plan_columns(width: int, longest_name: int, scrollbar: bool = True) -> tuple[Column, ...]:
    """The columns that fit `width` cells, in display order.

    The name column is as wide as the longest name up to 28 (20 when the screen is
    narrow); optional columns are added in priority order while they fit.
    """
    budget = width - (_SCROLLBAR if scrollbar else 0)
    name_w = max(8, min(longest_name, 28 if width >= 110 else 18))
    chosen: list[Column] = []
    used = 0
    for i, col in enumerate(COLUMNS):
        w = name_w if col.key == "name" else col.width
        if i >= _REQUIRED and used + w + _PADDING > budget:
            continue
        chosen.append(Column(col.key, col.label, w))
        used += w + _PADDING
    by_key = {c.key: c for c in chosen}
    return tuple(by_key[k] for k in _DISPLAY if k in by_key)


def rank(entry: HostEntry) -> int:
    """0 is worst: unbootable, unknown, critical, warning, ok."""
    state = entry.state
    if state is None or state.verdict == Verdict.UNKNOWN:
        return _RANK[Verdict.UNKNOWN]
    if state.verdict == Verdict.UNBOOTABLE:
        return _RANK[Verdict.UNBOOTABLE]
    return _RANK.get(state.status, _RANK[Verdict.UNKNOWN])


def _reboot_order(entry: HostEntry, now: datetime) -> tuple[int, float]:
    """When the armed reboot happens: soonest is worse. Absolute (epoch seconds), so a
    host's sort key moves with the clock only when its reboot's time passes. Then an
    armed reboot of unknown time, then one already past (overdue or a stale file: never
    first), then none at all."""
    state = entry.state
    if state is None or state.next_reboot is None:
        return (3, 0.0)
    host_now = entry.host_now(now) or now
    return order_key(state.next_reboot.at, host_now)


def worst_key(entry: HostEntry, now: datetime) -> tuple[object, ...]:
    return (rank(entry), _reboot_order(entry, now), entry.spec.name)


#: `s` cycles through these.
SORTS = ("worst", "name", "reboot", "refresh")


def sort_key(mode: str, entry: HostEntry, now: datetime) -> tuple[object, ...]:
    if mode == "name":
        return (entry.spec.name,)
    if mode == "reboot":
        return (_reboot_order(entry, now), rank(entry), entry.spec.name)
    if mode == "refresh":  # stalest first: the host whose truth is oldest
        at = entry.updated_at
        return (0 if at is None else 1, at.timestamp() if at else 0.0, entry.spec.name)
    return worst_key(entry, now)


def sort_keys(
    mode: str, entries: Sequence[HostEntry], now: datetime
) -> dict[str, tuple[object, ...]]:
    """Each host's sort key. Until every host has answered once, the inventory's order:
    which host answers first is chance, and rows that jump while the admin reads them
    (or a cursor that lands on another host) are worse than waiting a second."""
    if any(e.state is None for e in entries):
        return {e.spec.name: (i,) for i, e in enumerate(entries)}
    return {e.spec.name: sort_key(mode, e, now) for e in entries}


def worst(entries: Iterable[HostEntry], now: datetime) -> HostEntry | None:
    ranked = sorted(entries, key=lambda e: worst_key(e, now))
    return ranked[0] if ranked else None


def verdict_cell(entry: HostEntry) -> tuple[str, str]:
    """(label, level): the verdict, and the host's worst severity when it says more
    (`✓ BOOTABLE CRIT`: three critical findings never read like a healthy host, at any
    width). A host never read is UNKNOWN: absence of evidence is not OK."""
    state = entry.state
    verdict = state.verdict if state else Verdict.UNKNOWN
    label = VERDICT_LABEL.get(verdict, "? UNKNOWN")
    level = VERDICT_LEVEL.get(verdict, "unknown")
    tag = status_tag(verdict, state.status) if state else ""
    if tag:
        label = f"{label} {tag}"
        if level != "blocker":
            level = state.status if state else level
    return label, level


def status_cell(entry: HostEntry) -> str:
    return entry.state.status if entry.state else Status.UNKNOWN


def short_init(label: str) -> str:
    """`missing (/sbin/init does not exist)` -> `missing`; the host pane says the rest."""
    return clean(label.split(" (", 1)[0], 24)


def init_cell(entry: HostEntry) -> str:
    state = entry.state
    if state is None or not state.reachable:
        return "?"
    running, boot = short_init(state.init_running), short_init(state.init_boot)
    return running if running == boot else f"{running} → {boot}"


def when_text(at: datetime, host_now: datetime) -> str:
    """`03:15 CDT`, with the weekday when it is a day or more away."""
    ahead = at - host_now
    fmt = "%H:%M %Z" if ahead < timedelta(days=1) else "%a %H:%M %Z"
    if abs(ahead) >= timedelta(days=6):
        fmt = "%Y-%m-%d %H:%M %Z"
    return clean(at.strftime(fmt).strip(), 40)


def reboot_cell(entry: HostEntry, now: datetime) -> str:
    """`03:15 CDT in 4h15m`: host time and zone, countdown on the host's ticking clock."""
    state = entry.state
    if state is None:
        return "?"
    seen = watch_view(entry.watch, entry.host_now(now))
    if seen is not None and seen.phase in ("rebooting", "not-back"):
        return seen.cell  # `rebooting 47 s`, `not back 7 min`: the banner says the rest
    if not state.reachable:
        # Unreadable now; what was last seen armed is still the best knowledge (the quit
        # guard holds on it too), shown as such, never as "none".
        last = entry.last_read.next_reboot if entry.last_read is not None else None
        host_now = entry.host_now(now)
        if last is None or last.at is None or host_now is None:
            return "?"
        return f"? last seen {when_text(last.at, host_now)}"
    reboot = state.next_reboot
    if reboot is None:
        return "none armed" if _reboots_known(state) else "? unknown"
    if reboot.at is None:
        return "armed, time ?"
    host_now = entry.host_now(now)
    if host_now is None:
        return when_text(reboot.at, reboot.at)
    if is_past(reboot.at, host_now):
        return past_text(reboot.at, host_now)
    return f"{when_text(reboot.at, host_now)} in {countdown(reboot.at, host_now)}"


def past_text(at: datetime, host_now: datetime) -> str:
    """A reboot time already past: never a countdown. Within a day it is overdue (at
    03:15 the cron job should just have fired); older, a stale file, with its date."""
    if host_now - at < timedelta(days=1):
        return f"overdue {clean(at.strftime('%H:%M %Z').strip(), 20)}"
    return f"stale? {at.strftime('%Y-%m-%d')}"


def _reboots_known(state: HostState) -> bool:
    """No reboot found is only 'none' if the reboot checks themselves were made."""
    if state.reboots_unknown:
        return False
    return not any(f.area == "reboots" and f.severity.value == "unknown" for f in state.findings)


def packages_cell(entry: HostEntry) -> str:
    """Package changes in flight: mid-change packages, pending merges, open transactions."""
    facts = entry.state.facts if entry.state else None
    if facts is None:
        return "?"
    pk = facts.packages
    if pk.db_state == "absent":
        return "-"
    if pk.db_state != "read":
        return "?"
    count = len(pk.mid_change) + len(pk.yum_unfinished)
    count += len(pk.resume.entries) if pk.resume else 0
    count += sum(1 for t in pk.transactions if not t.complete)
    return str(count)


def failed_cell(entry: HostEntry) -> str:
    """Failed services now; `-` for an offline root (nothing runs on a disk)."""
    facts = entry.state.facts if entry.state else None
    if facts is None:
        return "?"
    runtime = facts.services.runtime
    if runtime.state == "ok":
        return str(len(runtime.failed) + len(runtime.crashed))
    return "-" if runtime.state == "offline" else "?"


def age_text(seconds: float) -> str:
    """Coarse on purpose: a host refreshing every 5 s reads "<10s" throughout, so its
    cell (and the whole table's render, ~40 ms with 100 rows) changes only when the data
    really ages, not on every answer and every second."""
    s = max(0, int(seconds))
    if s < 10:
        return "<10s"
    if s < 60:
        return f"{s // 10 * 10}s ago"
    if s < 3600:
        return f"{s // 60}m ago"
    if s < 86400:
        return f"{s // 3600}h ago"
    return f"{s // 86400}d ago"


def refresh_cell(entry: HostEntry, now: datetime) -> str:
    """The age of the host's data ("12s ago"), or what its worker is doing instead:
    connecting, or the last error's category and when it is tried again."""
    category = entry.state.error_category if entry.state else None
    category = clean(category, 16) if category else None
    if entry.phase == "backoff" and entry.next_try_at is not None:
        wait = max(0, int((entry.next_try_at - now).total_seconds()))
        return f"{category or 'error'}, retry {wait}s"
    if entry.updated_at is None:
        return "connecting…" if entry.phase in ("connecting", "refreshing") else entry.phase
    if category:
        return f"{category}, retrying" if entry.phase in ("connecting", "refreshing") else category
    return age_text((now - entry.updated_at).total_seconds())


def row_cells(entry: HostEntry, now: datetime) -> dict[str, str]:
    """Every column's text for one host (the widget picks the columns that fit)."""
    return {
        "name": clean(entry.spec.name, 60),
        "verdict": verdict_cell(entry)[0],
        "status": status_cell(entry),
        "reboot": reboot_cell(entry, now),
        "init": init_cell(entry),
        "pkgs": packages_cell(entry),
        "failed": failed_cell(entry),
        "refresh": refresh_cell(entry, now),
    }


#: The cells that move with the clock alone (`tick`).
TICKING = ("reboot", "refresh")


def matches(entry: HostEntry, needle: str) -> bool:
    """The filter: name, tags, verdict, status, error category and message."""
    needle = needle.strip().lower()
    if not needle:
        return True
    state = entry.state
    hay: list[str] = [entry.spec.name, *entry.spec.tags, entry.phase]
    hay.append(state.verdict if state else Verdict.UNKNOWN)
    if state is not None:
        hay += [state.status, state.error_category or "", state.error or ""]
    return any(needle in clean(h).lower() for h in hay)

"""Package changes in flight: locks, running managers, interrupted and pending changes.

"Could not look" (None) is shown as unknown, never as "none": on an offline disk nobody
holds a lock, but nobody can tell either.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts.packages import PackageFacts, Transaction
from cockpit.rules.packages.common import started_at
from cockpit.rules.when import stamp
from cockpit.state import HostState
from cockpit.ui.widgets.pane_base import FactPane, Lines


def _in_host_zone(text: str | None, now: datetime | None) -> str | None:
    """A time as a log wrote it (apt: local wall time, no zone; emerge: UTC), said in
    the host's zone with its abbreviation; the log's own words if unreadable."""
    if not text or now is None:
        return text
    at = started_at(Transaction("", text, None, True, ()), now.tzinfo)
    return stamp(at) if at is not None else text


def _locks(lines: Lines, pk: PackageFacts) -> None:
    if not pk.locks:
        if pk.locks_checked:
            lines.row("locks", "none held", "ok")
        else:
            lines.row("locks", "not checked (offline root or unreadable /proc/locks)", "unknown")
        return
    for lock in pk.locks:
        if lock.held is True:
            who = f"pid {lock.pid} ({lock.comm})" if lock.pid else "a live process"
            lines.row("lock", f"{lock.path} held by {who}", "warning")
        elif lock.held is False:
            lines.row("lock", f"{lock.path}: nobody holds it (stale)", "warning")
        else:
            lines.row("lock", f"{lock.path}: holder unknown", "unknown")


def _running(lines: Lines, pk: PackageFacts) -> None:
    for label, value in (("emerge", pk.emerge_running), ("pacman", pk.pacman_running)):
        if value is True:
            lines.row("running", label, "warning")
    if pk.uu_progress:
        lines.row("unattended-upgrades", pk.uu_progress, "warning")


def _interrupted(lines: Lines, pk: PackageFacts, now: datetime | None) -> None:
    for st in pk.mid_change:
        level = "critical" if st.essential else "warning"
        version = f" {st.version}" if st.version else ""
        lines.row(
            "mid-change",
            f"{st.name}{version}: {st.state}",
            level,
            note="essential for boot" if st.essential else "",
        )
    if pk.dpkg_journal:
        lines.items("dpkg journal (interrupted)", pk.dpkg_journal)
    if pk.unincorp_triggers:
        lines.items("dpkg triggers pending", pk.unincorp_triggers)
    if pk.yum_unfinished:
        lines.items("yum/dnf unfinished", pk.yum_unfinished)
    for tx in pk.transactions:
        if not tx.complete:
            started = _in_host_zone(tx.started, now)
            lines.row(
                "interrupted",
                f"{tx.manager}: {tx.command or '?'}",
                "warning",
                note=f"started {started}" if started else "",
            )
    if pk.apk_triggers:
        lines.items("apk triggers", pk.apk_triggers)


def _pending(lines: Lines, pk: PackageFacts, now: datetime | None) -> None:
    if pk.resume is not None and pk.resume.entries:
        lines.row("emerge resume list", f"{len(pk.resume.entries)} merge(s) not done", "warning")
        for entry in pk.resume.entries[:8]:
            lines.quote(entry, indent=4)
    for removal in pk.removals[-6:]:
        when = f" at {_in_host_zone(removal.when, now)}" if removal.when else ""
        if removal.epoch is not None and now is not None:  # in host time, as the rules say it
            when = f" at {stamp(datetime.fromtimestamp(removal.epoch, tz=now.tzinfo))}"
        lines.row("removed", f"{removal.package}{when}")
    if pk.leftovers:
        lines.row("config merges pending", f"{len(pk.leftovers)}", "info")
        for path in pk.leftovers[:4]:
            lines.quote(path, indent=4)


class PackagesPane(FactPane):
    AREA = "packages"
    TITLE = "packages in flight"

    def build(self, lines: Lines, state: HostState, now: datetime | None) -> None:
        assert state.facts is not None
        pk = state.facts.packages
        managers = ", ".join(pk.managers) or "none found"
        db_level = None if pk.db_state == "read" else "unknown"
        lines.row("managers", managers, note=f"database {pk.db_state}")
        if db_level:
            lines.row("package database", pk.db_state, db_level)
        _locks(lines, pk)
        _running(lines, pk)
        _interrupted(lines, pk, now)
        _pending(lines, pk, now)
        for issue in pk.issues:
            lines.mark("unknown", issue)

"""One host's story, built as its judged refreshes and errors stream past.

Holds only what the next comparison needs (the previous verdict, finding ids and titles,
armed reboot, boot id, an open unreachable episode), never the HostStates themselves, so
a day of refreshes costs the same memory as one.

Reboots: whether an armed reboot fired, when the host went down and came back, and the
prediction made before it are decided by `RebootWatch` (reboot_watch.py), the model the
app's screens show too; this tracker only turns what it decides into entries. Disarmed
is a reboot that disappeared before its time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from cockpit.recording.reboot_watch import (
    CLOCK_SLACK,
    FIRE_WINDOW,
    Change,
    Fired,
    Outcome,
    Passed,
    Rebooted,
    RebootWatch,
    reboot_key,
)
from cockpit.recording.timeline_flaps import FlapFolder, flapping_entry
from cockpit.recording.timeline_model import Entry, HostTimeline
from cockpit.rules.finding import ArmedReboot, Finding, Severity
from cockpit.state import HostState
from cockpit.words import Status, Verdict

__all__ = ["CLOCK_SLACK", "FIRE_WINDOW", "HostTracker", "describe_reboot"]

#: Entries at the same instant read in this order: cause before consequence.
KIND_ORDER = {
    "reboot-fired": 0,
    "reboot-outcome": 1,
    "reboot-passed": 0,
    "rebooted": 1,
    "unreachable": 1,
    "reachable": 1,
    "flapping": 2,
    "verdict": 2,
    "finding-appeared": 3,
    "finding-changed": 3,
    "finding-cleared": 3,
    "reboot-armed": 4,
    "reboot-changed": 4,
    "reboot-disarmed": 4,
}


def describe_reboot(reboot: ArmedReboot) -> str:
    at = reboot.at.isoformat() if reboot.at else "an unknown time"
    return f"{reboot.source} will {reboot.kind} at {at}" + (
        " (recurring)" if reboot.recurring else ""
    )


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


@dataclass
class _Down:
    """An open unreachable episode: every failed refresh folds into it."""

    t: datetime
    when: datetime
    category: str
    message: str
    count: int = 1
    last_when: datetime | None = None
    categories: Counter[str] | None = None


def _summarize(first: Entry, last: Entry, counts: Counter[str], n: int) -> Entry:
    if first.kind.startswith("finding"):
        what = f"[{first.severity}] {first.ref}: {dict(first.detail).get('title', '')}"
        tally = f"appeared {counts['finding-appeared']}, cleared {counts['finding-cleared']}"
        ended = "cleared" if last.kind == "finding-cleared" else "present"
    elif first.kind == "verdict":
        what = "verdict"
        tally = ", ".join(
            f"to {key.split(':', 1)[1].upper()} {count}" for key, count in sorted(counts.items())
        )
        ended = dict(last.detail).get("verdict", Verdict.UNKNOWN).upper()
    elif first.kind.startswith("reboot"):
        what = f"reboot by {first.ref}"
        tally = ", ".join(
            f"{key.removeprefix('reboot-')} {count}" for key, count in sorted(counts.items())
        )
        ended = "disarmed" if last.kind == "reboot-disarmed" else "armed"
    else:
        what = "reachability"
        tally = f"lost {counts['unreachable']}, back {counts['reachable']}"
        ended = "unreachable" if last.kind == "unreachable" else "answering"
    return flapping_entry(first, last, what, tally, ended, n)


class HostTracker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.entries: list[Entry] = []
        self.flaps = FlapFolder(_summarize)
        self.zone: tzinfo | None = None
        self.readings = 0
        self.errors = 0
        self.verdict: Verdict | None = None
        self.status = Status.UNKNOWN
        self.findings: dict[str, tuple[str, str]] = {}  # id -> (severity, title)
        self.reboot: ArmedReboot | None = None
        self.last_reading: datetime | None = None
        self.down: _Down | None = None
        #: Whether reboots fired, went down, came back: the model the screens show too.
        self.watch = RebootWatch()

    def when(self, t: datetime) -> datetime:
        """Client time `t` on the host's clock, in its zone (as last read)."""
        return self.watch.when(t)

    def _entry(self, t: datetime, when: datetime, kind: str, text: str, **kw: object) -> Entry:
        return Entry(t=t, when=when, kind=kind, text=text, host=self.name, **kw)  # type: ignore[arg-type]

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)

    # -- what the reboot watch decided, as entries ----------------------------------------

    def _told(self, t: datetime, now: datetime, changes: tuple[Change, ...]) -> None:
        """`t`/`now`: the step's client and host clocks (the refresh that told it)."""
        for change in changes:
            if isinstance(change, Fired):
                self._fired(t, now, change)
            elif isinstance(change, Passed):
                armed = change.armed
                assert armed.at is not None
                how = "kept its boot id" if change.kept_boot_id else "answered (boot id unknown)"
                text = (
                    f"{armed.source}: its {armed.kind} time passed and the host {how}:"
                    " no sign it fired"
                )
                at_t = t - (now - armed.at)
                self.add(self._entry(at_t, armed.at, "reboot-passed", text, ref=armed.source))
            elif isinstance(change, Outcome):
                self._outcome(change)
            elif isinstance(change, Rebooted):
                why = "" if change.expected else " (no armed reboot was seen for it)"
                text = f"new boot id {change.boot_id[:8]}: the host rebooted{why}"
                detail = (("boot_id", change.boot_id),)
                self.add(self._entry(t, now, "rebooted", text, detail=detail))

    def _fired(self, t: datetime, now: datetime, fired: Fired) -> None:
        armed, reboot = fired.armed, fired.reboot
        assert armed.at is not None
        if fired.seen is None:
            text = f"{armed.source} {armed.kind} fired: the host came back with a new boot id"
        else:
            text = (
                f"{armed.source} {armed.kind} fired at {armed.at.isoformat()}:"
                f" the host stopped answering at {fired.seen.strftime('%H:%M:%S')}"
            )
        text += f"; {reboot.before.prediction()}"
        at_t = t - (now - armed.at)
        detail = (("predicted", reboot.before.verdict),)
        self.add(self._entry(at_t, armed.at, "reboot-fired", text, ref=armed.source, detail=detail))

    def _outcome(self, outcome: Outcome) -> None:
        """The reboot's end: back (with what verdict) or not back, against the prediction
        made before it."""
        reboot = outcome.reboot
        predicted = reboot.before.verdict.upper()
        took = _duration(outcome.at - reboot.started)
        if reboot.after is not None and reboot.rebooted is False:
            text = (
                f"answers again after {took} with the same boot id: it did not reboot"
                f" (predicted {predicted} before)"
            )
        elif reboot.after is not None:
            within = "within" if reboot.down_at is None and reboot.fired_at is None else "after"
            text = (
                f"back {within} {took}, verdict now {reboot.after.verdict.upper()}: predicted"
                f" {predicted} before the reboot, {reboot.held()}"
            )
            changes = reboot.changes()
            text += f"; {changes}" if changes else ""
        else:
            text = (
                f"not back {took} after the reboot (end of the recording): predicted "
                f"{predicted} before it, {reboot.held()}"
            )
        if reboot.source is None:
            text += "; nothing armed was seen for this reboot"
        self.add(
            self._entry(
                outcome.t, outcome.at, "reboot-outcome", text, ref=reboot.source,
                detail=reboot.detail(),
            )
        )  # fmt: skip

    # -- an answered refresh -------------------------------------------------------------

    def judged(self, t: datetime, state: HostState) -> None:
        if not state.reachable:
            self.failed(t, state.error_category or "unknown", state.error or "no answer")
            return
        now = state.host_time or t
        self.watch, changes = self.watch.answered(t, state)
        self.zone = self.watch.zone
        self._told(t, now, changes)
        if self.down is not None:
            self._close_down(t, now)
        self._verdict(t, now, state)
        self._findings(t, now, state.findings)
        self._reboot_change(t, now, state.next_reboot)
        self.readings += 1
        self.last_reading = now

    def _verdict(self, t: datetime, now: datetime, state: HostState) -> None:
        old, self.verdict, self.status = self.verdict, state.verdict, state.status
        if old == state.verdict:
            return
        blockers = [f.title for f in state.findings if f.severity is Severity.BLOCKER]
        tail = f"; blockers: {'; '.join(blockers[:3])}" if blockers else ""
        if old is None:
            count = len(state.findings)
            text = f"first reading: {state.verdict.upper()} ({state.status}), {count} findings"
            self.add(self._entry(t, now, "verdict", text, detail=(("verdict", state.verdict),)))
            return
        text = f"verdict {old.upper()} → {state.verdict.upper()} ({state.status}){tail}"
        entry = self._entry(t, now, "verdict", text, detail=(("verdict", state.verdict),))
        self.flaps.add("verdict", entry)

    def _findings(self, t: datetime, now: datetime, findings: tuple[Finding, ...]) -> None:
        first = self.readings == 0
        current = {f.id: f for f in findings}
        for fid, f in current.items():
            sev, old = f.severity.value, self.findings.get(fid)
            detail = (("title", f.title),)
            if old is None:
                what = "present at start" if first else "appeared"
                text = f"{what} [{sev}] {fid}: {f.title}"
                entry = self._entry(
                    t, now, "finding-appeared", text, ref=fid, severity=sev, detail=detail
                )
                if first:
                    self.add(entry)
                else:
                    self.flaps.add("finding:" + fid, entry)
            elif old[0] != sev:
                text = f"severity {old[0]} → {sev}: {fid}: {f.title}"
                self.flaps.add(
                    "finding:" + fid,
                    self._entry(
                        t, now, "finding-changed", text, ref=fid, severity=sev, detail=detail
                    ),
                )
        for fid, (sev, title) in self.findings.items():
            if fid not in current:
                text = f"cleared [{sev}] {fid}: {title}"
                entry = self._entry(
                    t,
                    now,
                    "finding-cleared",
                    text,
                    ref=fid,
                    severity=sev,
                    detail=(("title", title),),
                )
                self.flaps.add("finding:" + fid, entry)
        self.findings = {fid: (f.severity.value, f.title) for fid, f in current.items()}

    def _reboot_change(self, t: datetime, now: datetime, armed: ArmedReboot | None) -> None:
        old, self.reboot = self.reboot, armed
        passed = old is not None and old.at is not None and old.at <= now
        if armed is None:
            if old is not None and not passed:
                text = f"reboot disarmed: {describe_reboot(old)} no more"
                self.flaps.add(
                    "reboot", self._entry(t, now, "reboot-disarmed", text, ref=old.source)
                )
            return
        if old is None:
            text = f"reboot armed: {describe_reboot(armed)}"
            entry = self._entry(t, now, "reboot-armed", text, ref=armed.source, detail=_at(armed))
            self.flaps.add("reboot", entry)
        elif passed and armed.source == old.source:
            return  # the same trigger armed for its next time: not news
        elif reboot_key(armed) != reboot_key(old):
            text = f"reboot changed: {describe_reboot(armed)} (was: {describe_reboot(old)})"
            entry = self._entry(t, now, "reboot-changed", text, ref=armed.source, detail=_at(armed))
            self.flaps.add("reboot", entry)

    # -- a failed refresh ----------------------------------------------------------------

    def failed(self, t: datetime, category: str, message: str) -> None:
        self.errors += 1
        when = self.when(t)
        self.watch, changes = self.watch.failed(t, category)
        self._told(t, when, changes)
        down = self.down
        if down is not None:
            down.count += 1
            down.last_when = when
            assert down.categories is not None
            down.categories[category] += 1
            return
        self.down = _Down(t, when, category, message, categories=Counter({category: 1}))

    def _down_entry(self, down: _Down) -> Entry:
        text = f"unreachable ({down.category}): {down.message}"
        extra: tuple[tuple[str, str], ...] = ()
        if down.count > 1:
            assert down.categories is not None
            kinds = ", ".join(f"{c} x{n}" for c, n in sorted(down.categories.items()))
            text += f"; {down.count} failed refreshes ({kinds})"
            extra = (("failed_refreshes", str(down.count)),)
        return self._entry(
            down.t,
            down.when,
            "unreachable",
            text,
            ref=down.category,
            count=down.count,
            until=down.last_when,
            detail=(("category", down.category), ("message", down.message), *extra),
        )

    def _close_down(self, t: datetime, now: datetime) -> None:
        down = self.down
        assert down is not None
        self.down = None
        self.flaps.add("reach", self._down_entry(down))
        text = f"answers again after {_duration(now - down.when)} unreachable"
        self.flaps.add("reach", self._entry(t, now, "reachable", text))

    # -- the end -------------------------------------------------------------------------

    def finish(self) -> HostTimeline:
        outcome = self.watch.finish()
        if outcome is not None:
            self._outcome(outcome)
        down, self.down = self.down, None
        if down is not None:
            self.flaps.add("reach", self._down_entry(down))
        self.flaps.flush_all()
        entries = sorted(
            [*self.entries, *self.flaps], key=lambda e: (e.t, KIND_ORDER.get(e.kind, 5))
        )
        reboot = self.reboot
        return HostTimeline(
            name=self.name,
            entries=tuple(entries),
            zone=self.zone,
            readings=self.readings,
            errors=self.errors,
            final_verdict=self.verdict or Verdict.UNKNOWN,
            final_status=self.status,
            reachable_at_end=down is None and self.readings > 0,
            unreachable_since=down.when if down is not None else None,
            last_reading=self.last_reading,
            reboot_at_end=describe_reboot(reboot) if reboot is not None else None,
        )


def _at(armed: ArmedReboot) -> tuple[tuple[str, str], ...]:
    return (("at", armed.at.isoformat() if armed.at else ""), ("source", armed.source))

"""One host's story, built as its judged refreshes and errors stream past.

Holds only what the next comparison needs (the previous verdict, finding ids and titles,
armed reboot, boot id, an open unreachable episode), never the HostStates themselves, so
a day of refreshes costs the same memory as one.

Reboots: HostState carries the soonest armed reboot. When its time comes, the next thing
heard from the host says what happened: a failed refresh soon after it (FIRE_WINDOW) means
it fired; a new boot id means it fired (or, with nothing armed, that the host rebooted
anyway); an answer with the same boot id means it did not. Disarmed is a reboot that
disappeared before its time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from cockpit.recording.timeline_flaps import FlapFolder, flapping_entry
from cockpit.recording.timeline_model import Entry, HostTimeline
from cockpit.rules.finding import ArmedReboot, Finding, Severity
from cockpit.state import HostState
from cockpit.words import Status, Verdict

#: A host that stops answering within this after an armed reboot's time: it fired.
FIRE_WINDOW = timedelta(minutes=30)
#: Clocks and refresh periods are not exact: an error this early still counts as "after".
CLOCK_SLACK = timedelta(minutes=1)

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


def _key(reboot: ArmedReboot) -> tuple[str, str | None, str]:
    return (reboot.source, reboot.at.isoformat() if reboot.at else None, reboot.kind)


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
        self.skew = timedelta(0)  # host clock minus client clock, at the last reading
        self.readings = 0
        self.errors = 0
        self.verdict: Verdict | None = None
        self.status = Status.UNKNOWN
        self.findings: dict[str, tuple[str, str]] = {}  # id -> (severity, title)
        self.reboot: ArmedReboot | None = None
        self.settled: tuple[str, str | None, str] | None = None  # reboot whose fate is told
        self.boot_id: str | None = None
        self.last_reading: datetime | None = None
        self.down: _Down | None = None
        #: A reboot that fired and whose outcome is not told yet: (when it fired, the
        #: verdict predicted before it, the blockers then).
        self.watch: tuple[datetime, str, tuple[str, ...]] | None = None

    def when(self, t: datetime) -> datetime:
        """Client time `t` on the host's clock, in its zone (as last read)."""
        return (t + self.skew).astimezone(self.zone) if self.zone is not None else t

    def _entry(self, t: datetime, when: datetime, kind: str, text: str, **kw: object) -> Entry:
        return Entry(t=t, when=when, kind=kind, text=text, host=self.name, **kw)  # type: ignore[arg-type]

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)

    # -- a reboot watched through: the prediction before it, what happened -------------

    def _predicted(self) -> tuple[str, tuple[str, ...], str]:
        """The verdict read before the reboot, its blockers, and both in words."""
        verdict = self.verdict or "unknown"
        blockers = tuple(
            title
            for fid, (sev, title) in self.findings.items()
            if sev == Severity.BLOCKER.value and not fid.startswith("verdict.")
        )
        why = f" ({'; '.join(blockers[:2])})" if blockers else ""
        return verdict, blockers, f"predicted {verdict.upper()}{why}"

    def _fired(self, when: datetime) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What a fired reboot's entry adds: the prediction made before it (watched)."""
        verdict, blockers, words = self._predicted()
        self.watch = (when, verdict, blockers)
        return f"; {words}", (("predicted", verdict),)

    def _outcome(
        self, t: datetime, now: datetime, came_back: bool, state: HostState | None
    ) -> None:
        """The watched reboot's end: back (with what verdict) or not back, against the
        prediction made before it."""
        if self.watch is None:
            return
        fired, predicted, _ = self.watch
        self.watch = None
        took = _duration(now - fired)
        if came_back:
            after = state.verdict.upper() if state is not None else "?"
            back: dict[str, str] = {
                Verdict.BOOTABLE: "the prediction held",
                Verdict.UNBOOTABLE: "the prediction was wrong (or it was fixed from a console)",
            }
            held = back.get(predicted, "nothing was predicted")
            text = (
                f"back after {took}, verdict now {after}: predicted {predicted.upper()} "
                f"before the reboot, {held}"
            )
        else:
            gone: dict[str, str] = {
                Verdict.UNBOOTABLE: "the prediction held",
                Verdict.BOOTABLE: "the prediction was wrong",
            }
            held = gone.get(predicted, "nothing was predicted")
            text = (
                f"not back {took} after the reboot (end of the recording): predicted "
                f"{predicted.upper()} before it, {held}"
            )
        detail = (("predicted", predicted), ("came_back", "yes" if came_back else "no"))
        self.add(self._entry(t, now, "reboot-outcome", text, detail=detail))

    # -- an answered refresh -------------------------------------------------------------

    def judged(self, t: datetime, state: HostState) -> None:
        if not state.reachable:
            self.failed(t, state.error_category or "unknown", state.error or "no answer")
            return
        now = state.host_time or t
        self.zone = now.tzinfo
        # Host clocks tick in whole seconds (`date +%s`): a sub-second skew is noise.
        self.skew = timedelta(seconds=round((now - t).total_seconds()))
        boot_id = state.facts.host.boot_id if state.facts is not None else None
        self._reboot_due(t, now, boot_id)
        self._outcome(t, now, True, state)
        if self.down is not None:
            self._close_down(t, now)
        self._rebooted(t, now, boot_id)
        self._verdict(t, now, state)
        self._findings(t, now, state.findings)
        self._reboot_change(t, now, state.next_reboot)
        self.readings += 1
        self.last_reading = now

    def _reboot_due(self, t: datetime, now: datetime, boot_id: str | None) -> None:
        """The armed reboot's time came since the last reading: did it fire?"""
        armed = self.reboot
        if armed is None or armed.at is None or armed.at > now or _key(armed) == self.settled:
            return
        self.settled = _key(armed)
        at_t = t - (now - armed.at)
        new_boot = bool(boot_id and self.boot_id and boot_id != self.boot_id)
        if new_boot:
            text = f"{armed.source} {armed.kind} fired: the host came back with a new boot id"
            said, detail = self._fired(armed.at)
            self.add(
                self._entry(
                    at_t, armed.at, "reboot-fired", text + said, ref=armed.source, detail=detail
                )
            )
            return
        how = "kept its boot id" if boot_id and self.boot_id else "answered (boot id unknown)"
        text = f"{armed.source}: its {armed.kind} time passed and the host {how}: no sign it fired"
        self.add(self._entry(at_t, armed.at, "reboot-passed", text, ref=armed.source))

    def _rebooted(self, t: datetime, now: datetime, boot_id: str | None) -> None:
        if boot_id and self.boot_id and boot_id != self.boot_id:
            armed, last = self.reboot, self.last_reading
            expected = (
                armed is not None
                and armed.at is not None
                and _key(armed) == self.settled
                and (last is None or armed.at >= last - CLOCK_SLACK)
            )
            why = "" if expected else " (no armed reboot was seen for it)"
            text = f"new boot id {boot_id[:8]}: the host rebooted{why}"
            self.add(self._entry(t, now, "rebooted", text, detail=(("boot_id", boot_id),)))
        if boot_id:
            self.boot_id = boot_id

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
        elif _key(armed) != _key(old):
            text = f"reboot changed: {describe_reboot(armed)} (was: {describe_reboot(old)})"
            entry = self._entry(t, now, "reboot-changed", text, ref=armed.source, detail=_at(armed))
            self.flaps.add("reboot", entry)

    # -- a failed refresh ----------------------------------------------------------------

    def failed(self, t: datetime, category: str, message: str) -> None:
        self.errors += 1
        when = self.when(t)
        down = self.down
        if down is not None:
            down.count += 1
            down.last_when = when
            assert down.categories is not None
            down.categories[category] += 1
            return
        armed = self.reboot
        if (
            armed is not None
            and armed.at is not None
            and _key(armed) != self.settled
            and armed.at <= when + CLOCK_SLACK
            and when - armed.at <= FIRE_WINDOW
        ):
            self.settled = _key(armed)
            text = (
                f"{armed.source} {armed.kind} fired at {armed.at.isoformat()}:"
                f" the host stopped answering at {when.strftime('%H:%M:%S')}"
            )
            said, detail = self._fired(armed.at)
            at_t = t - (when - armed.at)
            self.add(
                self._entry(
                    at_t, armed.at, "reboot-fired", text + said, ref=armed.source, detail=detail
                )
            )
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
        if self.watch is not None and self.down is not None:
            last = self.down
            self._outcome(last.t, last.last_when or last.when, False, None)
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

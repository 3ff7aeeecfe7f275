"""A reboot watched through: one pure model of "it fired", "it is down", "it is back".

The app (live and replay: the fleet banner, the host's row, the host view) and the
post-mortem (timeline_host, `cockpit report`) both fold a host's refreshes through
`RebootWatch`, so the screen and the report can never disagree about whether a reboot
fired, when the host went down, when it came back and whether the prediction held.

Fed in order with what each refresh gave (`step(t, state)`: a judged HostState, or a
failed one) and nothing else, it keeps only what the next decision needs: the last
reading (the prediction a reboot is judged against), the armed reboot, the boot id, an
open unreachable episode and the reboot in flight. Each step returns the new watch and
what changed (`Fired`, `Passed`, `Rebooted`, `Outcome`): the timeline turns those into
entries, the screens show `view(watch, host_now)`.

The rules, in one place:
- an armed reboot fired when the host stops answering within FIRE_WINDOW after its
  time, or answers with a new boot id after it; its time passing while the host keeps
  its boot id is no sign it fired;
- a new boot id with no reboot in flight is a reboot nobody armed (the admin, a crash,
  a power cut);
- a host that stops answering while nothing is due is "unreachable", not "rebooting":
  only a fired reboot, or a last reading that saw the system shutting down, makes a
  reboot the likely cause;
- the reboot in flight ends at the next answer ("back", against the prediction made
  before it), or stays open ("not back after N min" on screen, at the end of the
  recording in the report).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo

from cockpit.rules.finding import ArmedReboot, Severity
from cockpit.state import HostState
from cockpit.words import Verdict

#: A host that stops answering within this after an armed reboot's time: it fired.
FIRE_WINDOW = timedelta(minutes=30)
#: Clocks and refresh periods are not exact: an error this early still counts as "after".
CLOCK_SLACK = timedelta(minutes=1)
#: On screen, a reboot in flight longer than this is "not back after N min" (most hosts
#: are back within two or three); the report waits for the end of the recording.
NOT_BACK_AFTER = timedelta(minutes=5)
#: How long "back after 47 s…" stays said on screen once the host answers again.
BACK_SHOWN = timedelta(minutes=10)

RebootKey = tuple[str, str | None, str]
#: Failed "refreshes" that are replay's, not the host's: a gap in the record says nothing
#: about whether the host answered.
NOT_READ = frozenset({"recording-damaged", "no-data"})


def reboot_key(reboot: ArmedReboot) -> RebootKey:
    """One armed reboot (its source, time and kind): the same trigger re-armed for its
    next time is a new key, so each firing is settled once."""
    return (reboot.source, reboot.at.isoformat() if reboot.at else None, reboot.kind)


@dataclass(frozen=True)
class Reading:
    """What one answered refresh said that a reboot puts to the test: the verdict and
    its blockers (the prediction), and what runs (kernel, PID 1) to compare after."""

    at: datetime  # host clock
    verdict: str
    blockers: tuple[str, ...]
    kernel: str | None  # uname -r
    init: str  # PID 1 now (its label)
    init_next: str  # what the next boot will run as init
    boot_id: str | None
    stopping: bool  # systemd said the system is shutting down

    @classmethod
    def of(cls, state: HostState, at: datetime) -> Reading:
        facts = state.facts
        blockers = tuple(
            f.title
            for f in state.findings
            if f.severity is Severity.BLOCKER and not f.id.startswith("verdict.")
        )
        return cls(
            at=at,
            verdict=state.verdict,
            blockers=blockers,
            kernel=facts.host.kernel_release if facts is not None else None,
            init=state.init_running,
            init_next=state.init_boot,
            boot_id=facts.host.boot_id if facts is not None else None,
            stopping=facts is not None and facts.init.systemd_state == "stopping",
        )

    def prediction(self) -> str:
        """`predicted UNBOOTABLE (next boot has no init: …)`: the words said of it."""
        why = f" ({'; '.join(self.blockers[:2])})" if self.blockers else ""
        return f"predicted {self.verdict.upper()}{why}"


@dataclass(frozen=True)
class Reboot:
    """One reboot, from the reading before it to what came after.

    `source` is the armed trigger that fired (None: nothing armed was seen for it).
    `down_at` is the first failed refresh (None: the reboot was only seen by its new boot
    id), `back_at`/`after` the first answer after it (None: not back)."""

    before: Reading
    source: str | None = None
    kind: str = "reboot"
    fired_at: datetime | None = None  # the armed time it fired at
    down_at: datetime | None = None
    back_at: datetime | None = None
    after: Reading | None = None

    @property
    def started(self) -> datetime:
        """When it went down, as well as known: its armed time, else the first failed
        refresh, else the last reading before it (an upper bound)."""
        return self.fired_at or self.down_at or self.before.at

    @property
    def came_back(self) -> bool:
        return self.back_at is not None

    @property
    def rebooted(self) -> bool | None:
        """Did the host really reboot? True for a new boot id, False for the same one
        (it never went down: a network blip), None when a boot id is missing."""
        if self.after is None or not self.after.boot_id or not self.before.boot_id:
            return None
        return self.after.boot_id != self.before.boot_id

    def held(self) -> str:
        """Whether the prediction made before it held, in words (`the prediction held`)."""
        predicted = self.before.verdict
        if self.came_back:
            if predicted == Verdict.BOOTABLE:
                return "the prediction held"
            if predicted == Verdict.UNBOOTABLE:
                return "the prediction was wrong (or it was fixed from a console)"
        else:
            if predicted == Verdict.UNBOOTABLE:
                return "the prediction held"
            if predicted == Verdict.BOOTABLE:
                return "the prediction was wrong"
        return "nothing was predicted"

    def changes(self) -> str:
        """`kernel 6.1.0-56 → 6.1.0-57, init systemd`: before and after, once each."""
        after = self.after
        if after is None:
            return ""
        parts = []
        for what, old, new in (
            ("kernel", self.before.kernel, after.kernel),
            ("init", self.before.init, after.init),
        ):
            if not _known(new):
                continue
            parts.append(f"{what} {old} → {new}" if _known(old) and old != new else f"{what} {new}")
        return ", ".join(parts)

    def detail(self) -> tuple[tuple[str, str], ...]:
        """The facts of it as (key, value) pairs, for the record (report JSON)."""
        pairs: list[tuple[str, str | datetime | None]] = [
            ("predicted", self.before.verdict),
            ("came_back", "yes" if self.came_back else "no"),
            ("source", self.source),
            ("went_down", self.started),
            ("down_at", self.down_at),
            ("back_at", self.back_at),
            ("kernel_before", self.before.kernel),
            ("init_before", self.before.init),
            ("init_next_before", self.before.init_next),
        ]
        if self.after is not None:
            pairs += [
                ("verdict_after", self.after.verdict),
                ("kernel_after", self.after.kernel),
                ("init_after", self.after.init),
                ("rebooted", {True: "yes", False: "no", None: "unknown"}[self.rebooted]),
            ]
        return tuple(
            (k, v.isoformat() if isinstance(v, datetime) else v) for k, v in pairs if v is not None
        )


def _known(value: str | None) -> bool:
    """A kernel or init label that says something (`unknown (no /proc/1…)` does not)."""
    return bool(value) and not str(value).startswith("unknown")


# -- what a step changed (the timeline's entries are made of these) ----------------------


@dataclass(frozen=True)
class Fired:
    """The armed reboot fired: the host stopped answering at `seen` (host clock), or,
    `seen` None, it came back with a new boot id after the armed time."""

    armed: ArmedReboot
    seen: datetime | None
    reboot: Reboot


@dataclass(frozen=True)
class Passed:
    """The armed time passed while the host answered with its boot id (or none)."""

    armed: ArmedReboot
    kept_boot_id: bool


@dataclass(frozen=True)
class Rebooted:
    """A new boot id; `expected` when the armed reboot that fired explains it."""

    boot_id: str
    expected: bool


@dataclass(frozen=True)
class Outcome:
    """The reboot in flight ended: back (`reboot.back_at`), or not back at `at`."""

    reboot: Reboot
    t: datetime  # client clock
    at: datetime  # host clock


Change = Fired | Passed | Rebooted | Outcome


@dataclass(frozen=True)
class Down:
    """An open unreachable episode: since the first failed refresh, until the last."""

    t: datetime  # client clock of the first
    since: datetime  # host clock of the first
    last: datetime  # host clock of the last
    category: str


@dataclass(frozen=True)
class RebootWatch:
    """One host's reboot watch: feed it every refresh in order with `step`."""

    zone: tzinfo | None = None
    skew: timedelta = timedelta(0)  # host clock minus client clock, at the last reading
    last: Reading | None = None
    last_t: datetime | None = None  # client clock of the last step
    boot_id: str | None = None  # the last boot id read
    armed: ArmedReboot | None = None  # at the last reading
    settled: RebootKey | None = None  # the armed reboot whose fate is told
    down: Down | None = None
    #: The reboot in flight (not back yet), or the last one that ended.
    reboot: Reboot | None = None

    @property
    def in_flight(self) -> Reboot | None:
        reboot = self.reboot
        return reboot if reboot is not None and not reboot.came_back else None

    def when(self, t: datetime) -> datetime:
        """Client time `t` on the host's clock, in its zone (as last read)."""
        return (t + self.skew).astimezone(self.zone) if self.zone is not None else t

    def step(self, t: datetime, state: HostState) -> RebootWatch:
        """The next refresh, for screens: a step back in time (replay moved the cursor
        back) starts over, since what was seen after it cannot be unseen."""
        watch = self if self.last_t is None or t >= self.last_t else RebootWatch()
        return watch.observe(t, state)[0]

    def observe(self, t: datetime, state: HostState) -> tuple[RebootWatch, tuple[Change, ...]]:
        if not state.reachable:
            if state.error_category in NOT_READ:
                return self, ()
            return self.failed(t, state.error_category or "unknown")
        return self.answered(t, state)

    def answered(self, t: datetime, state: HostState) -> tuple[RebootWatch, tuple[Change, ...]]:
        now = state.host_time or t
        reading = Reading.of(state, now)
        new_boot = bool(reading.boot_id and self.boot_id and reading.boot_id != self.boot_id)
        changes: list[Change] = []
        settled, flight = self.settled, self.in_flight
        down_at = self.down.since if self.down is not None else None
        armed = self.armed
        due = armed is not None and armed.at is not None and armed.at <= now
        if armed is not None and due and reboot_key(armed) != settled:
            settled = reboot_key(armed)
            if new_boot and self.last is not None:
                flight = Reboot(self.last, armed.source, armed.kind, armed.at, down_at)
                changes.append(Fired(armed, None, flight))
            else:
                changes.append(Passed(armed, bool(reading.boot_id and self.boot_id)))
        if flight is None and new_boot and self.last is not None:
            flight = Reboot(self.last, down_at=down_at)  # nothing armed was seen for it
        reboot = self.reboot
        if flight is not None:
            reboot = replace(flight, back_at=now, after=reading)
            changes.append(Outcome(reboot, t, now))
        if new_boot and reading.boot_id:
            expected = (
                armed is not None
                and armed.at is not None
                and reboot_key(armed) == settled
                and (self.last is None or armed.at >= self.last.at - CLOCK_SLACK)
            )
            changes.append(Rebooted(reading.boot_id, expected))
        watch = RebootWatch(
            zone=now.tzinfo,
            # Host clocks tick in whole seconds (`date +%s`): a sub-second skew is noise.
            skew=timedelta(seconds=round((now - t).total_seconds())),
            last=reading,
            last_t=t,
            boot_id=reading.boot_id or self.boot_id,
            armed=state.next_reboot,
            settled=settled,
            down=None,
            reboot=reboot,
        )
        return watch, tuple(changes)

    def failed(self, t: datetime, category: str) -> tuple[RebootWatch, tuple[Change, ...]]:
        when = self.when(t)
        if self.down is not None:
            return replace(self, down=replace(self.down, last=when), last_t=t), ()
        down = Down(t, when, when, category)
        armed, last = self.armed, self.last
        if (
            armed is not None
            and armed.at is not None
            and last is not None
            and reboot_key(armed) != self.settled
            and armed.at <= when + CLOCK_SLACK
            and when - armed.at <= FIRE_WINDOW
        ):
            reboot = Reboot(last, armed.source, armed.kind, armed.at, when)
            watch = replace(self, down=down, last_t=t, settled=reboot_key(armed), reboot=reboot)
            return watch, (Fired(armed, when, reboot),)
        if last is not None and last.stopping and self.in_flight is None:
            # Shutting down at the last reading: a reboot (or a poweroff) is the likely
            # cause, though nothing armed was seen for it.
            return replace(self, down=down, last_t=t, reboot=Reboot(last, down_at=when)), ()
        return replace(self, down=down, last_t=t), ()

    def finish(self) -> Outcome | None:
        """The end of the record: a reboot still in flight, down, is not back."""
        flight, down = self.in_flight, self.down
        if flight is None or down is None:
            return None
        return Outcome(flight, down.t, down.last)


# -- in words, for the screens -------------------------------------------------------


@dataclass(frozen=True)
class WatchView:
    """What a screen says of the watch now. `level` is a banner level (blocker,
    warning, unknown, ok); `cell` fits the fleet table's reboot column (20 cells);
    `sentence` is the banner's; `detail` adds times, kernel and init for the host view."""

    phase: str  # rebooting | not-back | back | unreachable
    level: str
    cell: str
    sentence: str
    detail: str = ""


def span(delta: timedelta) -> str:
    """`47 s` under two minutes, `7 min` under two hours, then `3h05m`."""
    s = max(0, int(delta.total_seconds()))
    if s < 120:
        return f"{s} s"
    if s < 7200:
        return f"{s // 60} min"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def _clock(at: datetime) -> str:
    return at.strftime("%H:%M:%S")


def view(watch: RebootWatch, host_now: datetime | None) -> WatchView | None:
    """The watch in words at `host_now` (the host's ticking clock), or None when there
    is nothing to say (answering, no reboot lately)."""
    flight, down = watch.in_flight, watch.down
    if flight is not None and down is not None:
        return _in_flight(flight, host_now or down.last)
    if down is not None:
        return WatchView(
            "unreachable",
            "unknown",
            f"unreachable {_clock(down.since)}"[:20],
            f"unreachable since {_clock(down.since)}",  # the screens say why (the error)
        )
    reboot = watch.reboot
    if reboot is None or reboot.back_at is None or host_now is None:
        return None
    if host_now - reboot.back_at > BACK_SHOWN:
        return None
    return _back(reboot)


def _in_flight(reboot: Reboot, now: datetime) -> WatchView:
    took = now - reboot.started
    predicted = reboot.before.prediction()
    level = "blocker" if reboot.before.verdict == Verdict.UNBOOTABLE else "warning"
    if reboot.source is not None:
        why = f"{reboot.source} {reboot.kind} fired"
    else:
        why = "it was shutting down at the last reading"
    if reboot.down_at is not None and reboot.down_at != reboot.started:
        why += f"; unreachable since {_clock(reboot.down_at)}"
    why = f" ({why})"
    detail = _detail(reboot)
    if took < NOT_BACK_AFTER:
        cell = f"rebooting {span(took)}"
        sentence = f"rebooting since {_clock(reboot.started)}{why}, {span(took)}: {predicted}"
        return WatchView("rebooting", level, cell, sentence, detail)
    sentence = f"not back after {span(took)}{why}: {predicted}"
    if reboot.before.verdict == Verdict.BOOTABLE:
        sentence += ": check the console"
    return WatchView("not-back", "blocker", f"not back {span(took)}", sentence, detail)


def _back(reboot: Reboot) -> WatchView:
    after = reboot.after
    assert after is not None and reboot.back_at is not None
    took = span(reboot.back_at - reboot.started)
    detail = _detail(reboot)
    if reboot.rebooted is False:
        sentence = f"answering again after {took} with the same boot id: it did not reboot"
        return WatchView("back", "warning", f"no reboot ({took})", sentence, detail)
    running = f", running kernel {after.kernel}" if after.kernel else ""
    before, now = reboot.before.verdict, after.verdict
    if before == Verdict.BOOTABLE and now == Verdict.BOOTABLE:
        said, level = "verdict confirmed BOOTABLE", "ok"
    elif before == Verdict.BOOTABLE:
        said, level = f"predicted BOOTABLE, it held; verdict now {now.upper()}", "warning"
    else:
        said = f"predicted {before.upper()}: {reboot.held()}; verdict now {now.upper()}"
        level = "warning"
    if now == Verdict.UNBOOTABLE:
        level = "blocker"
    sentence = f"back after {took}{running}, {said}"
    return WatchView("back", level, f"back after {took}", sentence, detail)


def _detail(reboot: Reboot) -> str:
    """Times, kernel and init before and after: `down 03:15:01, back 03:15:48; kernel
    6.1.0-56 → 6.1.0-57, init systemd`."""
    parts = [f"down {_clock(reboot.started)}"]
    if reboot.back_at is not None:
        parts.append(f"back {_clock(reboot.back_at)}")
    said = ", ".join(parts)
    changes = reboot.changes()
    if changes:
        return f"{said}; {changes}"
    before = reboot.before
    was = [f"kernel {before.kernel}"] if _known(before.kernel) else []
    was += [f"init {before.init}"] if _known(before.init) else []
    return f"{said}; before it: {', '.join(was)}" if was else said

"""The app's one store of per-host state: workers fill it, screens read it.

Workers never touch widgets: they post `HostUpdated` messages, the app applies them here,
then tells each screen on the stack which host changed (`host_changed(name)`). Screens
and widgets read the book; nothing else holds host state, so a screen opened later shows
the same truth as the fleet table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from cockpit.hostclock import ticking_host_now
from cockpit.hostspec import HostSpec
from cockpit.recording.reboot_watch import RebootWatch
from cockpit.state import HostState
from cockpit.words import Verdict

#: The app's clock (client time, aware). Injected so tests freeze or step it.
Clock = Callable[[], datetime]

#: What a host's worker is doing now, shown beside it (progress while connecting).
PHASES = ("waiting", "connecting", "refreshing", "ok", "error", "backoff")


@dataclass
class HostEntry:
    spec: HostSpec
    state: HostState | None = None  # last judged state; None until the first answer
    taken_at: datetime | None = None  # client time the state's snapshot was started
    updated_at: datetime | None = None  # client time the state arrived (its age)
    phase: str = "waiting"
    attempts: int = 0  # consecutive failures (reconnect backoff)
    next_try_at: datetime | None = None  # when a backed-off host is tried again
    last_read: HostState | None = None  # the last state the host itself answered with
    last_read_at: datetime | None = None  # client time of that state's snapshot
    #: The host's reboot watched through (down, back, the prediction): every state folds
    #: into it, as the report's timeline folds the recorded ones.
    watch: RebootWatch = field(default_factory=RebootWatch)

    def record(
        self,
        state: HostState,
        taken_at: datetime | None,
        at: datetime | None = None,
        watch: RebootWatch | None = None,
    ) -> None:
        """`at`: client time the state arrived (a failed refresh has no snapshot time).
        `watch`: replay's, folded from every recorded state up to the cursor (a jump
        skips states; this fold would miss them)."""
        self.state, self.taken_at = state, taken_at
        if state.reachable:
            self.last_read, self.last_read_at = state, taken_at
        t = (taken_at if state.reachable else None) or at or taken_at
        if watch is not None:
            self.watch = watch
        elif t is not None:
            self.watch = self.watch.step(t, state)

    def held_state(self) -> HostState | None:
        """The state the quit guard judges.

        A refresh that fails says nothing about the boot: a host last read UNBOOTABLE is
        still unbootable as far as anyone knows (absence of evidence is not a fix), and a
        reboot last seen armed is still armed. So an unreachable host keeps its last-read
        verdict and reboot here, marked unreachable with the current error.
        """
        state, last = self.state, self.last_read
        if state is None or state.reachable or last is None:
            return state
        if last.verdict == Verdict.UNBOOTABLE:
            return replace(
                last, reachable=False, error=state.error, error_category=state.error_category
            )
        if last.next_reboot is not None and state.next_reboot is None:
            return replace(state, next_reboot=last.next_reboot)
        return state

    def host_now(self, client_now: datetime) -> datetime | None:
        """The host's clock now (ticks between refreshes), None if never read."""
        if self.state is None:
            return None
        if self.state.host_time is None and self.last_read is not None:
            # Unreachable now: the host's clock still runs; count on from its last reading.
            return ticking_host_now(self.last_read.host_time, self.last_read_at, client_now)
        return ticking_host_now(self.state.host_time, self.taken_at, client_now)


@dataclass
class HostBook:
    """Entries in inventory order; `order` is what the fleet table starts from."""

    entries: dict[str, HostEntry] = field(default_factory=dict)

    @classmethod
    def of(cls, specs: list[HostSpec]) -> HostBook:
        return cls({spec.name: HostEntry(spec) for spec in specs})

    def __iter__(self) -> Iterator[HostEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, name: str) -> HostEntry | None:
        return self.entries.get(name)

    def states(self) -> list[HostState]:
        return [e.state for e in self.entries.values() if e.state is not None]

    def held_states(self) -> list[HostState]:
        """What the quit guard judges: see `HostEntry.held_state`."""
        held = (e.held_state() for e in self.entries.values())
        return [s for s in held if s is not None]

"""The app's one store of per-host state: workers fill it, screens read it.

Workers never touch widgets: they post `HostUpdated` messages, the app applies them here,
then tells each screen on the stack which host changed (`host_changed(name)`). Screens
and widgets read the book; nothing else holds host state, so a screen opened later shows
the same truth as the fleet table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from cockpit.hostclock import ticking_host_now
from cockpit.state import HostState
from cockpit.transports.base import HostSpec

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

    def host_now(self, client_now: datetime) -> datetime | None:
        """The host's clock now (ticks between refreshes), None if never read."""
        if self.state is None:
            return None
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

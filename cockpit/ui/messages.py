"""What workers tell the app: small messages, never widget calls.

Refresh workers (live) and a replay source post these to the app; the app applies them
to the HostBook and tells the screens which host changed. A burst for one host collapses
to the last message (`can_replace`), so a fast host cannot flood the queue.
"""

from __future__ import annotations

from datetime import datetime

from textual.message import Message

from cockpit.recording.reboot_watch import RebootWatch
from cockpit.state import HostState


class HostUpdated(Message):
    """A host's new judged state; `taken_at` is the client time its snapshot was started
    (the host's clock ticks on from there). `watch`: replay's reboot watch at the cursor
    (live leaves it None: the app folds each state into the host's watch)."""

    def __init__(
        self,
        host: str,
        state: HostState,
        taken_at: datetime | None,
        watch: RebootWatch | None = None,
    ) -> None:
        super().__init__()
        self.host = host
        self.state = state
        self.taken_at = taken_at
        self.watch = watch

    def can_replace(self, message: Message) -> bool:
        """Only a state like it: a failed refresh between two answers is what tells the
        reboot watch that the host went down, so it is never folded away."""
        return (
            isinstance(message, HostUpdated)
            and message.host == self.host
            and message.state.reachable == self.state.reachable
        )


class HostPhase(Message):
    """What a host's worker is doing now (connecting, refreshing, backoff...), shown
    beside the host so a slow or failing host is visibly so, never silently stale."""

    def __init__(
        self, host: str, phase: str, attempts: int = 0, next_try_at: datetime | None = None
    ) -> None:
        super().__init__()
        self.host = host
        self.phase = phase
        self.attempts = attempts
        self.next_try_at = next_try_at

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, HostPhase) and message.host == self.host

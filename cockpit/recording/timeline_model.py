"""The post-mortem timeline's vocabulary: what goes in (judged events), what comes out.

The inputs are already judged (a HostState per answered refresh), so the timeline does
not depend on the recording's file format: the reader's events are adapted to these by
`timeline_events`, and tests feed HostStates straight from the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from cockpit.state import HostState


@dataclass(frozen=True)
class Judged:
    """A host answered at client time `t`; its snapshot judged into `state`."""

    t: datetime
    state: HostState


@dataclass(frozen=True)
class HostError:
    """A refresh that failed: the host's state is unknown from `t`."""

    t: datetime
    host: str
    category: str
    message: str


@dataclass(frozen=True)
class Note:
    """An operator's note, about one host or the whole session (host None)."""

    t: datetime
    host: str | None
    text: str
    user: str | None = None


@dataclass(frozen=True)
class GuardHost:
    """One host named by a quit refusal / override / lost session, as the guard saw it."""

    name: str
    verdict: str
    blockers: tuple[tuple[str, str], ...] = ()  # (id, title)
    reboot_at: str | None = None  # ISO, host time
    reboot_source: str | None = None


@dataclass(frozen=True)
class Guard:
    """The quit guard acted: `kind` is quit-refused, quit-override or session-lost."""

    t: datetime
    kind: str
    hosts: tuple[GuardHost, ...]
    via: str | None = None  # q, ctrl+q, palette, SIGINT, SIGTERM; SIGHUP for session-lost
    typed: str | None = None  # the host name typed to override
    user: str | None = None


@dataclass(frozen=True)
class Action:
    """A change made on a host from the cockpit."""

    t: datetime
    host: str | None
    kind: str
    target: str
    ok: bool
    message: str = ""
    user: str | None = None


TimelineInput = Judged | HostError | Note | Guard | Action


@dataclass(frozen=True)
class Entry:
    """One line of the post-mortem.

    `t` is the client's clock (orders entries across hosts); `when` is what a reader is
    shown: the host's own clock and zone for a host's entries. `text` is raw: it may hold
    host text, so every renderer escapes it for its medium. `count`/`until` say how many
    occurrences were merged into this one line (repeated errors, a flapping finding).
    """

    t: datetime
    when: datetime
    kind: str
    text: str
    host: str | None = None
    ref: str | None = None  # finding id, reboot source, action kind, guard via
    severity: str | None = None
    count: int = 1
    until: datetime | None = None
    detail: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class HostTimeline:
    """One host's story, and how it stood at the end of the recording."""

    name: str
    entries: tuple[Entry, ...]
    zone: tzinfo | None  # the host's zone, from its last reading (None: never read)
    readings: int  # refreshes that answered
    errors: int  # refreshes that failed
    final_verdict: str  # the last verdict read ("unknown" if never read)
    final_status: str
    reachable_at_end: bool
    unreachable_since: datetime | None  # host clock, when unreachable at the end
    last_reading: datetime | None  # host clock of the last answered refresh
    reboot_at_end: str | None  # "<source> at <ISO>" armed at the last reading


@dataclass(frozen=True)
class Timeline:
    hosts: tuple[HostTimeline, ...]
    session: tuple[Entry, ...]
    #: The zone session entries are shown in: the hosts' own when they all share one.
    session_zone: tzinfo | None

"""What the quit guard decides, as a pure function of the hosts' states.

Kept apart from the screens so every path of the guard is tested with plain HostStates:
the decision is the contract of DESIGN.md's "The quit guard", the screens only show it.

- any host UNBOOTABLE -> refuse: leaving takes typing the name of the *first* host listed
  (the worst: the soonest armed reboot first, then inventory order). Typing another listed
  name is not enough: the prompt names the host to type, so nobody overrides the wrong one.
- else any host UNKNOWN with a reboot armed -> confirm (y/n).
- else -> exit at once. A host never read (still connecting) is unknown with no reboot
  known: it does not hold the session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cockpit.escape import escaped
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.reboots.findings import REBOOT_VERBS
from cockpit.rules.when import ago, countdown, is_past, order_key, stamp
from cockpit.state import HostState
from cockpit.words import Verdict

EXIT, CONFIRM, REFUSE = "exit", "confirm", "refuse"

#: The app's exit status when the session ended on purpose past the guard (a typed
#: override, or y to leave an UNKNOWN host with a reboot armed): scripts and wrappers
#: can tell it from a plain quit (0). Documented in README ("Exit codes").
EXIT_LEFT_ON_RECORD = 4
#: After SIGHUP (the terminal went away): 128 + 1, what a shell reports for a process
#: the hang-up killed, whether or not a host was unbootable at that moment.
EXIT_SESSION_LOST = 129

#: The verdict rule's own blocker restates the armed reboot; the screen shows that apart.
_RESTATEMENT = "verdict.reboot-armed-while-unbootable"


@dataclass(frozen=True)
class QuitDecision:
    kind: str  # exit | confirm | refuse
    #: the hosts that hold the session, worst first (unbootable, then unknown-with-reboot)
    hosts: tuple[HostState, ...] = ()

    @property
    def unbootable(self) -> tuple[HostState, ...]:
        return tuple(h for h in self.hosts if h.verdict == Verdict.UNBOOTABLE)

    @property
    def must_type(self) -> str | None:
        """The host name that overrides a refusal (the first, worst host); None otherwise."""
        bad = self.unbootable
        return bad[0].name if bad else None


def _reboot_key(state: HostState) -> tuple[int, float]:
    """Soonest timed reboot first, then armed-but-untimed, then one already past (overdue
    or stale: never first), then none."""
    reboot = state.next_reboot
    if reboot is None:
        return (3, 0.0)
    now = state.host_time or reboot.at
    return order_key(reboot.at, now) if now is not None else (1, 0.0)


def decide_quit(states: Iterable[HostState], *, replay: bool = False) -> QuitDecision:
    """Refuse, confirm or exit: see the module docstring. Replay has no guard."""
    if replay:
        return QuitDecision(EXIT)
    listed = list(states)
    bad = [s for s in listed if s.verdict == Verdict.UNBOOTABLE]
    shaky = [s for s in listed if s.verdict == Verdict.UNKNOWN and s.next_reboot is not None]
    # sorted() is stable: equal keys keep the inventory order the book gives.
    bad.sort(key=_reboot_key)
    shaky.sort(key=_reboot_key)
    if bad:
        return QuitDecision(REFUSE, (*bad, *shaky))
    if shaky:
        return QuitDecision(CONFIRM, tuple(shaky))
    return QuitDecision(EXIT)


def blockers(state: HostState) -> tuple[Finding, ...]:
    """The blockers to show for a host (the armed reboot is shown on its own line)."""
    return tuple(
        f for f in state.findings if f.severity is Severity.BLOCKER and f.id != _RESTATEMENT
    )


def typed_matches(typed: str, expected: str) -> bool:
    """Exact, case-sensitive; only surrounding blanks are forgiven (a stray space)."""
    return typed.strip() == expected


@dataclass(frozen=True)
class LeftOnRecord:
    """The app's exit result after an override: the CLI prints `message()` on stderr.

    The terminal the admin typed into is gone once the app exits; this line stays in the
    scrollback (and in a wrapper's log) to say the session ended on purpose, and where the
    record is.
    """

    host: str  # the host whose name was typed
    verdict: str  # unbootable | unknown
    others: tuple[str, ...]  # further hosts that held the session
    typed_at: datetime  # client time of the override
    record: Path | None  # the recording it was written to (None: --no-record)
    via: str

    def message(self) -> str:
        state = self.verdict.upper()
        also = f" (and {', '.join(map(escaped, self.others))})" if self.others else ""
        how = "override typed" if self.verdict == Verdict.UNBOOTABLE else "exit confirmed"
        where = f"recorded in {self.record}" if self.record else "not recorded: --no-record"
        return (
            f"cockpit: left while {escaped(self.host)} was {state}{also} "
            f"({how} at {self.typed_at.isoformat(timespec='seconds')}; {where})"
        )


@dataclass(frozen=True)
class SessionLost:
    """The app's exit result after SIGHUP while a host was unbootable (no one to ask)."""

    signal: str
    hosts: tuple[str, ...]
    at: datetime
    record: Path | None

    def message(self) -> str:
        where = f"recorded in {self.record}" if self.record else "not recorded: --no-record"
        was = "was" if len(self.hosts) == 1 else "were"
        return (
            f"cockpit: session lost ({self.signal}) while {', '.join(map(escaped, self.hosts))} "
            f"{was} UNBOOTABLE at {self.at.isoformat(timespec='seconds')} ({where})"
        )


def exit_message(result: object) -> str | None:
    """The line the CLI prints on stderr after the app returns `result` (None: nothing)."""
    if isinstance(result, (LeftOnRecord, SessionLost)):
        return result.message()
    return None


def reboot_line(state: HostState, host_now: datetime | None) -> str:
    """The armed reboot in the host's own time and zone, with its countdown from `host_now`."""
    reboot = state.next_reboot
    if reboot is None and state.reboots_unknown:
        return f"whether a reboot is armed is unknown ({escaped(state.reboots_unknown)[:120]})"
    if reboot is None:
        if state.verdict == Verdict.UNBOOTABLE:
            return "no reboot armed that cockpit can see (a power cut or a kernel panic still will)"
        return "no reboot armed"
    if reboot.at is None:
        return f"{reboot.source} will {reboot.kind} this host (time unknown)"
    verb = REBOOT_VERBS.get(reboot.kind, reboot.kind)
    if host_now is not None and is_past(reboot.at, host_now):
        return (
            f"{reboot.source}: a {reboot.kind} was due at {stamp(reboot.at)}, "
            f"{ago(reboot.at, host_now)}: overdue, or a stale schedule"
        )
    when = reboot.at.strftime("%H:%M %Z (%Y-%m-%d)").replace("  ", " ")
    left = countdown(reboot.at, host_now) if host_now is not None else "? (host clock unknown)"
    return f"{reboot.source} {verb} this host at {when}, in {left}"

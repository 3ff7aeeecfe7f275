"""What judging one host may cost, so that one host's output never freezes the screen or
hides the other hosts' verdicts.

Two bounds, both per host:

- Size (`within_budget`): a host answers with at most 32 MiB (transports' cap), but
  parsing costs up to ~0.7 µs a character (31 MB of a grub.cfg took 20 s). A section
  longer than its probe declares it reads (the client's own probe table, not the host's
  END line, which a hostile host writes) is cut to that cap; if the sections still hold
  more than HOST_TEXT_BUDGET, the largest are dropped until they fit, so the cost falls
  on the offending sections and the ordinary ones are judged as usual. A cut section is
  `truncated` and a dropped one `missing`, and each is a framing issue: the areas that
  read them are unknown, the verdict is at best unknown, and a blocker found in what was
  read stays a blocker. Pure, and idempotent, so a recorded (budgeted) snapshot replays
  to the same judgement.
- Time (`Judge`): parsing and judging run in a worker thread, never on the caller's event
  loop (the app's keys, clock, other hosts, signals and quit guard keep running), and a
  host whose judging takes longer than JUDGE_BUDGET_S is shown unknown ("budget") while
  the thread finishes on its own; that host is not judged again until it has.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from cockpit.engine import judge_snapshot
from cockpit.parsers import ParseMemo
from cockpit.probes import ALL_PROBES, Probe
from cockpit.snapshot import MISSING_STATE, Section, Sections, Snapshot
from cockpit.state import HostState

#: Characters of section text judged per host: ~25x an ordinary host, ~6 s of the slowest
#: parsing known. Beyond it the largest sections are dropped (their areas unknown).
HOST_TEXT_BUDGET = 8 << 20
#: Seconds a host's judging may take before the host is shown unknown ("budget").
JUDGE_BUDGET_S = 10.0
BUDGET_CATEGORY = "budget"


def _caps(probes: Sequence[Probe]) -> tuple[dict[str, int], int]:
    caps = {p.name: p.cap_bytes for p in probes}
    return caps, max(caps.values(), default=0)


_CAPS, _LARGEST_CAP = _caps(ALL_PROBES)


def within_budget(snapshot: Snapshot) -> Snapshot:
    """`snapshot` itself when it is within the size budget (the usual case: one pass over
    the section lengths), else a copy with the excess cut or dropped and said."""
    sections = snapshot.sections.by_name
    total = 0
    over = False
    for section in sections.values():
        size = len(section.text)
        total += size
        if size > _LARGEST_CAP or size > _CAPS.get(section.probe, _LARGEST_CAP):
            over = True
    if not over and total <= HOST_TEXT_BUDGET:
        return snapshot
    return _budgeted(snapshot)


def _budgeted(snapshot: Snapshot) -> Snapshot:
    issues: list[str] = []
    kept: dict[str, Section] = {}
    for name, section in snapshot.sections.by_name.items():
        cap = _CAPS.get(section.probe, _LARGEST_CAP)
        if len(section.text) > cap:
            issues.append(
                f"section {name!r}: {len(section.text)} characters, more than the {cap} its "
                "probe reads: cut (the host sent more than it was asked for)"
            )
            section = replace(section, text=section.text[:cap], truncated=True)
        kept[name] = section
    total = sum(len(s.text) for s in kept.values())
    for name in sorted(kept, key=lambda n: len(kept[n].text), reverse=True):
        if total <= HOST_TEXT_BUDGET:
            break
        section = kept[name]
        total -= len(section.text)
        issues.append(
            f"section {name!r}: {len(section.text)} characters dropped: the host's sections "
            f"hold more than the {HOST_TEXT_BUDGET} cockpit judges per host"
        )
        kept[name] = Section(name, MISSING_STATE, -1, "", True, section.probe)
    return replace(
        snapshot, sections=Sections(kept), framing_issues=(*snapshot.framing_issues, *issues)
    )


def over_budget(snapshot: Snapshot, message: str) -> HostState:
    """The host's state while its judging is over budget: unknown, and not a reading of
    the host (`reachable` False), so the app and its quit guard keep the last verdict
    read: a host last seen UNBOOTABLE stays so while its flood is being parsed."""
    return replace(
        HostState.failed(snapshot.host, snapshot.mode, BUDGET_CATEGORY, message),
        snapshot=snapshot,
    )


class Judge:
    """One host's judging, one snapshot at a time, off the event loop, within a budget.

    Keeps the host's ParseMemo (only changed areas are parsed again). Not thread-safe by
    design: one refresh loop (or one `cockpit check` host) owns it.
    """

    def __init__(self, budget_s: float = JUDGE_BUDGET_S) -> None:
        self.memo = ParseMemo()
        self.budget_s = budget_s
        self._running: threading.Thread | None = None

    async def judge(self, snapshot: Snapshot, at: datetime | None = None) -> HostState:
        """`judge_snapshot(within_budget(snapshot), at)`, computed in a daemon thread (an
        exit never waits for it); its exception, if it raised; or `over_budget`."""
        snapshot = within_budget(snapshot)
        if self._running is not None and self._running.is_alive():
            return over_budget(
                snapshot,
                f"still judging an earlier snapshot, over its {self.budget_s:g}s budget",
            )
        loop = asyncio.get_running_loop()
        done: asyncio.Future[HostState] = loop.create_future()
        memo = self.memo

        def work() -> None:
            try:
                state = judge_snapshot(snapshot, at, memo)
            except BaseException as exc:  # handed to the awaiting side, as raised
                outcome: tuple[HostState | None, BaseException | None] = (None, exc)
            else:
                outcome = (state, None)
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting
                loop.call_soon_threadsafe(_settle, done, *outcome)

        self._running = threading.Thread(target=work, name=f"judge {snapshot.host}", daemon=True)
        self._running.start()
        finished, _ = await asyncio.wait({done}, timeout=self.budget_s)
        if not finished:
            return over_budget(
                snapshot,
                f"judging this host's {_size(snapshot)} of output took more than "
                f"{self.budget_s:g}s; it is shown unknown until a judgement finishes in time",
            )
        return done.result()


def _settle(
    done: asyncio.Future[HostState], state: HostState | None, exc: BaseException | None
) -> None:
    if done.done():
        return
    if exc is not None:
        done.set_exception(exc)
    else:
        assert state is not None
        done.set_result(state)


def _size(snapshot: Snapshot) -> str:
    chars = sum(len(s.text) for s in snapshot.sections.values())
    return f"{chars / (1 << 20):.1f} MiB" if chars >= 1 << 20 else f"{chars} characters"

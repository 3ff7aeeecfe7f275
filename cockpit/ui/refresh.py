"""Live refresh: one loop per host that reads it, judges it, records it and posts the result.

The loops run as async workers in the app's event loop, but the UI never awaits them: each
loop only posts `HostPhase`/`HostUpdated` messages. A host that hangs costs its own loop
(every collect is bounded by a timeout) and a slot of the concurrency limit, nothing
else. A failure becomes the host's state (unknown, with its category) and a reconnect
backoff of 1, 2, 4 ... 60 s, shown beside the host.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from cockpit.budget import Judge, within_budget
from cockpit.collector.cadence import Cadence
from cockpit.hostspec import HostSpec
from cockpit.recording.session_log import SessionLog
from cockpit.state import HostState
from cockpit.transports import CollectError, Transport, collect
from cockpit.transports.factory import SshUnavailable, ssh_pool, transport_for
from cockpit.ui.book import Clock
from cockpit.ui.messages import HostPhase, HostUpdated
from cockpit.words import Mode

LIVE_PERIOD_S = 5.0
#: Offline roots change only when someone edits the mounted disk: cheap, but less often.
OFFLINE_PERIOD_S = 30.0
BACKOFF_MAX_S = 60.0
#: At most this many collects at once (ssh handshakes are bounded again in the pool).
MAX_CONCURRENT = 50
#: Offline roots and this machine run the collector here: one sh per core or so, or a
#: fleet of local roots would starve the UI of the CPU it shares with them.
MAX_LOCAL = max(2, os.cpu_count() or 2)
#: Each wait is the period +-10%: hosts started together drift apart instead of
#: refreshing in one burst every period.
JITTER = 0.1
COLLECT_TIMEOUT_S = 30.0
_GRACE_S = 2.0

T = TypeVar("T")
Post = Callable[[Any], object]
TransportFactory = Callable[[HostSpec], Transport]


def period_for(spec: HostSpec) -> float:
    if spec.refresh_s:
        return spec.refresh_s
    return OFFLINE_PERIOD_S if spec.kind == "offline" else LIVE_PERIOD_S


def backoff_s(attempts: int) -> float:
    """1, 2, 4 ... 60 s after the 1st, 2nd, 3rd ... consecutive failure."""
    return float(min(BACKOFF_MAX_S, 2 ** max(0, attempts - 1)))


@dataclass
class _Host:
    spec: HostSpec
    wake: asyncio.Event


class Refresher:
    """Every host's refresh loop, the shared ssh pool, and the `r`/`R` wake-ups.

    `transport_for` builds a host's transport (default: cockpit check's, with one
    SshPool for every ssh host); tests pass their own for faults they cannot cause.
    """

    def __init__(
        self,
        specs: list[HostSpec],
        post: Post,
        log: SessionLog,
        clock: Clock,
        *,
        transport_for: TransportFactory | None = None,
        max_concurrent: int = MAX_CONCURRENT,
        timeout: float = COLLECT_TIMEOUT_S,
        grace: float = _GRACE_S,
    ) -> None:
        self._hosts = {s.name: _Host(s, asyncio.Event()) for s in specs}
        self._post = post
        self._log = log
        self._clock = clock
        self._factory = transport_for
        self._limit = asyncio.Semaphore(max_concurrent)
        self._local_limit = asyncio.Semaphore(min(max_concurrent, MAX_LOCAL))
        self._timeout = timeout
        self._grace = grace  # the transport's own timeout fires first, saying more
        self._pool: Any = None
        self._pool_error: str | None = None

    def wake(self, name: str) -> None:
        """Refresh `name` now (`r`), cutting its wait or backoff short."""
        host = self._hosts.get(name)
        if host is not None:
            host.wake.set()

    def wake_all(self) -> None:
        for host in self._hosts.values():
            host.wake.set()

    def transport(self, spec: HostSpec) -> Transport:
        if self._factory is not None:
            return self._factory(spec)
        if spec.kind == "ssh" and self._pool is None:
            if self._pool_error:
                raise CollectError("unsupported", self._pool_error)
            try:
                self._pool = ssh_pool(self._timeout)
            except SshUnavailable as exc:
                self._pool_error = str(exc)
                raise CollectError("unsupported", str(exc)) from exc
        return transport_for(spec, self._pool)

    async def run_host(self, name: str) -> None:
        """The loop for one host, until cancelled (the app exits)."""
        host = self._hosts[name]
        spec = host.spec
        mode = Mode.of_kind(spec.kind)
        cadence, judge = Cadence(), Judge()
        transport: Transport | None = None
        attempts = 0
        while True:
            self._post(HostPhase(name, "connecting" if transport is None else "refreshing"))
            try:
                limit = self._limit if spec.kind == "ssh" else self._local_limit
                async with limit:
                    if transport is None:
                        transport = self.transport(spec)
                    taken_at = self._clock()  # the host's clock is read from here on
                    snapshot = await bounded(
                        collect(transport, timeout=self._timeout, cadence=cadence),
                        self._timeout + self._grace,
                    )
                # Offline roots have no clock of their own: the app's clock is their "now".
                at = self._clock() if mode == Mode.OFFLINE else None
                snapshot = within_budget(snapshot)  # what is judged is what is recorded
                self._log.snapshot(snapshot)
                # Off the event loop, within a time budget: keys, clocks, other hosts and
                # the quit guard keep running while a huge host is being parsed.
                state = await judge.judge(snapshot, at)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug or a fault costs this host, never the app
                cadence.force_keyframe()
                category, message = _describe(exc, self._timeout)
                self._log.error(name, category, message, self._clock())
                self._post(HostUpdated(name, HostState.failed(name, mode, category, message), None))
                attempts += 1
                transport = None  # next time: "connecting" again (the pool reconnects)
                wait = backoff_s(attempts)
                next_try = self._clock() + timedelta(seconds=wait)
                self._post(HostPhase(name, "backoff", attempts, next_try))
            else:
                attempts = 0
                self._post(HostUpdated(name, state, taken_at))
                self._post(HostPhase(name, "ok"))
                wait = period_for(spec) * random.uniform(1 - JITTER, 1 + JITTER)
            await sleep_or_wake(host.wake, wait)
            if host.wake.is_set():  # the admin asked (`r`, `R`): read everything afresh
                cadence.force_keyframe()
            host.wake.clear()

    async def aclose(self) -> None:
        """Close the ssh pool (bounded: a dead peer must not hold the exit)."""
        if self._pool is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._pool.close(), 3.0)
            self._pool = None


async def bounded(awaitable: Awaitable[T], seconds: float) -> T:
    """`asyncio.wait_for` without its Python < 3.12 flaw: when the awaited thing finishes
    just as the caller is cancelled, wait_for returns the result and swallows the
    cancellation, so the app's exit would leave this loop running forever."""
    task = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    finally:
        if not task.done():
            task.cancel()
    if not done:
        with contextlib.suppress(BaseException):
            await task  # let it stop (it is cancelled); its outcome no longer matters
        raise asyncio.TimeoutError
    return task.result()


async def sleep_or_wake(event: asyncio.Event, seconds: float) -> None:
    """Wait `seconds`, or less if `event` is set (`r`): cancellation always wins."""
    waiter = asyncio.ensure_future(event.wait())
    try:
        await asyncio.wait({waiter}, timeout=seconds)
    finally:
        waiter.cancel()


def _describe(exc: BaseException, timeout: float) -> tuple[str, str]:
    if isinstance(exc, CollectError):
        return exc.category, exc.message
    if isinstance(exc, asyncio.TimeoutError):
        return "timeout", f"no answer within {timeout:g}s"
    return "internal", f"{type(exc).__name__}: {exc}"


def now_utc() -> datetime:
    """The default clock: aware, UTC (host times carry their own zones)."""
    return datetime.now(timezone.utc)

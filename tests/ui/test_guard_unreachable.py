"""A host that stops answering keeps holding the session: a failed refresh fixes nothing.

The incident's own ending is this case: at 03:15 the host went away. Had the admin's
cockpit still been open, the unreachable host must not have let them leave without a word.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from functools import cache

from cockpit.hostspec import HostSpec
from cockpit.state import HostState
from cockpit.ui.book import HostBook
from cockpit.ui.quit_decision import CONFIRM, EXIT, REFUSE, decide_quit
from tests.support import SAMPLES, judge_root

AT = datetime.fromisoformat((SAMPLES / "weblogs-2011" / "AT").read_text().strip())


@cache
def weblogs() -> HostState:
    return judge_root(SAMPLES / "weblogs-2011", AT.isoformat())


def book_for(name: str) -> HostBook:
    return HostBook.of([HostSpec(name=name, kind="ssh", address="127.0.0.1")])


def failed(name: str) -> HostState:
    return HostState.failed(name, "live", "timeout", "no answer within 60 s")


def test_unbootable_host_that_stops_answering_still_refuses() -> None:
    book = book_for("weblogs-2011")
    entry = book.entries["weblogs-2011"]
    entry.record(weblogs(), AT)
    assert decide_quit(book.held_states()).kind == REFUSE
    entry.record(failed("weblogs-2011"), AT + timedelta(minutes=5))
    # What the screen shows is the failure; what the guard judges is the last reading.
    assert entry.state is not None and entry.state.verdict == "unknown"
    decision = decide_quit(book.held_states())
    assert decision.kind == REFUSE
    held = decision.hosts[0]
    assert held.verdict == "unbootable" and not held.reachable
    assert held.error_category == "timeout"
    # The host's clock keeps running from its last reading: the countdown stays honest.
    later = AT + timedelta(minutes=10)
    assert entry.host_now(later) == weblogs().host_time + timedelta(minutes=10)  # type: ignore[operator]


def test_reboot_last_seen_armed_asks_for_confirmation_when_host_goes_quiet() -> None:
    bootable_armed = dataclasses.replace(weblogs(), verdict="bootable", status="warning")
    book = book_for("web1")
    entry = book.entries["web1"]
    entry.record(dataclasses.replace(bootable_armed, name="web1"), AT)
    assert decide_quit(book.held_states()).kind == EXIT  # bootable: nothing holds us
    entry.record(failed("web1"), AT + timedelta(minutes=1))
    assert decide_quit(book.states()).kind == EXIT  # the bare failure would let us go
    assert decide_quit(book.held_states()).kind == CONFIRM


def test_host_back_and_fixed_releases_the_guard() -> None:
    book = book_for("weblogs-2011")
    entry = book.entries["weblogs-2011"]
    entry.record(weblogs(), AT)
    entry.record(failed("weblogs-2011"), AT + timedelta(minutes=1))
    fixed = dataclasses.replace(weblogs(), verdict="bootable", status="ok", next_reboot=None)
    entry.record(fixed, AT + timedelta(minutes=2))
    assert decide_quit(book.held_states()).kind == EXIT


def test_never_read_host_does_not_hold_the_session() -> None:
    book = book_for("new")
    book.entries["new"].record(failed("new"), AT)
    assert decide_quit(book.held_states()).kind == EXIT

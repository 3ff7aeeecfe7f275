"""Issue 13 §12: wording a tired admin would trip over, each said once and plainly."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from cockpit.facts.init import Pid1
from cockpit.ui.quit_decision import SessionLost
from cockpit.ui.widgets.init_pane import InitPane
from cockpit.ui.widgets.pane_base import Lines
from cockpit.ui.widgets.services_pane import ServicesPane
from tests.ui.test_host_screen import sample


def pane_text(pane_class: type, state) -> str:  # type: ignore[no-untyped-def]
    lines = Lines()
    pane_class.build(pane_class(), lines, state, None)
    return lines.plain_text


def test_one_binary_under_two_names_is_one_init() -> None:
    text = pane_text(InitPane, sample("debian12-systemd"))
    assert "systemd (/lib/systemd/systemd, /usr/lib/systemd/systemd)" in text
    assert text.count("systemd (/") == 1


def test_an_unknown_pid1_is_named_once_without_its_read_state() -> None:
    state = sample("debian12-systemd")
    assert state.facts is not None
    init = dataclasses.replace(
        state.facts.init,
        running_family="unknown",
        running_label="unknown (PID 1: process_api)",
        pid1=Pid1(comm="process_api", comm_state="ok"),
    )
    live = dataclasses.replace(
        state, mode="live", facts=dataclasses.replace(state.facts, init=init)
    )
    text = pane_text(InitPane, live)
    line = next(x for x in text.splitlines() if x.startswith("running (PID 1)"))
    assert line == "running (PID 1): ? UNKNOWN process_api: not an init cockpit knows"


def test_missing_is_said_once() -> None:
    text = pane_text(ServicesPane, sample("weblogs-2011"))
    assert "(missing) (missing)" not in text and ") (missing)" not in text
    assert "boot init: missing (/sbin/init does not exist)" in text


def test_two_hosts_were_unbootable() -> None:
    at = datetime(2011, 9, 29, 23, 0, tzinfo=timezone.utc)
    lost = SessionLost("SIGHUP", ("weblogs", "debian12-fstab"), at, None)
    assert "weblogs, debian12-fstab were UNBOOTABLE" in lost.message()
    assert "weblogs was UNBOOTABLE" in SessionLost("SIGHUP", ("weblogs",), at, None).message()

"""Remedies are for what really happened, and never a pasteable copy of host text
(issue 12 §2, §5): every remedy of every area, on sample hosts whose sections were all
made unreadable one way, and on hostile trees whose names and logs carry a command."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from cockpit.engine import judge_snapshot
from cockpit.snapshot import Section, Sections
from tests.support import SAMPLES, collect_root, judge_root

AT = datetime.fromisoformat("2024-06-12T20:00:00+00:00")
ROOT_ADVICE = re.compile(r"with root rights|Run cockpit with root|\(sudo\)|sudo = true")
#: Sections left as they are: what tells the engine it reads a Linux tree as root.
_KEEP = ("host.", "boot.viewer-devices")


def _every_section(state: str, uid: str) -> Sections:
    snap = collect_root(SAMPLES / "debian12-systemd")
    out = {}
    for name, sec in snap.sections.items():
        if name.startswith(_KEEP):
            out[name] = sec
        else:
            text = "cut 450 400\n" if state == "cut" else ""
            out[name] = dataclasses.replace(sec, state=state, text=text)
    out["host.uid"] = Section("host.uid", "ok", 0, f"{uid}\t{uid}\t{uid}\t{uid}\n")
    return Sections(out)


@pytest.mark.parametrize("state", ["cut", "loop", "foreign", "dangling", "timeout", "denied"])
def test_no_remedy_asks_for_root_rights_when_they_would_not_help(state: str) -> None:
    """Everything cut, looping, foreign, dangling or timed out: root rights read none of
    it, so no remedy of any area advises them; everything denied while cockpit already
    reads as root: the same."""
    snap = collect_root(SAMPLES / "debian12-systemd")
    snap = dataclasses.replace(snap, sections=_every_section(state, "0"))
    found = judge_snapshot(snap, AT).findings
    assert found, "an unreadable host must say something"
    bad = [(f.id, f.remedy) for f in found if ROOT_ADVICE.search(f.remedy)]
    assert bad == []


def test_denied_as_another_user_still_advises_root_rights() -> None:
    snap = collect_root(SAMPLES / "debian12-systemd")
    snap = dataclasses.replace(snap, sections=_every_section("denied", "1000"))
    found = judge_snapshot(snap, AT).findings
    assert any(ROOT_ADVICE.search(f.remedy) for f in found)

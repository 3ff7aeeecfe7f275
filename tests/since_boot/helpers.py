"""A real live host's sections (a tests/live VM, systemd, captured right after boot), and
edits of them: each test changes what one probe line says and judges the whole engine."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from cockpit.engine import judge_snapshot
from cockpit.snapshot import Section, Sections, Snapshot
from cockpit.state import HostState

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures/live/debian12-systemd-sections.json"


def captured() -> dict[str, Section]:
    data = json.loads(FIXTURE.read_text())
    return {
        name: Section(name, s["state"], s["rc"], s["text"], s["truncated"], s["probe"])
        for name, s in data["sections"].items()
    }


def btime(secs: dict[str, Section]) -> int:
    m = re.search(r"^btime (\d+)$", secs["since_boot.boot"].text, re.M)
    assert m
    return int(m.group(1))


def edit(secs: dict[str, Section], name: str, old: str, new: str) -> None:
    """Replace `old` by `new` in one section's text (which must hold it)."""
    text = secs[name].text
    assert old in text, (name, old)
    secs[name] = Section(name, secs[name].state, secs[name].rc, text.replace(old, new))


def line_of(secs: dict[str, Section], name: str, pattern: str) -> str:
    """The one line of a section matching `pattern` (a regex): tests edit lines found by
    what they are about (a path, a `sshd` line), not by inode numbers of one capture."""
    found = re.findall(f"^(?:{pattern})$", secs[name].text, re.M)
    assert len(found) == 1, (name, pattern, found)
    return str(found[0])


def unread_initramfs(secs: dict[str, Section]) -> None:
    """The initramfs listing timed out (a slow host): the files alone cannot prove the
    kernel stage."""
    for name in [n for n in secs if n.startswith("boot.kernel.initramfs:")]:
        secs[name] = Section(name, "timeout", 124, "", False, secs[name].probe)


def touch(secs: dict[str, Section], path: str, after_boot: int) -> None:
    """The stat line of `path` says it changed `after_boot` seconds after the boot."""
    when = btime(secs) + after_boot
    text = secs["since_boot.stat"].text
    line = re.compile(r"^(\d+) (\d+) (\d+) (\d+) " + re.escape(path) + "$", re.M)
    assert line.search(text), path
    text = line.sub(lambda m: f"{m.group(1)} {m.group(2)} {when} {when} {path}", text)
    secs["since_boot.stat"] = Section("since_boot.stat", "ok", 0, text)


def judge(secs: dict[str, Section], mode: str = "live") -> HostState:
    snap = Snapshot(
        host="live-systemd",
        mode=mode,  # type: ignore[arg-type]
        sections=Sections(dict(secs)),
        started=datetime.fromisoformat(json.loads(FIXTURE.read_text())["started"]),
        duration_s=1.0,
    )
    return judge_snapshot(snap)

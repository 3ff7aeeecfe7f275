"""The incident reconstruction: the committed file is what the tool builds, and the
report on it tells the story of shared/incident-2011.md."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from tests.support import REPO, run_cockpit

SESSION = REPO / "sample_hosts" / "sessions" / "weblogs-2011.jsonl"


def _tool() -> ModuleType:
    path = REPO / "tools" / "make_incident_session.py"
    spec = importlib.util.spec_from_file_location("make_incident_session", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _without_version(data: bytes) -> list[bytes]:
    """Lines, with the header's cockpit version left out (a release bumps it)."""
    lines = data.splitlines()
    header = json.loads(lines[0])
    header.pop("cockpit")
    return [json.dumps(header).encode(), *lines[1:]]


def test_committed_session_equals_a_fresh_build(tmp_path: Path) -> None:
    fresh = tmp_path / "weblogs-2011.jsonl"
    _tool().build(fresh)
    assert _without_version(fresh.read_bytes()) == _without_version(SESSION.read_bytes()), (
        "sample_hosts/sessions/weblogs-2011.jsonl is stale: run "
        "`python3 tools/make_incident_session.py` and review the diff"
    )


def test_report_tells_the_incident_story() -> None:
    proc = run_cockpit("report", str(SESSION), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["issues"] == []
    assert "--reconstruction" in doc["recording"]["argv"]
    (host,) = doc["hosts"]
    entries = host["entries"]

    def first(kind: str, ref: str | None = None, text: str = "") -> dict:
        return next(
            e
            for e in entries
            if e["kind"] == kind and (ref is None or e["ref"] == ref) and text in e["text"]
        )

    bootable = first("verdict", text="first reading: BOOTABLE")
    armed = first("reboot-armed")
    ftp = first("finding-appeared", "services.initscript-broken")
    unbootable = first("verdict", text="\u2192 UNBOOTABLE")
    no_init = first("finding-appeared", "init.boot-init-missing")
    refused = first("quit-refused")
    override = first("quit-override")
    fired = first("reboot-fired")
    lost = first("unreachable")
    order = [bootable, armed, ftp, unbootable, refused, override, fired, lost]
    times = [e["time"] for e in order]
    assert times == sorted(times), times
    assert "2011-09-30T03:15:00-05:00" in armed["text"]
    assert ftp["time"].startswith("2011-09-29T16:1")
    assert unbootable["time"] < "2011-09-30T03:15" and no_init["time"] == unbootable["time"]
    assert "weblogs-2011 UNBOOTABLE" in refused["text"]
    assert "typed 'weblogs-2011'" in override["text"] and "by admin" in override["text"]
    assert fired["time"] == "2011-09-30T03:15:00-05:00" and "root's crontab" in fired["text"]
    assert lost["time"] >= "2011-09-30T03:15:00-05:00"
    final = host["final"]
    assert final["verdict"] == "unbootable" and final["reachable"] is False
    assert final["unreachable_since"] >= "2011-09-30T03:15:00-05:00"
    session = [e["kind"] for e in doc["session"]]
    assert session[:1] == ["note"] and "RECONSTRUCTION" in doc["session"][0]["text"]
    assert "quit-refused" in session and "quit-override" in session


def test_markdown_report_reads_as_the_story() -> None:
    proc = run_cockpit("report", str(SESSION))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "final verdict **UNBOOTABLE**" in out and "**unreachable** since" in out
    story = ["first reading: BOOTABLE", "proftpd", "\u2192 UNBOOTABLE", "**quit refused**"]
    story += ["**quit override**", "**reboot fired**", "**unreachable**"]
    table = out[out.index("## weblogs-2011") : out.index("## Session")]
    positions = [table.index(s) for s in story]
    assert positions == sorted(positions)
    assert "RECONSTRUCTION" in out

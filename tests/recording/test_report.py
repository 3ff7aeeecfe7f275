"""`cockpit report` on recordings written by the real recorder from real snapshots."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cockpit.cli import report
from cockpit.hostspec import HostSpec
from cockpit.recording.report_markdown import md
from cockpit.recording.writer import JsonlRecorder
from cockpit.snapshot import Snapshot
from tests.support import SAMPLES, collect_root, run_cockpit

T0 = datetime.fromisoformat("2011-09-29T22:00:00-05:00")
HOSTILE = (
    "pwn | `rm -rf /` <script>alert(1)</script> \x1b[31mred\x1b[0m"
    " [click](http://evil) *b* \u202egnp.exe\nnext"
)


@functools.cache
def weblogs() -> Snapshot:
    return collect_root(SAMPLES / "weblogs-2011")


def record(path: Path) -> Path:
    """Two refreshes of weblogs-2011, a hostile note and a hostile error, a refusal."""
    snap = weblogs()
    log = JsonlRecorder.create(
        path,
        argv=["cockpit", "--root", "x"],
        hosts=[HostSpec("weblogs-2011", "offline", root="x")],
        now=T0,
    )
    log.snapshot(replace(snap, started=T0))
    log.note(HOSTILE, T0 + timedelta(seconds=30), host="weblogs-2011")
    log.snapshot(replace(snap, started=T0 + timedelta(minutes=1)))
    log.error("weblogs-2011", "protocol", HOSTILE, T0 + timedelta(minutes=2))
    log.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = report.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _cells(row: str) -> list[str]:
    """A Markdown table row split on its unescaped pipes."""
    return re.split(r"(?<!\\)\|", row)


def test_markdown_escapes_hostile_text_from_hosts_and_operators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(record(tmp_path / "r.jsonl")))
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert "<script" not in out and "&lt;script&gt;" in out
    assert "\\`rm -rf /\\`" in out  # no code span opened
    assert "\\[click\\](http://evil)" in out  # no link
    assert "\\x1b\\[31m" in out and "\\u202e" in out  # shown, not obeyed
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows
    for row in rows:
        assert len(_cells(row)) == 5, row  # "", time, event, details, "": the pipe is escaped
    assert "pwn" in out and "next" in out  # the newline did not end the row


def test_md_escapes_each_markdown_hostile_class() -> None:
    assert md("a|b") == "a\\|b"
    assert md("`x`") == "\\`x\\`"
    assert md("<b>&") == "&lt;b&gt;&amp;"
    assert md("*_~#!") == "\\*\\_\\~\\#\\!"
    assert md("\x1b]0;title\x07") == "\\\\x1b\\]0;title\\\\x07"
    assert md("one\ntwo\tthree") == "one two three"


def test_markdown_summary_host_table_in_host_time_and_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(record(tmp_path / "r.jsonl")))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("# cockpit post-mortem: ")
    assert "Recording problems" not in out
    summary = next(line for line in lines if line.startswith("- **weblogs-2011**"))
    assert "final verdict **UNBOOTABLE**" in summary and "unreachable" in summary
    assert "Times are the host's own (America/Chicago)" in out
    assert "| 2011-09-29T22:00:00-05:00 | verdict | first reading: UNBOOTABLE" in out
    assert "| 2011-09-29T22:02:00-05:00 | **unreachable** |" in out
    assert out.index("## weblogs-2011") < out.index("## Session")


def test_json_is_the_stable_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(record(tmp_path / "r.jsonl")), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) >= {"cockpit", "recording", "hosts", "session", "issues"}
    assert doc["issues"] == []
    assert doc["recording"]["started"] == "2011-09-29T22:00:00-05:00"
    (host,) = doc["hosts"]
    assert host["name"] == "weblogs-2011"
    assert host["final"]["verdict"] == "unbootable" and host["final"]["reachable"] is False
    first = host["entries"][0]
    assert set(first) >= {"time", "kind", "text", "ref", "severity", "count", "until"}
    assert first["time"] == "2011-09-29T22:00:00-05:00"
    note = next(e for e in doc["session"] if e["kind"] == "note")
    assert HOSTILE in note["text"]  # JSON keeps the text as written; JSON escapes it


def test_skipped_lines_are_stated_at_the_top(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = record(tmp_path / "r.jsonl")
    lines = path.read_bytes().splitlines(keepends=True)
    lines.insert(2, b'{"t":"2011-09-29T22:00:10-05:00","e":"note", this is not json\n')
    path.write_bytes(b"".join(lines) + b'{"t":"2011-09-29T22:03:00-05:00","e":"err')
    code, out, _ = run(capsys, str(path))
    assert code == 0
    assert out.index("Recording problems: 2 line(s) skipped") < out.index("## Summary")
    assert "cut off" in out
    code, out, _ = run(capsys, str(path), "--format", "json")
    assert len(json.loads(out)["issues"]) == 2


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty"),
        (b"hello, this is a shopping list\n", ""),
        (
            b'{"format":"cockpit-recording","version":99,"cockpit":"9","started":"2030-01-01T00:00:00+00:00","argv":[],"hosts":[]}\n',
            "99",
        ),
    ],
    ids=["empty", "not-a-recording", "future-version"],
)
def test_unreadable_recording_exits_3_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, says: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    code, out, err = run(capsys, str(path))
    assert code == 3 and out == ""
    assert err.startswith("cockpit report: ") and err.count("\n") == 1
    assert says in err


def test_real_command_line_missing_file_and_usage_exit_3(tmp_path: Path) -> None:
    proc = run_cockpit("report", str(tmp_path / "nope.jsonl"))
    assert proc.returncode == 3 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"cockpit report: {tmp_path / 'nope.jsonl'}: no such file"
    ]
    proc = run_cockpit("report", str(tmp_path / "x"), "--format", "pdf")
    assert proc.returncode == 3 and "invalid choice" in proc.stderr

"""A kernel cut short is present and not empty, and GRUB still stops on it ("premature
end of file", seen in tests/boot/oracle): the entry stage checks its header."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from cockpit.rules.chain.model import Stage, StageState
from cockpit.rules.finding import Severity
from tests.support import REPO, SAMPLES, judge_root

TREE = "debian12-systemd"
KERNEL = "boot/vmlinuz-6.1.0-18-amd64"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / TREE
    shutil.copytree(SAMPLES / TREE, root, symlinks=True)
    return root


def _judge(root: Path):  # type: ignore[no-untyped-def]
    return judge_root(root, (SAMPLES / TREE / "AT").read_text().strip())


def test_whole_kernel_proves_the_entry_stage(tmp_path: Path) -> None:
    state = _judge(_copy(tmp_path))
    entry = state.chain.get(Stage.ENTRY)
    assert entry.state is StageState.PROVEN
    assert any("whole (bzImage header" in ev for ev in entry.evidence)


def test_truncated_kernel_breaks_the_entry_stage(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    tool = REPO / "tools/stub_kernel.py"
    subprocess.run([sys.executable, str(tool), "--truncate", "16", str(root / KERNEL)], check=True)
    state = _judge(root)
    found = {f.id: f for f in state.findings}
    f = found["boot.default-kernel-truncated"]
    assert f.severity is Severity.BLOCKER and f.stage is Stage.ENTRY
    assert state.chain.get(Stage.ENTRY).state is StageState.BROKEN
    assert state.verdict == "unbootable"


def test_a_kernel_without_a_header_is_not_proven(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / KERNEL).write_bytes(b"not a kernel, just bytes\n" * 40)
    state = _judge(root)
    entry = state.chain.get(Stage.ENTRY)
    assert entry.state is StageState.UNKNOWN and "cannot be told" in entry.reason
    assert state.verdict != "bootable"

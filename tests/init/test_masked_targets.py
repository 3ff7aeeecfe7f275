"""systemd targets masked in /etc (a link to /dev/null): the default target itself (systemd
falls back to rescue.target) or one it needs (the start job fails and systemd freezes).
Real trees from sample_hosts/, copied and edited; the root has no /dev/null of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cockpit.words import Verdict
from tests.support import judge_root

_IDS = ("init.boot-target-not-multi-user", "init.boot-target-masked")
SAMPLE = Path(__file__).resolve().parents[2] / "sample_hosts/debian12-systemd"


def _masked(tmp_path: Path, unit: str) -> Path:
    root = tmp_path / "root"
    shutil.copytree(SAMPLE, root, symlinks=True)
    link = root / "etc/systemd/system" / unit
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to("/dev/null")
    return root


@pytest.mark.parametrize(
    ("unit", "said"),
    [
        ("default.target", "boots rescue.target"),
        ("multi-user.target", "multi-user.target is masked"),
        ("basic.target", "basic.target is masked"),
        ("sysinit.target", "sysinit.target is masked"),
    ],
)
def test_a_masked_target_the_boot_needs_is_unbootable(tmp_path: Path, unit: str, said: str) -> None:
    state = judge_root(_masked(tmp_path, unit))
    assert state.verdict is Verdict.UNBOOTABLE
    blocker = next(f for f in state.findings if f.id in _IDS)
    assert said in blocker.title and "/dev/null" in " ".join(blocker.evidence)


@pytest.mark.parametrize("unit", ["rescue.target", "emergency.target", "getty.target"])
def test_masking_what_the_boot_does_not_need_changes_nothing(tmp_path: Path, unit: str) -> None:
    state = judge_root(_masked(tmp_path, unit))
    assert not any(f.id in _IDS for f in state.findings)

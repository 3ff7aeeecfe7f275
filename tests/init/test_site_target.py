"""A site's own default target: proven when its unit pulls in multi-user (the boot oracle's
target-custom-multi-user booted to login:), unknown when nothing says it does."""

from __future__ import annotations

import shutil
from pathlib import Path

from cockpit.words import Verdict
from tests.support import judge_root

SAMPLE = Path(__file__).resolve().parents[2] / "sample_hosts/debian12-systemd"


def _site(tmp_path: Path, unit: str) -> Path:
    root = tmp_path / "root"
    shutil.copytree(SAMPLE, root, symlinks=True)
    etc = root / "etc/systemd/system"
    (etc / "site.target").write_text(unit)
    (etc / "default.target").unlink(missing_ok=True)
    (etc / "default.target").symlink_to("/etc/systemd/system/site.target")
    return root


def _stage(root: Path) -> str:
    state = judge_root(root)
    assert state.chain is not None
    return next(s.state.value for s in state.chain if s.stage.value == "init-config")


def test_requires_multi_user_is_proven(tmp_path: Path) -> None:
    unit = "[Unit]\nDescription=Site\nRequires=multi-user.target\nAllowIsolate=yes\n"
    root = _site(tmp_path, unit)
    assert judge_root(root).verdict is Verdict.BOOTABLE


def test_a_wants_link_is_proven(tmp_path: Path) -> None:
    root = _site(tmp_path, "[Unit]\nDescription=Site\nAllowIsolate=yes\n")
    wants = root / "etc/systemd/system/site.target.wants"
    wants.mkdir()
    (wants / "graphical.target").symlink_to("/lib/systemd/system/graphical.target")
    assert _stage(root) == "proven"


def test_a_target_that_pulls_nothing_known_is_unknown(tmp_path: Path) -> None:
    unit = "[Unit]\nDescription=Site\n[Install]\nWantedBy=multi-user.target\n"
    assert _stage(_site(tmp_path, unit)) == "unknown"  # [Install] pulls nothing in


def test_the_multi_user_it_pulls_in_masked_is_broken(tmp_path: Path) -> None:
    root = _site(tmp_path, "[Unit]\nRequires=multi-user.target\n")
    (root / "etc/systemd/system/multi-user.target").symlink_to("/dev/null")
    assert judge_root(root).verdict is Verdict.UNBOOTABLE

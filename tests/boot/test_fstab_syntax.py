"""fstab lines mount(8) will refuse: an unknown filesystem type or an option the
filesystem does not take. The real trees under sample_hosts/ are copied and edited; the
corpus' real fstabs must raise nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cockpit.facts.boot import FstabEntry
from cockpit.rules.boot.fstab_syntax import refused_options, unknown_type
from cockpit.words import Verdict
from tests.support import CORPUS, judge_root

SAMPLES = Path(__file__).resolve().parents[2] / "sample_hosts"
FSTABS = CORPUS / "boot/fstab"


def _tree(tmp_path: Path, sample: str, extra: str) -> Path:
    root = tmp_path / sample
    shutil.copytree(SAMPLES / sample, root, symlinks=True)
    uuid = next(
        line.split()[0]
        for line in (root / "etc/fstab").read_text().splitlines()
        if not line.startswith("#") and line.split()[1:2] == ["/"]
    )
    with (root / "etc/fstab").open("a") as fh:
        fh.write(extra.replace("ROOTFS", uuid) + "\n")
    return root


@pytest.mark.parametrize(
    "line",
    ["ROOTFS /srv ext5 defaults 0 2", "ROOTFS /srv ext4 defualts,noatime 0 2"],
)
def test_systemd_host_whose_fstab_mount_will_fail_is_unbootable(tmp_path: Path, line: str) -> None:
    state = judge_root(_tree(tmp_path, "debian12-systemd", line))
    assert state.verdict is Verdict.UNBOOTABLE
    f = next(f for f in state.findings if f.id == "boot.fstab-mount-will-fail")
    assert f.severity.value == "blocker" and f.stage is not None and f.stage.value == "mounts"


@pytest.mark.parametrize(
    "line",
    [
        "ROOTFS /srv ext4 defaults,noatime,errors=remount-ro,commit=60,x-systemd.after=a 0 2",
        "ROOTFS /srv ext5 defaults,nofail 0 2",  # nofail: the boot goes on
        "ROOTFS /srv ext5 noauto 0 0",
        "ROOTFS /srv xfs defaults,inode64,logbsize=256k 0 2",  # xfs' options: not judged
        "tmpfs /tmp tmpfs defaults,size=2G,mode=1777,nosuid,nodev 0 0",
    ],
)
def test_lines_mount_accepts_change_nothing(tmp_path: Path, line: str) -> None:
    state = judge_root(_tree(tmp_path, "debian12-systemd", line))
    assert not any(f.id == "boot.fstab-mount-will-fail" for f in state.findings), line


@pytest.mark.parametrize("line", ["ROOTFS /srv ext4 defualts 0 2", "ROOTFS /srv ext5 defaults 0 2"])
def test_sysvinit_goes_on_past_a_failed_mount(tmp_path: Path, line: str) -> None:
    """As the oracle's sysvinit typo boots showed: mountall.sh fails the line, login: comes."""
    state = judge_root(_tree(tmp_path, "debian12-sysvinit", line))
    assert state.verdict is Verdict.BOOTABLE
    f = next(f for f in state.findings if f.id == "boot.fstab-mount-will-fail")
    assert f.severity.value == "warning"


def _entries(text: str) -> list[FstabEntry]:
    out = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 4:
            opts = tuple(words[3].split(","))
            out.append(FstabEntry(line, words[0], words[1], words[2], opts, "uuid", "present", ""))
    return out


def test_real_fstabs_raise_nothing() -> None:
    files = sorted(FSTABS.glob("*.txt"))
    assert files
    for path in files:
        for e in _entries(path.read_text()):
            assert not unknown_type(e.fstype) and refused_options(e) == [], (path.name, e.line)


@pytest.mark.parametrize(
    ("passno", "verdict"), [("0", Verdict.BOOTABLE), ("2", Verdict.UNBOOTABLE)]
)
def test_sysvinit_stops_for_a_missing_disk_only_through_fsck(
    tmp_path: Path, passno: str, verdict: Verdict
) -> None:
    """The oracle's fstab-sysvinit-missing (pass 2: fsck fails, sulogin) and
    fstab-sysvinit-missing-no-fsck (pass 0: mountall.sh goes on to login:)."""
    line = f"UUID=0f3c5a7e-9b1d-4e2f-8a6b-93c1d2e4f5a6 /srv/data ext4 defaults 0 {passno}"
    assert judge_root(_tree(tmp_path, "debian12-sysvinit", line)).verdict is verdict

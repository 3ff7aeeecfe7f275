"""Bounded work, and caps that are facts (issue 12 §3, §5): one huge file costs its own
section only, a cut listing says so (state `cut`, `cut TOTAL KEPT`), and a cron file cron
runs is read whatever its name (cronie's rule; the parser applies Debian's).

Each case starts from a sample host and checks the real collector's sections, then the
engine's verdict, which the cut must make unknown, never "none" and never a blocker."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from cockpit.probes import ALL_PROBES
from tests.support import SAMPLES, judge_root, run_probes

INCIDENT_AT = "2011-09-29T23:00:00-05:00"


def _copy(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(SAMPLES / name, root, symlinks=True)
    return root


def _sparse(path: Path, size: int = 2 << 30) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.truncate(size)  # NULs, no line end, no disk used


def test_a_2gb_crontab_costs_its_own_section_not_the_verdict(tmp_path: Path) -> None:
    """The incident host with a 2 GB sparse /etc/crontab: awk once read the whole NUL
    "line" and the host became "UNKNOWN: collector did not finish". Now the read is capped
    before any tool sees it: still UNBOOTABLE, root's 03:15 reboot still armed."""
    root = _copy("weblogs-2011", tmp_path)
    _sparse(root / "etc/crontab")
    _sparse(root / "etc/fstab")
    _sparse(root / "etc/ld.so.conf")
    _sparse(root / "boot/grub/grub.conf")
    started = time.monotonic()
    state = judge_root(root, INCIDENT_AT)
    assert time.monotonic() - started < 20
    assert state.verdict == "unbootable"
    assert state.next_reboot is not None
    assert state.next_reboot.at.isoformat() == "2011-09-30T03:15:00-05:00"


def test_huge_files_everywhere_stay_within_the_bound(shell: str, tmp_path: Path) -> None:
    root = _copy("debian12-systemd", tmp_path)
    for rel in (
        "etc/crontab",
        "etc/cron.d/huge",
        "etc/cron.daily/huge",
        "var/spool/cron/crontabs/root",
        "var/lib/dpkg/status",
        "etc/fstab",
        "etc/inittab",
        "boot/grub/grub.cfg",
        "etc/ld.so.conf.d/huge.conf",
        "etc/default/grub",
        "etc/init.d/huge",
    ):
        (root / rel).unlink(missing_ok=True)
        _sparse(root / rel)
    started = time.monotonic()
    s = run_probes(ALL_PROBES, shell, root)
    assert time.monotonic() - started < 30
    assert s["reboots.crontab"].truncated and s["boot.fstab"].truncated


def test_more_cron_d_files_than_the_cap_is_said_and_makes_reboots_unknown(
    tmp_path: Path,
) -> None:
    root = _copy("weblogs-2011", tmp_path)
    crond = root / "etc/cron.d"
    crond.mkdir()
    for i in range(249):
        (crond / f"job{i:03d}").write_text(f"# job {i}\n")
    (crond / "zz-reboot").write_text("30 2 * * * root /sbin/reboot\n")  # the 250th
    s = run_probes(ALL_PROBES, "dash", root)
    listing = s["reboots.crond"]
    assert listing.state == "cut"
    assert listing.text.splitlines()[-1] == "cut 250 200"
    state = judge_root(root, INCIDENT_AT)
    assert "reboots.crontab-unreadable" in {f.id for f in state.findings}  # unknown, said


def test_a_spool_with_more_files_than_the_cap_is_said(tmp_path: Path) -> None:
    root = _copy("debian12-systemd", tmp_path)
    spool = root / "var/spool/cron/crontabs"
    spool.mkdir(parents=True, exist_ok=True)
    for i in range(210):
        (spool / f"user{i:03d}").write_text("0 1 * * * true\n")
    listing = run_probes(ALL_PROBES, "dash", root)["reboots.spool.crontabs"]
    assert (listing.state, listing.text.splitlines()[-1]) == ("cut", "cut 210 200")


def test_a_cut_boot_listing_is_unknown_never_a_missing_kernel(tmp_path: Path) -> None:
    """More than 400 entries in /boot: the kernel sorted after the cut once read as
    missing, a false UNBOOTABLE. Now the listing says it was cut and nothing is judged
    missing from it."""
    root = _copy("debian12-systemd", tmp_path)
    at = (SAMPLES / "debian12-systemd/AT").read_text().strip()
    before = judge_root(root, at)
    for i in range(450):
        (root / "boot" / f"a-filler-{i:03d}").write_text("x")
    s = run_probes(ALL_PROBES, "dash", root)
    assert s["boot.ls:/boot"].state == "cut"
    assert s["boot.ls:/boot"].text.splitlines()[-1] == "cut 455 400"
    after = judge_root(root, at)
    assert after.verdict != "unbootable"
    blockers = {f.id for f in after.findings if f.severity.name == "BLOCKER"}
    assert blockers <= {f.id for f in before.findings if f.severity.name == "BLOCKER"}


def test_cron_files_cronie_runs_are_read_whatever_their_name(shell: str, tmp_path: Path) -> None:
    """cronie (src/database.c, not_a_crontab) skips only names starting with '.' or '#',
    ending in '~', '.rpmsave', '.rpmorig', '.rpmnew': a name with a space or non-ASCII
    bytes is run, so it is read. Debian's cron runs only [A-Za-z0-9_-]+ names (cron(8),
    DEBIAN SPECIFIC): the parser applies that rule on Debian hosts, not the collector.
    A name that cannot be framed (a control character) is left out and said (`cut`)."""
    root = _copy("fedora40-bls-reboot-scheduled", tmp_path)
    crond = root / "etc/cron.d"
    (crond / "nightly reboot").write_text("10 4 * * * root /sbin/reboot\n")
    (crond / "r\xe9boot").write_text("20 4 * * * root /sbin/reboot\n")
    (crond / "evil\nname").write_text("30 4 * * * root /sbin/reboot\n")
    s = run_probes(ALL_PROBES, shell, root)
    assert "10 4 * * *" in s["reboots.crond:/etc/cron.d/nightly reboot"].text
    assert any("20 4 * * *" in sec.text for n, sec in s.items() if n.startswith("reboots.crond:"))
    listing = s["reboots.crond"]
    assert listing.state == "cut" and listing.text.splitlines()[-1].startswith("cut ")
    at = (SAMPLES / "fedora40-bls-reboot-scheduled/AT").read_text().strip()
    state = judge_root(root, at)
    jobs = {e for f in state.findings for e in f.evidence}
    assert any("nightly reboot" in e for e in jobs)

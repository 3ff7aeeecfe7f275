"""Offline roots (a broken VM's disk): the actions edit files under the root, and the real
engine re-judges the result. weblogs-2011 is the incident host."""

from __future__ import annotations

import asyncio
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from cockpit.actions import Offer, execute, offers_for, prepare
from cockpit.actions.apply import Plan
from cockpit.hostspec import HostSpec
from cockpit.state import HostState
from cockpit.transports import OfflineRootTransport
from tests.support import SAMPLES, judge_root
from tests.support_log import MemoryLog

INCIDENT_AT = "2011-09-29T23:00:00-05:00"
SPOOL = "var/spool/cron/crontabs/root"


def _copy(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(SAMPLES / name, root, symlinks=True)
    return root


def _transport(root: Path) -> OfflineRootTransport:
    return OfflineRootTransport(HostSpec(name=root.name, kind="offline", root=str(root)))


def _act(root: Path, offer: Offer, log: MemoryLog, reason: str = "unbootable") -> Plan:
    t = _transport(root)
    at = datetime.fromisoformat("2011-09-29T23:05:00-05:00")
    plan = asyncio.run(prepare(t, offer, at, "jh", reason))
    assert plan.ok, plan.message
    result = asyncio.run(execute(t, plan, log))
    assert result.ok, result.message
    return plan


def _only(state: HostState, kind: str) -> Offer:
    found = [o for o in offers_for(state) if o.kind == kind]
    assert len(found) == 1, offers_for(state)
    return found[0]


def test_incident_host_disarmed_stays_unbootable_then_rearms_byte_for_byte(
    tmp_path: Path, log: MemoryLog
) -> None:
    root = _copy("weblogs-2011", tmp_path)
    original = (root / SPOOL).read_bytes()
    state = judge_root(root, INCIDENT_AT)
    assert state.verdict == "unbootable" and state.next_reboot is not None
    offer = _only(state, "disarm-cron")
    assert offer.path == "/var/spool/cron/crontabs/root" and offer.spool_user == "root"
    assert offer.when is not None and offer.when.isoformat() == "2011-09-30T03:15:00-05:00"

    plan = _act(root, offer, log, "no /sbin/init")
    assert plan.before_line == "15 3 * * * /sbin/shutdown -r now"
    assert plan.after_line.startswith("# cockpit: disarmed 2011-09-29T23:05:00-05:00 by jh: ")

    after = judge_root(root, INCIDENT_AT)
    assert after.verdict == "unbootable"  # disarming is not fixing
    assert after.next_reboot is None
    assert "verdict.reboot-armed-while-unbootable" not in {f.id for f in after.findings}
    assert [o.kind for o in offers_for(after)] == ["rearm-cron"]

    _act(root, _only(after, "rearm-cron"), log)
    assert (root / SPOOL).read_bytes() == original
    again = judge_root(root, INCIDENT_AT)
    assert again.next_reboot is not None and again.verdict == "unbootable"
    assert [a["kind"] for a in log.actions] == ["disarm-cron", "rearm-cron"]
    assert log.actions[0]["before"] == original.decode()
    assert log.actions[1]["after"] == original.decode()
    assert log.actions[0]["h"] == "weblogs-2011" and all(a["ok"] for a in log.actions)


def test_a_file_changed_since_the_refresh_is_refused_with_the_difference(
    tmp_path: Path, log: MemoryLog
) -> None:
    root = _copy("weblogs-2011", tmp_path)
    state = judge_root(root, INCIDENT_AT)
    offer = _only(state, "disarm-cron")
    with (root / SPOOL).open("a") as f:
        f.write("0 4 * * * /usr/local/bin/backup\n")
    plan = asyncio.run(prepare(_transport(root), offer))
    assert not plan.ok and "changed since the refresh" in plan.message
    assert "+0 4 * * * /usr/local/bin/backup" in plan.diff
    result = asyncio.run(execute(_transport(root), plan, log))
    assert not result.ok and result.refused and log.actions == []


def test_a_change_between_plan_and_write_is_refused_on_the_host(
    tmp_path: Path, log: MemoryLog
) -> None:
    root = _copy("weblogs-2011", tmp_path)
    offer = _only(judge_root(root, INCIDENT_AT), "disarm-cron")
    plan = asyncio.run(prepare(_transport(root), offer, None, "jh", "x"))
    assert plan.ok
    (root / SPOOL).write_text("# emptied by someone else\n")
    result = asyncio.run(execute(_transport(root), plan, log))
    assert not result.ok and result.refused
    assert "+# emptied by someone else" in result.diff
    assert (root / SPOOL).read_text() == "# emptied by someone else\n"
    assert log.actions[0]["ok"] is False  # the attempt is on the record


def test_cron_d_atomic_write_keeps_owner_and_mode(tmp_path: Path, log: MemoryLog) -> None:
    root = _copy("weblogs-2011", tmp_path)
    crond = root / "etc/cron.d"
    crond.mkdir()
    job = crond / "nightly"
    raw = b"# odd file\r\nMAILTO=ops\r\n\r\n30  2 * * *\troot   /sbin/reboot\r\n# tail, no newline"
    job.write_bytes(raw)
    os.chown(job, 1234, 2345)
    job.chmod(0o640)
    inode = job.stat().st_ino
    state = judge_root(root, INCIDENT_AT)
    offer = next(o for o in offers_for(state) if o.path == "/etc/cron.d/nightly")
    assert offer.kind == "disarm-cron" and offer.system and offer.spool_user is None
    _act(root, offer, log)
    st = job.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (1234, 2345, 0o640)
    assert st.st_ino != inode  # renamed into place, not rewritten in place
    assert [p.name for p in crond.iterdir()] == ["nightly"]  # no temp file left
    assert b"# cockpit: disarmed" in job.read_bytes()
    assert all(a.path != "/etc/cron.d/nightly" for a in _armed(root))
    rearm = next(o for o in offers_for(judge_root(root, INCIDENT_AT)) if o.kind == "rearm-cron")
    _act(root, rearm, log)
    assert job.read_bytes() == raw
    assert (job.stat().st_uid, job.stat().st_mode & 0o7777) == (1234, 0o640)


def _armed(root: Path) -> list[Offer]:
    return [o for o in offers_for(judge_root(root, INCIDENT_AT)) if o.kind.startswith("disarm")]


def test_cron_daily_script_loses_and_regains_its_execute_bit(
    tmp_path: Path, log: MemoryLog
) -> None:
    root = _copy("weblogs-2011", tmp_path)
    script = root / "etc/cron.daily/nightly-reboot"
    script.write_text("#!/bin/sh\n/sbin/shutdown -r now\n")
    script.chmod(0o750)
    offer = next(o for o in _armed(root) if o.path == "/etc/cron.daily/nightly-reboot")
    assert offer.kind == "disarm-script"
    plan = _act(root, offer, log)
    assert (plan.before_line, plan.after_line) == ("mode 0750", "mode 0640")
    assert script.stat().st_mode & 0o7777 == 0o640
    after = judge_root(root, INCIDENT_AT)
    assert all(o.path != "/etc/cron.daily/nightly-reboot" for o in _armed(root))
    _act(root, _only(after, "rearm-script"), log)
    assert script.stat().st_mode & 0o7777 == 0o750
    assert log.actions[1]["after"] == "mode 0750"


def test_offline_at_job_is_removed_from_the_spool(tmp_path: Path, log: MemoryLog) -> None:
    root = _copy("weblogs-2011", tmp_path)
    spool = root / "var/spool/cron/atjobs"
    spool.mkdir(parents=True)
    minutes = int(datetime.fromisoformat("2011-09-30T02:00:00-05:00").timestamp()) // 60
    job = spool / f"a00007{minutes:08x}"
    job.write_text("#!/bin/sh\ncd /root || exit 1\n/sbin/reboot\n")
    job.chmod(0o700)
    state = judge_root(root, INCIDENT_AT)
    offer = _only(state, "atrm")
    assert offer.job == 7
    assert state.next_reboot is not None and state.next_reboot.source == "at job 7"
    _act(root, offer, log)
    assert not job.exists()
    assert judge_root(root, INCIDENT_AT).next_reboot.source == "root's crontab"  # type: ignore[union-attr]
    assert log.actions[0]["after"] == "" and "/sbin/reboot" in log.actions[0]["before"]


def test_offline_systemd_schedule_file_is_removed(tmp_path: Path, log: MemoryLog) -> None:
    root = _copy("fedora40-bls-reboot-scheduled", tmp_path)
    at = (SAMPLES / "fedora40-bls-reboot-scheduled/AT").read_text().strip()
    state = judge_root(root, at)
    assert state.next_reboot is not None
    offer = _only(state, "cancel-shutdown")
    assert "remove the leftover file" in offer.title
    _act(root, offer, log)
    assert not (root / "run/systemd/shutdown/scheduled").exists()
    assert judge_root(root, at).next_reboot is None


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.iterdir() if (p / "AT").exists()))
def test_every_sample_offers_only_what_it_arms(name: str) -> None:
    at = (SAMPLES / name / "AT").read_text().strip()
    state = judge_root(SAMPLES / name, at)
    offers = offers_for(state)
    disarms = [o for o in offers if not o.kind.startswith("rearm")]
    assert (state.next_reboot is None) == (disarms == [])
    assert all(o.seen is not None for o in offers)


def test_anacrontab_line_round_trip(tmp_path: Path, log: MemoryLog) -> None:
    root = _copy("weblogs-2011", tmp_path)
    tab = root / "etc/anacrontab"
    raw = b"SHELL=/bin/sh\n# period delay id command\n7\t10\tweekly.reboot\t/sbin/shutdown -r now"
    tab.write_bytes(raw)
    offer = next(o for o in _armed(root) if o.path == "/etc/anacrontab")
    assert offer.anacron
    _act(root, offer, log)
    assert all(o.path != "/etc/anacrontab" for o in _armed(root))
    rearm = next(o for o in offers_for(judge_root(root, INCIDENT_AT)) if o.kind == "rearm-cron")
    _act(root, rearm, log)
    assert tab.read_bytes() == raw

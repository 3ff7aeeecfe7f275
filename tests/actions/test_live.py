"""Live hosts with the real tools: Debian's `crontab` locally and over the real loopback
sshd (with `sudo -n`), and a real at job removed with `atrm`.

The jobs belong to a throw-away user made here (never root's or anyone's real crontab:
other work shares this machine); cron and atd are not running, and a non-root
`shutdown -r` could not reboot anyway.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cockpit.actions import Offer, execute, offers_for, prepare
from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.transports import LocalTransport, Transport, collect
from cockpit.transports.ssh import SshTransport
from tests.ssh.conftest import Sshd
from tests.support_log import MemoryLog

USER = "cockpit-act"
SPOOL = f"/var/spool/cron/crontabs/{USER}"
BODY = '# the nightly reboot, user spool\nMAILTO=""\n\n15  3 * * *\t/sbin/shutdown -r now\n# end\n'


@pytest.fixture
def user_crontab() -> object:
    if shutil.which("crontab") is None:
        pytest.fail("Debian's cron is not installed (apt-get install cron)")
    if subprocess.run(["id", USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "-M", "-d", "/", "-s", "/bin/sh", USER], check=True)
    subprocess.run(["crontab", "-u", USER, "-"], input=BODY.encode(), check=True)
    yield
    subprocess.run(["crontab", "-u", USER, "-r"], capture_output=True)


def _listed() -> str:
    return subprocess.run(
        ["crontab", "-u", USER, "-l"], capture_output=True, text=True, check=True
    ).stdout


async def _offer(transport: Transport, kind: str, path: str) -> Offer:
    state = judge_snapshot(await collect(transport))
    found = [o for o in offers_for(state) if o.kind == kind and o.path == path]
    assert len(found) == 1, [(o.kind, o.path) for o in offers_for(state)]
    return found[0]


async def _disarm_and_rearm(transport: Transport, log: MemoryLog) -> None:
    offer = await _offer(transport, "disarm-cron", SPOOL)
    assert offer.spool_user == USER and offer.mode == "live"
    plan = await prepare(transport, offer, None, "jh", "test")
    assert plan.ok, plan.message
    assert plan.before == BODY  # what `crontab -l` shows: cron's own header is not ours
    result = await execute(transport, plan, log)
    assert result.ok, result.message
    listed = _listed()
    assert "# cockpit: disarmed " in listed and listed.count("\n") == BODY.count("\n")
    assert result.after == listed
    st = Path(SPOOL).stat()
    assert (st.st_mode & 0o777, Path(SPOOL).owner()) == (0o600, USER)  # crontab's own doing
    rearm = await _offer(transport, "rearm-cron", SPOOL)
    plan = await prepare(transport, rearm)
    result = await execute(transport, plan, log)
    assert result.ok, result.message
    assert _listed() == BODY
    assert [a["kind"] for a in log.actions] == ["disarm-cron", "rearm-cron"]
    assert log.actions[0]["before"] == BODY == log.actions[1]["after"]


async def test_user_crontab_through_the_real_crontab_command(
    user_crontab: object, log: MemoryLog
) -> None:
    await _disarm_and_rearm(LocalTransport(HostSpec(name="here", kind="local")), log)


async def test_user_crontab_over_the_real_sshd_with_sudo(
    sshd: Sshd, user_crontab: object, log: MemoryLog
) -> None:
    pool = sshd.pool()
    try:
        await _disarm_and_rearm(SshTransport(sshd.spec("over-ssh", sudo=True), pool), log)
        assert pool.info(sshd.spec("over-ssh", sudo=True)).connects == 1  # one connection
    finally:
        await pool.close()
    assert "Accepted publickey for root" in sshd.log_text()


async def test_live_edit_refused_when_crontab_changed_after_the_refresh(
    user_crontab: object, log: MemoryLog
) -> None:
    transport = LocalTransport(HostSpec(name="here", kind="local"))
    offer = await _offer(transport, "disarm-cron", SPOOL)
    plan = await prepare(transport, offer, None, "jh", "x")
    subprocess.run(["crontab", "-u", USER, "-"], input=(BODY + "0 1 * * * true\n").encode())
    result = await execute(transport, plan, log)
    assert result.refused and not result.ok
    assert "+0 1 * * * true" in result.diff
    assert "# cockpit" not in _listed()


async def test_a_real_at_job_removed_with_atrm(log: MemoryLog) -> None:
    if shutil.which("at") is None:
        pytest.fail("at is not installed (apt-get install at)")
    if subprocess.run(["id", USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "-M", "-d", "/", "-s", "/bin/sh", USER], check=True)
    made = subprocess.run(
        ["su", USER, "-s", "/bin/sh", "-c", "at now + 400 days"],
        input="/sbin/shutdown -r now\n", capture_output=True, text=True, check=True,
    )  # fmt: skip
    job = int(made.stderr.split("job ", 1)[1].split()[0])  # "job 7 at Sun Jan  2 ..."
    try:
        transport = LocalTransport(HostSpec(name="here", kind="local"))
        state = judge_snapshot(await collect(transport))
        offer = next(o for o in offers_for(state) if o.kind == "atrm" and o.job == job)
        plan = await prepare(transport, offer)
        assert plan.ok, plan.message
        result = await execute(transport, plan, log)
        assert result.ok, result.message
        queue = subprocess.run(["atq"], capture_output=True, text=True).stdout
        assert not any(line.split()[:1] == [str(job)] for line in queue.splitlines())
        assert not Path(offer.path).exists()
        assert log.actions[0]["kind"] == "atrm"
        assert "/sbin/shutdown -r now" in log.actions[0]["before"]
    finally:
        subprocess.run(["atrm", str(job)], capture_output=True)

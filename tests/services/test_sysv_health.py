"""Health now on sysvinit: the runlevel utmp records, and daemons dead with their pid file.

A healthy sysvinit host used to read UNKNOWN ("no cheap health signal for PID 1"), so
`cockpit check` exited 3 on it. `runlevel` output is as runlevel(8) prints it ("N 2":
previous and current level); the corpus holds a real "unknown" (no utmp record).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from cockpit.collector import build_script, split_output
from cockpit.facts.services import Runtime
from cockpit.parsers.services import parse, sysv_runtime
from cockpit.probes.pidfiles import PROBES
from cockpit.rules.finding import Severity
from cockpit.rules.services.runtime import runtime_findings
from cockpit.snapshot import Section
from tests.services._run import facts
from tests.support import corpus, sections_from

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def _runtime(runlevel: str | tuple[str, str], pidfiles: str | None = None) -> Runtime:
    named: dict[str, str | tuple[str, str]] = {
        "services.sd.booted": "no\n",
        "init.runlevel": runlevel,
    }
    if pidfiles is not None:
        named["services.pidfiles"] = pidfiles
    return parse(sections_from(named)).runtime


def _findings(rt: Runtime):  # type: ignore[no-untyped-def]
    from cockpit.facts.services import ServiceFacts

    f = facts(ServiceFacts(runtime=rt), boot="sysvinit", running="sysvinit", mode="live")
    return {x.id: x for x in runtime_findings(f)}


def test_healthy_sysvinit_host_is_ok_not_unknown() -> None:
    rt = _runtime("N 2\n", "alive 612 /run/sshd.pid\nalive 540 /run/crond.pid\n")
    assert (rt.source, rt.state, rt.system_state, rt.failed) == ("sysvinit", "ok", "runlevel 2", ())
    assert _findings(rt) == {}


def test_crashed_daemon_is_a_warning() -> None:
    rt = _runtime(
        "N 2\n",
        "alive 612 /run/sshd.pid\ndead 540 /run/crond.pid\ndead 77 /run/sm-notify.pid\n",
    )
    assert rt.failed == ("crond",)  # sm-notify exits on purpose and keeps its pid file
    found = _findings(rt)
    assert set(found) == {"services.failed"}
    assert found["services.failed"].severity is Severity.WARNING
    assert "/run/crond.pid: pid 540 is gone (LSB status 1)" in found["services.failed"].evidence


@pytest.mark.parametrize(
    ("level", "fid", "severity"),
    [
        ("1 S", "services.single-user", Severity.CRITICAL),
        ("2 6", "services.going-down", Severity.WARNING),
    ],
)
def test_single_user_and_going_down(level: str, fid: str, severity: Severity) -> None:
    found = _findings(_runtime(level + "\n", ""))
    assert set(found) == {fid} and found[fid].severity is severity


def test_no_utmp_record_is_unknown() -> None:
    text = corpus("init/runlevel/runlevel-unknown-local.txt")
    rt = _runtime(("error", text))
    assert (rt.source, rt.state) == ("sysvinit", "error")
    assert set(_findings(rt)) == {"services.state-unknown"}


def test_offline_runlevel_section_says_nothing() -> None:
    rt = sysv_runtime(Section("init.runlevel", "offline"), Section("services.pidfiles", "missing"))
    assert rt.state == "offline"
    from cockpit.facts.services import ServiceFacts

    f = facts(ServiceFacts(runtime=rt), boot="sysvinit", running="sysvinit", mode="offline")
    assert runtime_findings(replace(f)) == []


def test_totality() -> None:
    for text in ("", "N", "x y z", "N 22", "\x00\x01"):
        rt = _runtime(text, "dead\nalive x\n\x00 - -\n")
        assert rt.source == "sysvinit"


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None, reason="needs root")
def test_probe_reads_pid_files_in_a_private_run(shell: str) -> None:
    """The live probe on this machine, with a tmpfs over /run in a private mount
    namespace (this machine's /run is neither read nor written)."""
    dead = next(p for p in range(4000000, 4100000) if not os.path.exists(f"/proc/{p}"))
    setup = (
        "mount -t tmpfs cockpit-test /run && mkdir /run/sub && echo $$ >/run/alive.pid && "
        f"echo {dead} >/run/dead.pid && echo ' {dead} ' >/run/sub/spaced.pid && "
        ": >/run/empty.pid && exec " + shell + " -s"
    )
    built = build_script(list(PROBES), mode="live")
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", setup],
        input=built.script.encode(),
        capture_output=True,
        timeout=60,
    )
    sections = split_output(done.stdout, built.boundary).sections
    lines = sorted(sections["services.pidfiles"].text.splitlines())
    assert lines[0].startswith("alive ") and lines[0].endswith(" /run/alive.pid")
    assert lines[1:] == [
        "bad - /run/empty.pid",
        f"dead {dead} /run/dead.pid",
        f"dead {dead} /run/sub/spaced.pid",
    ]


def test_openrc_under_sysvinit_counts_lsb_daemons_by_pid_file() -> None:
    """Debian's LSB scripts under OpenRC start daemons with dpkg's start-stop-daemon,
    so `rc-status --crashed` never names them: their pid files do."""
    rt = parse(
        sections_from(
            {
                "services.sd.booted": "no\n",
                "services.orc.started": "l . cron\nl . ssh\n",
                "services.orc.failed": "",
                "services.orc.crashed": "",
                "init.openrc.softlevel": "default\n",
                "services.pidfiles": "alive 612 /run/sshd.pid\ndead 540 /run/crond.pid\n",
            }
        )
    ).runtime
    assert (rt.source, rt.system_state, rt.crashed) == ("openrc", "runlevel default", ("crond",))
    found = _findings(rt)
    assert set(found) == {"services.crashed"}
    assert "/run/crond.pid: pid 540 is gone (LSB status 1)" in found["services.crashed"].evidence

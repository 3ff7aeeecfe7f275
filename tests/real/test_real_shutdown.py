"""`shutdown -r +90` with the real sysvinit and OpenRC binaries: found, with its time.

Safety first: the real `shutdown` (sysvinit-core) and `openrc-shutdown` (openrc) of a
private copy of a cached root run under `unshare --pid --fork --mount` and `chroot`:
their PID 1 is the namespace's shell, their /run and /proc are the copy's (a procfs of the
new PID namespace, mounted in the private mount namespace), so the /run/initctl or
/run/openrc/init.ctl they would write to at expiry, and any signal to PID 1, stay inside.
They never get there: the collector runs seconds after they start, and when the
namespace's PID 1 exits the kernel kills every process in it. Nothing here can reach this
machine's init.

The collector runs in LIVE mode inside the same chroot and namespace, as on a host where
the admin typed the command: it reads the waiting process's pid file, /proc/PID/cmdline
and /proc/PID/stat, and the expectation is the process's own start time (taken from the
same /proc entry by this test) plus the minutes the tool counts (sysvinit src/shutdown.c,
openrc src/openrc-shutdown/openrc-shutdown.c).
"""

from __future__ import annotations

import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cockpit.collector import build_script, split_output
from cockpit.parsers.reboots import parse
from cockpit.probes.reboots import PROBES
from cockpit.rules.reboots.schedule import shutdown_at

pytestmark = pytest.mark.real

NAMESPACES = ("unshare", "--pid", "--fork", "--mount", "--propagation", "private")
_PROBES = [p for p in PROBES if p.name in ("reboots.shutdown", "reboots.shutdown.time")]


def run_in_namespace(root: Path, command: str) -> tuple[dict, float]:  # type: ignore[type-arg]
    """Start `command` (backgrounded) in a chroot in private PID and mount namespaces,
    wait until its pid file appears, then run the collector there in live mode."""
    built = build_script(_PROBES, mode="live")
    inner = (
        "mount -t proc proc /proc || exit 97\n"
        f"{command} </dev/null >/dev/null 2>&1 &\n"
        "i=0; while [ ! -s /run/shutdown.pid ] && [ ! -s /run/openrc-shutdown.pid ]; do\n"
        '  i=$((i+1)); [ "$i" -lt 50 ] || exit 98; sleep 0.1; done\n'
        "exec sh -s\n"
    )
    before = time.time()
    done = subprocess.run(
        [*NAMESPACES, "chroot", str(root), "/bin/sh", "-c", inner],
        input=built.script.encode(),
        capture_output=True,
        timeout=60,
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "TZ": "UTC"},
        check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    result = split_output(done.stdout, built.boundary)
    assert result.complete, result.issues
    return dict(result.sections.by_name), before


@pytest.mark.parametrize(
    ("variant", "command", "source", "minutes"),
    [
        ("sysvinit", "/sbin/shutdown -r +90", "sysvinit shutdown", 90),
        ("sysvinit", "/sbin/shutdown -r +5 maintenance", "sysvinit shutdown", 5),
        ("openrc", "/usr/sbin/openrc-shutdown -r +90", "openrc-shutdown", 90),
    ],
)
def test_waiting_shutdown_has_its_time(
    make_root, variant: str, command: str, source: str, minutes: int
) -> None:
    root = make_root(variant)
    by_name, before = run_in_namespace(root, command)
    from cockpit.snapshot import Sections

    facts = parse(Sections(by_name))
    (sd,) = [s for s in facts.shutdowns if s.source == source]
    assert sd.live and sd.kind == "reboot"
    assert sd.started is not None
    # the process started after `before` (and within the few seconds the setup took)
    assert before - 1 <= sd.started <= before + 10, (before, sd.started, sd.evidence)
    now = datetime.now(timezone.utc)
    at = shutdown_at(sd.when, sd.epoch, now, sd.started)
    assert at is not None
    want = datetime.fromtimestamp(sd.started, tz=timezone.utc) + timedelta(minutes=minutes)
    assert at == want
    assert timedelta(minutes=minutes - 1) < at - now <= timedelta(minutes=minutes)
    # 5 minutes or less: logins are refused from the start (sysvinit's donologin)
    assert bool(facts.nologin) is (minutes <= 5), (facts.nologin, sd.evidence)


def test_hhmm_counts_from_the_start_minute(make_root) -> None:
    """`shutdown -r HH:MM` waits (HH:MM - start's HH:MM) minutes, in the host's zone
    (the chroot's /etc/localtime is UTC, and TZ=UTC for good measure)."""
    root = make_root("sysvinit")
    target = (datetime.now(timezone.utc) + timedelta(hours=3)).strftime("%H:%M")
    by_name, _ = run_in_namespace(root, f"/sbin/shutdown -r {target}")
    from cockpit.snapshot import Sections

    (sd,) = parse(Sections(by_name)).shutdowns
    assert sd.when == target and sd.started is not None
    start = datetime.fromtimestamp(sd.started, tz=timezone.utc)
    at = shutdown_at(sd.when, sd.epoch, datetime.now(timezone.utc), sd.started)
    assert at is not None
    assert at.strftime("%H:%M") == target
    assert at.second == start.second  # minutes counted from the start, 60 s each

"""cockpit against a live VM, the two ways an admin meets it: the real `cockpit check`
command line (exit code and JSON), and the app's own path in-process (the SSH transport's
pool, the engine's HostState, the actions and the quit decision fed with it).

Both verify the guest's host key against the known_hosts file the test wrote, through the
same ssh config an admin would have (~/.ssh/config and known_hosts under the VM's HOME).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cockpit.actions import apply
from cockpit.actions.offers import Offer, offers_for
from cockpit.cli.check import check_host
from cockpit.engine import judge_snapshot
from cockpit.recording import NullLog, open_recording
from cockpit.recording.events import SnapshotEvent
from cockpit.rules.finding import ArmedReboot
from cockpit.rules.reboots import armed
from cockpit.state import HostState
from cockpit.transports.base import HostSpec
from cockpit.transports.ssh import SshOptions, SshPool, SshTransport
from tests.live.vm import Vm
from tests.support import REPO

CHECK_TIMEOUT = 240  # s: python start + ssh + the collector under TCG on a loaded machine


def cli_check(vm: Vm, record: Path | None = None) -> dict[str, Any]:
    """`cockpit check <alias> --format json`, HOME = the VM's: its ssh config resolves the
    alias, its known_hosts holds the guest's key. The host's JSON, plus `exit`. With
    `record`, the run is recorded there too (`--record`): see `recorded_state`."""
    extra = ["--record", str(record)] if record else []
    proc = subprocess.run(
        [sys.executable, "-m", "cockpit", "check", vm.name, "--format", "json",
         "--timeout", "120", *extra],
        capture_output=True, text=True, cwd=REPO, env=vm.env(), timeout=CHECK_TIMEOUT,
        check=False,
    )  # fmt: skip
    if not proc.stdout:
        raise AssertionError(f"cockpit check printed nothing (exit {proc.returncode}): "
                             f"{proc.stderr[-2000:]}")  # fmt: skip
    host: dict[str, Any] = json.loads(proc.stdout)["hosts"][0]
    host["exit"] = proc.returncode
    return host


def recorded_state(record: Path) -> HostState:
    """The HostState of the one snapshot `cockpit check --record` wrote, judged again as
    the app's replay judges it: the very bytes the command line judged, without a second
    collector run (each costs 5-20 s of emulated CPU)."""
    events = [e for e in open_recording(record).events() if isinstance(e, SnapshotEvent)]
    assert len(events) == 1, events
    return judge_snapshot(events[0].snapshot)


def capture(record: Path, out: Path, note: str) -> None:
    """The recorded snapshot's raw sections as a fixture (tests/since_boot/helpers.py)."""
    events = [e for e in open_recording(record).events() if isinstance(e, SnapshotEvent)]
    snap = events[-1].snapshot
    sections = {
        n: {"state": s.state, "rc": s.rc, "text": s.text, "truncated": s.truncated,
            "probe": s.probe}
        for n, s in snap.sections.by_name.items()
    }  # fmt: skip
    data = {"captured": note, "host": snap.host, "started": snap.started.isoformat(),
            "sections": sections}  # fmt: skip
    out.write_text(json.dumps(data, indent=1) + "\n")


def _options(vm: Vm) -> SshOptions:
    return SshOptions(
        known_hosts=(str(vm.known_hosts),),
        config=(str(vm.home / ".ssh/config"),),
        client_keys=(str(vm.key),),
        connect_timeout=30.0,
        login_timeout=60.0,
    )


def spec(vm: Vm) -> HostSpec:
    return HostSpec(name=vm.name, kind="ssh", address="127.0.0.1", port=vm.port, user="root")


def live_state(vm: Vm) -> HostState:
    """The HostState the app holds for this VM after one refresh (same pool and engine)."""

    async def run() -> HostState:
        pool = SshPool(_options(vm))
        try:
            return await check_host(spec(vm), None, pool, timeout=120.0)
        finally:
            await pool.close()

    state = asyncio.run(run())
    assert state.reachable, f"{vm.name}: {state.error_category}: {state.error}"
    return state


def armed_now(state: HostState) -> list[ArmedReboot]:
    """Every armed reboot the rules see (the verdict shows only the soonest)."""
    assert state.facts is not None and state.host_time is not None
    return armed(state.facts, state.host_time)


def run_offer(vm: Vm, offer: Offer) -> apply.ActionResult:
    """An action as the app runs it: prepare (fresh read, plan), then execute."""

    async def run() -> apply.ActionResult:
        pool = SshPool(_options(vm))
        try:
            transport = SshTransport(spec(vm), pool)
            plan = await apply.prepare(transport, offer, user="tests/live")
            assert plan.ok, f"{offer.title}: {plan.message}\n{plan.diff}"
            return await apply.execute(transport, plan, NullLog())
        finally:
            await pool.close()

    return asyncio.run(run())


def offer(state: HostState, kind: str) -> Offer:
    found = [o for o in offers_for(state) if o.kind == kind]
    assert found, f"no {kind} offered; offers: {[o.title for o in offers_for(state)]}"
    return found[0]


def guest_now(vm: Vm) -> datetime:
    """The guest's clock, as an aware datetime (its zone is UTC in these roots)."""
    epoch = int(vm.ssh("date +%s").strip())
    return datetime.fromtimestamp(epoch).astimezone()


def near(at: datetime | str | None, want: datetime, slack: timedelta) -> bool:
    if at is None:
        return False
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    return abs(when.timestamp() - want.timestamp()) <= slack.total_seconds()


def stages(host: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["stage"]: s for s in host["boot_chain"]}


def findings(host: dict[str, Any] | HostState) -> dict[str, str]:
    """finding id -> severity (JSON host or HostState)."""
    if isinstance(host, HostState):
        return {f.id: f.severity.value for f in host.findings}
    return {f["id"]: f["severity"] for f in host["findings"]}

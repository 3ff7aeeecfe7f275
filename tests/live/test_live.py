"""Live VMs of each init, checked with the real `cockpit check` over real SSH and with the
app's own path (HostState, actions, quit decision), against a real PID 1.

The truth in each test is what the guest itself says or does: `shutdown -r +90` run on it,
its own crontab and at queue, a unit that really failed, a dpkg really waiting in a
maintainer script, and at the end a real reboot whose console and SSH port show whether
the host came back.

A check costs 5-20 s under TCG (the collector runs on an emulated CPU), so the tests are
grouped in scenes: a scene sets several real things up on the VM at once and takes ONE
state of it; each test asserts one claim on that state. Scenes run in file order on one VM
(see conftest), each undoing what it did; the incident, which leaves the VM unable to
boot, is the last.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from cockpit.actions.apply import ActionResult
from cockpit.rules.chain.model import Stage, StageState
from cockpit.state import HostState
from cockpit.ui.quit_decision import REFUSE, blockers, decide_quit
from tests.live import cockpit_live as live
from tests.live.vm import Vm, Watch
from tests.support import REPO

BOOT_STAGES = [s.value for s in Stage if s.decides_verdict]
SLACK = timedelta(minutes=3)  # a check takes its time under TCG; 90 minutes is the claim
#: The init package the incident purges, per init (OpenRC: its rc and sysvinit's init).
INIT_PACKAGES = {
    "systemd": ("systemd-sysv",),
    "sysvinit": ("sysvinit-core",),
    "openrc": ("openrc", "sysvinit-core"),
}
PURGE = "dpkg --purge --force-remove-essential --force-remove-protected --force-depends"
CRON_0315 = "15 3 * * * /sbin/shutdown -r now"
#: Console outcomes (tests/boot/oracle/classify) that show a boot stopped short of login.
NOT_BACK = ("no-init", "kernel-panic", "initramfs-shell", "init-shell", "emergency", "rescue")
CAPTURE = REPO / "tests/fixtures/live/debian12-systemd-sections.json"
CAPTURE_NOTE = (
    "a live VM of tests/live (Debian 12 bookworm root of tests/real, systemd, booted "
    "through its GRUB under qemu TCG), all probes over SSH as root, right after boot"
)
#: The reboot that must come back is done on one VM: a reboot costs a boot (budget).
REBOOTED_BACK = ("systemd",)


class Clock:
    """Phase timings of a scene, printed (`pytest -s` shows them): where the tier's
    minutes go under TCG."""

    def __init__(self, scene: str, vm: Vm) -> None:
        self.scene, self.vm, self.t = scene, vm, time.monotonic()

    def lap(self, phase: str) -> None:
        now = time.monotonic()
        print(f"[{self.vm.name} {self.scene}] {phase}: {now - self.t:.1f} s", flush=True)
        self.t = now


def _wait(vm: Vm, test: str, what: str, within: float = 60) -> None:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if vm.ssh(f"if {test}; then echo yes; fi", check=False).strip() == "yes":
            return
        time.sleep(1)
    raise AssertionError(f"{vm.name}: no {what} after {within:.0f} s")


# -- scene 1: the host as booted ------------------------------------------------------------
@pytest.fixture(scope="module")
def healthy(vm: Vm) -> dict[str, Any]:
    """`cockpit check` right after boot. With COCKPIT_LIVE_CAPTURE=1, the systemd VM's
    snapshot becomes tests/fixtures/live/debian12-systemd-sections.json, which the fast
    tests of proven-by-boot edit line by line (re-capture when probes change)."""
    clock = Clock("healthy", vm)
    record = vm.workdir / "healthy.jsonl"
    host = live.cli_check(vm, record)
    clock.lap("cockpit check")
    if os.environ.get("COCKPIT_LIVE_CAPTURE") and vm.disk.variant == "systemd":
        live.capture(record, CAPTURE, CAPTURE_NOTE)
    return host


def test_healthy_is_bootable_proven_by_the_current_boot(healthy: dict[str, Any]) -> None:
    host = healthy
    assert host["reachable"] and host["mode"] == "live", host["error"]
    assert host["verdict"] == "bootable", live.stages(host)
    chain = live.stages(host)
    not_by_boot = {s: chain[s] for s in chain if chain[s]["proven_by"] != "current boot"}
    assert not not_by_boot, not_by_boot
    assert host["changed_since_boot"] == [] and host["next_reboot"] is None


def test_healthy_is_status_ok(healthy: dict[str, Any]) -> None:
    """A healthy host of any init: status ok, `cockpit check` exits 0 (sysvinit's health
    signal is branch `remote`'s)."""
    assert (healthy["status"], healthy["exit"]) == ("ok", 0), live.findings(healthy)


# -- scene 2: reboots armed, a dpkg in flight, fstab edited ---------------------------------
@dataclass
class Armed:
    state: HostState
    before: datetime  # guest clock before anything was armed


@pytest.fixture(scope="module")
def armed(vm: Vm, healthy: dict[str, Any]) -> Armed:
    """`shutdown -r +90` as an admin types it (sysvinit's waits in the foreground until it
    fires: started detached), root's crontab rebooting at 03:15, an at job rebooting in 5
    hours, `dpkg -i` held in its postinst, /etc/fstab touched."""
    del healthy  # scene 1 first
    clock = Clock("armed", vm)
    before = live.guest_now(vm)
    if vm.disk.variant == "systemd":
        vm.ssh("shutdown -r +90 'cockpit live test'")
    else:
        vm.ssh_detached("shutdown -r +90 'cockpit live test'")
        _wait(vm, "test -e /run/shutdown.pid", "shutdown's pid file")
    vm.ssh(f"echo '{CRON_0315}' | crontab -")
    vm.ssh("echo '/sbin/shutdown -r now' | at now + 5 hours 2>&1")
    vm.ssh("touch /run/cockpit-slow")
    vm.ssh_detached("dpkg -i /root/cockpit-slow_1.0_all.deb")
    _wait(vm, "pgrep -f 'cockpit-slow[.]postinst' >/dev/null", "postinst running", 120)
    vm.ssh("touch /etc/fstab")
    clock.lap("set up")
    state = live.live_state(vm)
    clock.lap("live state")
    return Armed(state, before)


def test_scheduled_shutdown_with_its_time(armed: Armed) -> None:
    """`shutdown -r +90` found with its firing time (sysvinit/OpenRC: branch `remote`)."""
    sd = [r for r in live.armed_now(armed.state) if "shutdown" in r.source]
    assert sd, live.armed_now(armed.state)
    assert live.near(sd[0].at, armed.before + timedelta(minutes=90), SLACK), sd


def test_cron_and_at_reboots(armed: Armed) -> None:
    seen = live.armed_now(armed.state)
    cron = [r for r in seen if "crontab" in r.source]
    at = [r for r in seen if r.source.startswith("at job")]
    assert cron and cron[0].at is not None, seen
    assert (cron[0].at.hour, cron[0].at.minute) == (3, 15), cron
    assert 0 < cron[0].at.timestamp() - armed.before.timestamp() <= 86400, cron
    assert at and live.near(at[0].at, armed.before + timedelta(hours=5), SLACK), seen


def test_dpkg_in_flight(armed: Armed) -> None:
    """A running dpkg holds its lock: in flight, shown; a non-essential package's run is
    no blocker."""
    found = live.findings(armed.state)
    assert "packages.lock-held" in found, found
    assert armed.state.verdict == "bootable", armed.state.chain


def test_edited_fstab_falls_back_to_the_files(armed: Armed) -> None:
    """/etc/fstab changed since boot: the mounts stage lists it and rests on the files
    again (a live host's device list proves it); the other stages stay proven by the boot."""
    chain = armed.state.chain
    assert chain is not None
    mounts, entry = chain.get(Stage.MOUNTS), chain.get(Stage.ENTRY)
    assert mounts is not None and entry is not None
    assert [c.split(" changed ")[0] for c in mounts.changed_since_boot] == ["/etc/fstab"]
    assert (mounts.state, mounts.proven_by) == (StageState.PROVEN, "files"), mounts
    assert entry.proven_by == "current boot", entry


# -- scene 3: disarmed through the app, dpkg killed, a service down, initrd rewritten --------
@dataclass
class Disarmed:
    state: HostState
    cancel: ActionResult
    left: str  # what the guest still has of the shutdown (files, process)
    failed_service: str  # a name the failed-service finding must carry
    initrd: str


FAILING_UNIT = """[Unit]
Description=cockpit live test: a service that fails
[Service]
Type=oneshot
ExecStart=/bin/false
"""
FAILING_OPENRC = """#!/sbin/openrc-run
description="cockpit live test: a service that fails to start"
start() {
	ebegin "Starting cockpit-fail"
	false
	eend $? "cockpit-fail always fails"
}
"""


def _break_a_service(vm: Vm) -> tuple[str, str]:
    """(the name a finding must carry, how to undo) of a service that is down:
    - systemd: a unit that failed;
    - OpenRC: a service of the default runlevel that failed to start when the runlevel
      was entered (`openrc default`, what the boot runs). Debian's OpenRC records no
      failure for it (/run/openrc/failed stays empty) and, using dpkg's start-stop-daemon,
      tracks no daemon either (`rc-status --crashed` never lists one): `rc-status` shows
      it `stopped` in its runlevel, and that is all there is to see;
    - sysv-rc: cron killed with its pid file left (`service cron status`: failed)."""
    variant = vm.disk.variant
    if variant == "systemd":
        vm.ssh(f"printf '%s' '{FAILING_UNIT}' > /etc/systemd/system/cockpit-fail.service && "
               "systemctl daemon-reload && ! systemctl start cockpit-fail.service")  # fmt: skip
        return "cockpit-fail.service", (
            "systemctl reset-failed cockpit-fail.service; "
            "rm -f /etc/systemd/system/cockpit-fail.service; systemctl daemon-reload"
        )
    if variant == "openrc":
        vm.ssh(f"printf '%s' '{FAILING_OPENRC}' > /etc/init.d/cockpit-fail && "
               "chmod 755 /etc/init.d/cockpit-fail && rc-update add cockpit-fail default && "
               "openrc default; rc-service cockpit-fail status | grep -q stopped")  # fmt: skip
        return "cockpit-fail", "rc-update del cockpit-fail default; rm -f /etc/init.d/cockpit-fail"
    vm.ssh("kill -9 $(cat /run/crond.pid)")
    return "cron", "/etc/init.d/cron start"


@pytest.fixture(scope="module")
def disarmed(vm: Vm, armed: Armed) -> Disarmed:
    """The shutdown cancelled with the app's action (a real `shutdown -c`), the crontab
    and at job removed, dpkg and its postinst killed (-9), a service broken, the initrd
    rewritten (a new file renamed over the old one, as update-initramfs writes it; its own
    run takes over 10 min under TCG). Then everything but the initrd is put back."""
    clock = Clock("disarmed", vm)
    cancel = live.run_offer(vm, live.offer(armed.state, "cancel-shutdown"))
    clock.lap("cancel action")
    left = vm.ssh("ls /run/systemd/shutdown/scheduled /run/shutdown.pid 2>/dev/null; "
                  "pgrep -x shutdown || true")  # fmt: skip
    vm.ssh("crontab -r; for j in $(atq | cut -f1); do atrm $j; done")
    vm.ssh("pkill -9 -x dpkg; pkill -9 -f 'cockpit-slow[.]postinst'; true")
    _wait(vm, "! pgrep -x dpkg >/dev/null", "dpkg gone")
    name, undo = _break_a_service(vm)
    initrd = vm.ssh("ls /boot/initrd.img-*").split()[0]
    vm.ssh(f"cp {initrd} {initrd}.new && mv {initrd}.new {initrd}")
    clock.lap("set up")
    try:
        state = live.live_state(vm)
        clock.lap("live state")
    finally:
        vm.ssh(f"{undo}; rm -f /run/cockpit-slow; dpkg --configure -a; dpkg --purge cockpit-slow",
               check=False, timeout=300)  # fmt: skip
    return Disarmed(state, cancel, left, name, initrd)


def test_cancel_the_shutdown_through_the_action(disarmed: Disarmed) -> None:
    assert disarmed.cancel.ok, disarmed.cancel.message
    assert disarmed.left.strip() == "", disarmed.left
    assert live.armed_now(disarmed.state) == [], live.armed_now(disarmed.state)
    assert disarmed.state.next_reboot is None


def test_dpkg_killed_is_interrupted(disarmed: Disarmed) -> None:
    found = live.findings(disarmed.state)
    assert found.get("packages.dpkg-interrupted") == "critical", found
    assert "packages.lock-held" not in found, found


def test_failed_service(disarmed: Disarmed) -> None:
    """A service that is down (see _break_a_service), a warning naming it. sysvinit: a
    daemon dead beside its pid file; OpenRC: a service of the runlevel it is in that is
    not in /run/openrc/started."""
    state = disarmed.state
    named = [f for f in state.findings if disarmed.failed_service in f.title]
    assert [(f.area, f.severity.value) for f in named] == [("services", "warning")], live.findings(
        state
    )


def test_new_initrd_is_not_proven_by_the_boot(disarmed: Disarmed) -> None:
    """The kernel stage lists the new initrd and falls back to its static proof, never
    "broken" for being new. (On this branch the initramfs is not read: unknown.)"""
    chain = disarmed.state.chain
    assert chain is not None
    kernel = chain.get(Stage.KERNEL)
    assert kernel is not None
    changed = [c for c in kernel.changed_since_boot if c.startswith(disarmed.initrd)]
    assert changed and "changed" in changed[0], kernel
    assert kernel.proven_by != "current boot" and kernel.state is not StageState.BROKEN
    assert disarmed.state.verdict != "unbootable", disarmed.state.findings


# -- scene 4: a real reboot of a bootable host --------------------------------------------
@dataclass
class Back:
    seen: Watch
    console: str
    boot_ids: tuple[str, str]
    host: dict[str, Any]


@pytest.fixture(scope="module")
def back(vm: Vm, disarmed: Disarmed) -> Back:
    """The reboot the incident gets (sync, sysrq `b`: no init asked), on this host, now
    bootable again."""
    del disarmed
    if vm.disk.variant not in REBOOTED_BACK:
        pytest.skip(f"the reboot that comes back is checked on {', '.join(REBOOTED_BACK)}")
    clock = Clock("back", vm)
    before = vm.ssh("cat /proc/sys/kernel/random/boot_id").strip()
    offset = vm.reboot()
    seen = vm.watch(offset, 480, want_back=True)
    clock.lap(f"reboot, back ({seen.outcome})")
    console = vm.raw_console()[offset:].decode(errors="replace")
    if seen.outcome != "booted":
        return Back(seen, console, (before, ""), {})
    after = vm.ssh("cat /proc/sys/kernel/random/boot_id").strip()
    host = live.cli_check(vm)
    clock.lap("cockpit check")
    return Back(seen, console, (before, after), host)


def test_bootable_host_rebooted_comes_back(back: Back, vm: Vm) -> None:
    assert "Booting `Debian GNU/Linux'" in back.console, vm.tail()  # it did reboot
    assert (back.seen.outcome, bool(back.seen.banner)) == ("booted", True), (back.seen, vm.tail())
    assert back.boot_ids[0] != back.boot_ids[1]


def test_new_boot_proves_what_changed_before_it(back: Back) -> None:
    """The initrd and fstab changed before this boot: this boot went through them."""
    host = back.host
    assert host["verdict"] == "bootable", live.stages(host)
    chain = live.stages(host)
    assert {s for s in BOOT_STAGES if chain[s]["proven_by"] == "current boot"} == set(
        BOOT_STAGES
    ), chain
    assert host["changed_since_boot"] == []


# -- scene 5: the incident, live ------------------------------------------------------------
@dataclass
class Incident:
    host: dict[str, Any]
    state: HostState
    seen: Watch
    console: str


@pytest.fixture(scope="module")
def incident(vm: Vm, disarmed: Disarmed) -> Incident:
    """shared/incident-2011.md on a running host: root's crontab rebooting at 03:15, the
    init package purged as an admin would; judged; then a real reboot (sync, sysrq `b`:
    what a power cut or the hypervisor does; the purge took the cron job's own
    /sbin/shutdown with it), watched on the console and the SSH port."""
    del disarmed
    clock = Clock("incident", vm)
    vm.ssh(f"echo '{CRON_0315}' | crontab -")
    vm.ssh(f"{PURGE} {' '.join(INIT_PACKAGES[vm.disk.variant])}", timeout=600)
    clock.lap("purge")
    record = vm.workdir / "incident.jsonl"
    host = live.cli_check(vm, record)
    state = live.recorded_state(record)  # what the app holds: the same snapshot
    clock.lap("cockpit check")
    offset = vm.reboot()
    clock.lap("reboot issued")
    seen = vm.watch(offset, 480, want_back=False, settle=20)
    clock.lap(f"watched ({seen.outcome} after {seen.seconds - 20:.0f} s)")
    return Incident(host, state, seen, vm.raw_console()[offset:].decode(errors="replace"))


def test_incident_unbootable_with_the_cron_reboot(incident: Incident) -> None:
    host = incident.host
    assert (host["verdict"], host["exit"]) == ("unbootable", 2), live.stages(host)
    assert live.stages(host)["init-exec"]["state"] == "broken", live.stages(host)
    nxt = host["next_reboot"]
    assert nxt is not None and "crontab" in nxt["source"], nxt
    assert "T03:15:00" in nxt["at"], nxt
    gone = live.stages(host)["init-exec"]["changed_since_boot"]
    assert any(c.startswith("/sbin/init") for c in gone), gone


def test_incident_quit_guard_refuses(incident: Incident, vm: Vm) -> None:
    decision = decide_quit([incident.state])
    assert decision.kind == REFUSE and decision.must_type == vm.name, decision
    assert blockers(incident.state), incident.state.findings
    reboot = incident.state.next_reboot
    assert reboot is not None and reboot.at is not None and "crontab" in reboot.source


def test_incident_rebooted_does_not_come_back(incident: Incident, vm: Vm) -> None:
    """Positive evidence the boot stopped (a panic, a shell as PID 1, the initramfs'
    shell), not just silence; and no sshd on the port after it."""
    assert "Booting `Debian GNU/Linux'" in incident.console, vm.tail()  # it did reboot
    assert incident.seen.outcome in NOT_BACK, (incident.seen, vm.tail())
    assert not incident.seen.banner, incident.seen


# -- the app's reboot watch, fed what scene 5 really saw ----------------------------------
def test_incident_reboot_watch_on_the_real_reboot(incident: Incident) -> None:
    """The state read before the real reboot, then a failed refresh for as long as the VM
    was watched: sysrq `b` is no shutdown, so unless the cron's 03:15 happens to be due,
    the watch says "unreachable since", never "rebooting"; the prediction is kept."""
    from cockpit.recording.reboot_watch import CLOCK_SLACK, FIRE_WINDOW, RebootWatch, view

    state, armed = incident.state, incident.state.next_reboot
    assert state.host_time is not None and armed is not None and armed.at is not None
    gone = state.host_time + timedelta(seconds=max(incident.seen.seconds, 1.0))
    failed = HostState.failed(state.name, state.mode, "timeout", "no SSH session")
    watch = RebootWatch().step(state.host_time, state).step(gone, failed)
    seen = view(watch, gone + timedelta(seconds=30))
    due = -CLOCK_SLACK <= gone - armed.at <= FIRE_WINDOW
    assert seen is not None and seen.phase == ("rebooting" if due else "unreachable"), seen
    assert watch.last is not None and watch.last.verdict == "unbootable", watch.last

"""services rules: facts in, findings out (and the sample trees end to end, services only)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from cockpit.facts.services import ServiceFacts
from cockpit.parsers import parse_snapshot
from cockpit.parsers.services import parse
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.services import judge
from tests.services._run import facts
from tests.support import SAMPLE_TREES, SAMPLES, collect_root, sections_from

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def _svc(named: dict[str, str | tuple[str, str]]) -> ServiceFacts:
    base: dict[str, str | tuple[str, str]] = {
        "services.paths": "f x /usr/sbin/sshd\nf - /etc/ssh/sshd_config\n",
        "services.sd.booted": "no\n",
        **HEALTHY_SSHD,
    }
    base.update(named)
    return parse(sections_from(base))


#: What the sshd probes send for a stock Debian 12 sshd (tests/sshd has the real files).
HEALTHY_SSHD: dict[str, str | tuple[str, str]] = {
    "services.sshd.cfg:/etc/ssh/sshd_config": "Include /etc/ssh/sshd_config.d/*.conf\n"
    "KbdInteractiveAuthentication no\nUsePAM yes\n",
    "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf": "",
    "services.sshd.keys": "ok /etc/ssh/ssh_host_ed25519_key\n",
    "services.sshd.version": "/usr/sbin/sshd OpenSSH_9.2p1\n",
}


def _by_id(found: list[Finding]) -> dict[str, Finding]:
    return {f.id: f for f in found}


SYSTEMD_NO_SSH = {
    "services.sd.etc": "d . multi-user.target.wants\n",
    "services.sd.wants:/etc/systemd/system/multi-user.target.wants": (
        "l . cron.service\n"
        "l . NetworkManager.service -> /lib/systemd/system/NetworkManager.service\n"
    ),
    "services.sd.units": (
        "f /lib/systemd/system/ssh.service\nf /lib/systemd/system/NetworkManager.service\n"
    ),
    "services.rc:/etc/rc2.d": "l x S01ssh\nl x S01cron\n",
    "services.rc:/etc/rcS.d": ("absent", ""),
    "services.inittab": (
        "id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\nl2:2:wait:/etc/init.d/rc 2\n"
    ),
}


def test_rc2_link_does_not_count_when_systemd_boots() -> None:
    found = _by_id(judge(facts(_svc(SYSTEMD_NO_SSH), boot="systemd"), NOW))
    f = found["services.sshd-not-enabled-next-boot"]
    assert f.severity is Severity.CRITICAL
    assert "come back unreachable" in f.title
    wants = "/etc/systemd/system/multi-user.target.wants"
    assert f"{wants}: cron.service NetworkManager.service" in f.evidence
    assert any("/etc/rc2.d/S01ssh" in e and "ignored by systemd" in e for e in f.evidence)
    assert f.remedy.startswith("systemctl unmask ssh.service; systemctl enable ssh.service")
    assert "services.network-not-enabled-next-boot" not in found


def test_the_same_tree_under_sysvinit_is_fine() -> None:
    found = judge(facts(_svc(SYSTEMD_NO_SSH), boot="sysvinit", running="sysvinit"), NOW)
    ids = {f.id for f in found}
    assert "services.sshd-not-enabled-next-boot" not in ids
    # sysv-rc has no networking link in rcS.d/rc2.d: that IS what sysvinit would read
    assert "services.network-not-enabled-next-boot" in ids


def test_systemctl_not_booted_is_unknown_not_healthy() -> None:
    svc = _svc(
        {
            "services.sd.booted": "yes\n",
            "services.sd.running": ("error", "offline\n"),
            "services.sd.failed": ("error", ""),
        }
    )
    found = judge(facts(svc, mode="live", running="unknown"), NOW)
    state = _by_id(found)["services.state-unknown"]
    assert state.severity is Severity.UNKNOWN
    assert not state.boot_critical
    assert "PID 1 is not systemd" in state.title
    assert not any(f.id in ("services.failed", "services.degraded") for f in found)


def test_live_without_a_health_signal_is_unknown_offline_is_silent() -> None:
    svc = _svc({})
    live = _by_id(judge(facts(svc, mode="live", running="sysvinit"), NOW))
    assert live["services.state-unknown"].severity is Severity.UNKNOWN
    offline = _by_id(judge(facts(svc, mode="offline"), NOW))
    assert "services.state-unknown" not in offline


def test_failed_units_and_degraded() -> None:
    svc = _svc(
        {
            "services.sd.booted": "yes\n",
            "services.sd.running": ("error", "degraded\n"),
            "services.sd.failed": "nginx.service loaded failed failed nginx web server\n",
        }
    )
    found = _by_id(judge(facts(svc, mode="live"), NOW))
    assert found["services.failed"].severity is Severity.WARNING
    assert "nginx.service" in found["services.failed"].title
    assert "services.degraded" not in found  # the failed list already says it
    svc = _svc(
        {
            "services.sd.booted": "yes\n",
            "services.sd.running": ("error", "degraded\n"),
            "services.sd.failed": ("timeout", ""),
        }
    )
    found = _by_id(judge(facts(svc, mode="live"), NOW))
    assert found["services.degraded"].severity is Severity.WARNING


def test_openrc_runlevel_service_not_started_is_down() -> None:
    """Debian's OpenRC records no failure for an LSB script that failed to start: it is in
    the runlevel OpenRC is in and not in /run/openrc/started (the live tier's OpenRC VM)."""
    named: dict[str, str | tuple[str, str]] = {
        "services.orc.started": "l . ssh\nl . cron\n",
        "services.rl:/etc/runlevels/default": "l x ssh\nl x cron\nl x cockpit-fail\n",
    }
    without = _svc(named)
    within = _svc({**named, "init.openrc.softlevel": "default\n"})
    live = {"mode": "live", "boot": "openrc", "running": "openrc"}
    found = _by_id(judge(facts(within, **live), NOW))
    assert "cockpit-fail" in found["services.failed"].title
    assert "services.failed" not in _by_id(judge(facts(without, **live), NOW))  # no softlevel


def test_openrc_crashed() -> None:
    svc = _svc({"services.orc.started": "l . httpd\n", "services.orc.crashed": "httpd\n"})
    found = _by_id(judge(facts(svc, mode="live", boot="openrc", running="openrc"), NOW))
    assert found["services.crashed"].evidence == ("rc-status --crashed: httpd",)


@pytest.mark.parametrize(
    ("boot_listing", "blocked"),
    [(("absent", ""), True), ("", True), ("l x localmount\nl x networking\n", False)],
)
def test_openrc_boot_runlevel(boot_listing: str | tuple[str, str], blocked: bool) -> None:
    named: dict[str, str | tuple[str, str]] = {
        "services.inittab": "::sysinit:/sbin/openrc sysinit\n",
        "services.rl": "d . default\n" + ("" if isinstance(boot_listing, tuple) else "d . boot\n"),
        "services.rl:/etc/runlevels/default": "l x sshd\n",
        "services.paths": "f x /usr/sbin/sshd\nf - /etc/ssh/sshd_config\nf x /sbin/openrc\n",
    }
    if not isinstance(boot_listing, tuple):
        named["services.rl:/etc/runlevels/boot"] = boot_listing
    found = _by_id(judge(facts(_svc(named), boot="busybox", family="alpine"), NOW))
    assert ("services.openrc-boot-runlevel-empty" in found) is blocked
    if blocked:
        assert found["services.openrc-boot-runlevel-empty"].severity is Severity.BLOCKER


def _debian_openrc(sysinit: str) -> dict[str, str | tuple[str, str]]:
    """Debian's openrc: every rcS.d script in `sysinit` (as `sysinit` lists), `boot` empty."""
    return {
        "services.inittab": "id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n"
        "l2:2:wait:/etc/init.d/rc 2\n",
        "services.initd-rc": "case $1 in\n* )\n\texec /sbin/openrc default\n;;\nesac\n",
        "services.rl": "d . boot\nd . default\nd . sysinit\n",
        "services.rl:/etc/runlevels/boot": "",
        "services.rl:/etc/runlevels/default": "l x cron\nl x ssh\n",
        "services.rl:/etc/runlevels/sysinit": sysinit,
        "services.ifaces": "allow-hotplug ens3\niface ens3 inet dhcp\n",
        "services.paths": "f x /usr/sbin/sshd\nf - /etc/ssh/sshd_config\nf x /sbin/openrc\n",
    }


def test_openrc_sysinit_without_mountall_is_unknown_not_blocked() -> None:
    """The boot oracle's openrc-sysinit-no-mountall reached login: (mountall.sh started as
    a dependency of what stayed in sysinit): never a blocker; unread, so unknown."""
    sysinit = "l x checkroot.sh\nl x mountall-bootclean.sh\n"
    found = _by_id(judge(facts(_svc(_debian_openrc(sysinit)), boot="sysvinit", family="deb"), NOW))
    assert "services.openrc-boot-runlevel-empty" not in found
    assert found["services.openrc-local-mounts-unproven"].severity is Severity.UNKNOWN


def test_baselayout1_host_of_2011() -> None:
    """boot init missing, inittab names /sbin/rc, no OpenRC: judged under baselayout-1,
    where sshd and net.eth0 are enabled; the new proftpd script cannot run."""
    named: dict[str, str | tuple[str, str]] = {
        "services.inittab": "id:3:initdefault:\nsi::sysinit:/sbin/rc sysinit\n",
        "services.rl": "d . boot\nd . default\n",
        "services.rl:/etc/runlevels/boot": "l x localmount\nl x net.lo\n",
        "services.rl:/etc/runlevels/default": "l x net.eth0\nl x proftpd\nl x sshd\n",
        "services.paths": "f x /usr/sbin/sshd\nf - /etc/ssh/sshd_config\n"
        "f x /sbin/runscript\nf x /sbin/runscript.sh\n",
        "services.initd": "proftpd:1:#!/sbin/runscript\nproftpd:7:command=/usr/sbin/proftpd\n",
    }
    found = _by_id(judge(facts(_svc(named), boot="missing", running="sysvinit"), NOW))
    assert set(found) == {"services.initscript-broken"}
    f = found["services.initscript-broken"]
    assert f.severity is Severity.WARNING
    assert "/etc/init.d/proftpd: command=/usr/sbin/proftpd" in f.evidence


def test_cannot_tell_the_rc_is_unknown_but_not_boot_critical() -> None:
    named = dict(SYSTEMD_NO_SSH)
    named.pop("services.inittab")
    found = _by_id(judge(facts(_svc(named), boot="unknown", running="unknown"), NOW))
    f = found["services.next-boot-unknown"]
    assert f.severity is Severity.UNKNOWN and not f.boot_critical
    assert "services.sshd-not-enabled-next-boot" not in found


def test_unreadable_wants_is_unknown_never_ok() -> None:
    named = dict(SYSTEMD_NO_SSH)
    named["services.sd.etc"] = ("denied", "")
    found = _by_id(judge(facts(_svc(named)), NOW))
    assert found["services.next-boot-unknown"].severity is Severity.UNKNOWN


def test_no_ssh_server_at_all() -> None:
    named = dict(SYSTEMD_NO_SSH)
    named["services.paths"] = "f x /sbin/init\n"
    named["services.sd.units"] = "f /lib/systemd/system/NetworkManager.service\n"
    named["services.rc:/etc/rc2.d"] = "l x S01cron\n"
    found = _by_id(judge(facts(_svc(named)), NOW))
    assert found["services.sshd-not-installed"].severity is Severity.WARNING
    assert "services.sshd-not-enabled-next-boot" not in found


def test_networkd_without_config_is_critical_but_not_in_a_container() -> None:
    named: dict[str, str | tuple[str, str]] = {
        "services.sd.etc": "d . multi-user.target.wants\n",
        "services.sd.wants:/etc/systemd/system/multi-user.target.wants": (
            "l . ssh.service -> /lib/systemd/system/ssh.service\n"
            "l . systemd-networkd.service -> /lib/systemd/system/systemd-networkd.service\n"
        ),
        "services.sd.units": "f /lib/systemd/system/ssh.service\n"
        "f /lib/systemd/system/systemd-networkd.service\n",
        "services.sd.net:/etc/systemd/network": ("absent", ""),
    }
    found = _by_id(judge(facts(_svc(named), family="arch"), NOW))
    f = found["services.network-not-enabled-next-boot"]
    assert f.severity is Severity.CRITICAL
    assert "configures no interface" in f.title
    assert "20-wired.network" in f.remedy
    found = _by_id(judge(facts(_svc(named), container="docker"), NOW))
    assert "services.network-not-enabled-next-boot" not in found


def test_sshd_config_missing() -> None:
    named: dict[str, str | tuple[str, str]] = {
        "services.paths": "f x /usr/sbin/sshd\n",
        "services.sd.etc": "d . multi-user.target.wants\n",
        "services.sd.wants:/etc/systemd/system/multi-user.target.wants": (
            "l . sshd.service -> /usr/lib/systemd/system/sshd.service\n"
            "l . NetworkManager.service -> /usr/lib/systemd/system/NetworkManager.service\n"
        ),
        "services.sd.units": "f /usr/lib/systemd/system/sshd.service\n"
        "f /usr/lib/systemd/system/NetworkManager.service\n",
        "services.sshd.cfg:/etc/ssh/sshd_config": ("absent", ""),
    }
    found = _by_id(judge(facts(_svc(named), family="rh"), NOW))
    assert set(found) == {"services.sshd-config-missing"}


@pytest.mark.parametrize("tree", [p.name for p in SAMPLE_TREES])
def test_sample_trees_services_findings(tree: str) -> None:
    """Every sample host comes back reachable; only weblogs-2011 has a broken script."""
    facts_ = parse_snapshot(collect_root(Path(SAMPLES / tree)))
    found = {f.id for f in judge(facts_, NOW)}
    expected = {"services.initscript-broken"} if tree == "weblogs-2011" else set()
    assert found == expected


def test_debian_openrc_empty_boot_runlevel_with_mounts_in_sysinit() -> None:
    # Found by the real-roots tier: Debian's openrc puts every rcS.d script in `sysinit`
    # (mountall.sh, checkroot.sh, networking...) and leaves `boot` empty; that boots.
    sysinit = "l x checkroot.sh\nl x mountall.sh\nl x networking\n"
    found = _by_id(judge(facts(_svc(_debian_openrc(sysinit)), boot="sysvinit", family="deb"), NOW))
    assert "services.openrc-boot-runlevel-empty" not in found
    assert not [f for f in found.values() if f.severity is not Severity.INFO], found

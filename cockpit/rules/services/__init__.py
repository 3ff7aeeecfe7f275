"""services rules: will the host be reachable after the next boot, and is anything down now.

This module judges the next boot; health now is in `runtime`, remedies per rc system in
`remedies`.

Remote access is judged under the rc system that WILL run at the next boot, from the
files that rc system reads (see facts/services.py): leftovers other inits keep never
count. Which rc system runs comes from the init area's `boot_family`, refined by
/etc/inittab, because OpenRC and Gentoo's baselayout-1 rc run under sysvinit or busybox
init (their `sysinit` line names them).

Severities, and why:
- sshd / network not enabled for the next boot: CRITICAL. The host boots, but comes
  back unreachable; that is not a bootability question, so not a BLOCKER.
- OpenRC's `boot` runlevel missing or empty: BLOCKER. Nothing mounts local filesystems,
  remounts / read-write or brings up the network: the boot stops short of a usable host.
- next-boot view unknown: UNKNOWN with boot_critical=False. Whether the host boots does
  not depend on it; an unknown here must still show (status unknown), but must not turn
  a bootable verdict into `unknown`, or every sysvinit-era host would block the quit guard.
- no SSH server installed at all: WARNING. The facts cannot tell yet whether the host is
  managed over SSH (the transport is not part of HostFacts); a console-managed host
  without sshd is legitimate. When HostFacts learns the transport, raise it to CRITICAL
  for hosts reached over SSH.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.facts.services import Enablement, ServiceFacts
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.services.remedies import network_remedy, sshd_remedy
from cockpit.rules.services.runtime import runtime_findings
from cockpit.rules.services.sshd import sshd_findings
from cockpit.rules.unread import remedy, states_named

AREA = "services"
_LABEL = {
    "systemd": "systemd",
    "sysv-rc": "sysvinit (sysv-rc)",
    "openrc": "OpenRC",
    "baselayout1": "Gentoo baselayout-1 rc",
    "runit": "runit",
}


def boot_rc(facts: HostFacts) -> tuple[str | None, str]:
    """The rc system the next boot runs, and the evidence it rests on."""
    svc = facts.services
    boot = facts.init.boot_family
    why = f"boot init: {facts.init.boot_label} ({boot})"
    if boot == "systemd":
        return "systemd", why
    if boot == "runit":
        return "runit", why
    if boot == "openrc":
        return "openrc", why
    if boot == "s6":
        return None, f"{why}: s6 service sets are not read yet"
    hint = svc.inittab.rc_hint
    tab = "; ".join(svc.inittab.evidence) or f"/etc/inittab: ({svc.inittab.state})"
    if hint == "openrc":
        return "openrc", f"{why}; {tab}"
    if hint == "gentoo-rc":
        rc = "openrc" if svc.openrc_installed else "baselayout1"
        return rc, f"{why}; {tab}"
    if hint == "sysv-rc":
        return "sysv-rc", f"{why}; {tab}"
    if hint == "busybox-rcS":
        return None, f"{why}; {tab}: /etc/init.d/rcS decides what starts"
    # No sysinit line to go by: the only rc configuration on disk, if there is just one.
    present = [v.rc for v in svc.views if v.present and v.rc != "baselayout1"]
    if (
        boot in ("sysvinit", "busybox", "missing", "unknown")
        and "systemd" in present
        and boot != "unknown"
    ):
        present.remove("systemd")  # systemd's files do not run under another init
    if len(present) == 1:
        rc = present[0]
        if rc == "openrc" and not svc.openrc_installed and svc.baselayout1:
            rc = "baselayout1"
        return rc, f"{why}; only {_LABEL[rc]} is configured on disk"
    listed = ", ".join(_LABEL[r] for r in present) or "none"
    return None, f"{why}; rc configurations on disk: {listed}"


_STATE_WORDS = {
    "disabled": "not enabled",
    "masked": "masked",
    "broken": "enabled but cannot start",
    "unconfigured": "enabled but configures no interface",
}


def _remote_access(facts: HostFacts) -> list[Finding]:
    svc = facts.services
    rc, why = boot_rc(facts)
    out: list[Finding] = []
    if rc is None:
        out.append(
            Finding(
                f"{AREA}.next-boot-unknown",
                AREA,
                Severity.UNKNOWN,
                "cannot tell which rc system starts services at the next boot: "
                "remote access after a reboot is unknown",
                (why,),
                "Check by hand that sshd and the network are enabled in the init that will boot.",
                stage=Stage.REMOTE_ACCESS,
            )
        )
        return out
    view = svc.view(rc)
    label = _LABEL[rc]
    context = f"next boot's rc: {label} ({why})"
    unknown: list[str] = []
    if svc.sshd_installed is False:
        out.append(
            Finding(
                f"{AREA}.sshd-not-installed",
                AREA,
                Severity.WARNING,
                "no SSH server is installed: after a reboot this host is reachable only by console",
                ("no sshd/dropbear binary, unit, init script or runit service found", context),
                "Install one before relying on remote access (apt install openssh-server / "
                "dnf install openssh-server / apk add openssh / emerge net-misc/openssh).",
                stage=Stage.REMOTE_ACCESS,
            )
        )
    elif view.sshd.state in _STATE_WORDS:
        out.append(
            _not_enabled(
                "sshd", view.sshd, label, context, sshd_remedy(rc, view, facts.host.family)
            )
        )
    elif view.sshd.state == "unknown":
        unknown.append(f"sshd: {'; '.join(view.sshd.evidence) or 'not read'}")
    elif (
        view.sshd.what in ("ssh.service", "sshd.service", "ssh", "sshd")
        and svc.sshd_config_present is False
    ):
        out.append(
            Finding(
                f"{AREA}.sshd-config-missing",
                AREA,
                Severity.CRITICAL,
                "sshd is enabled but /etc/ssh/sshd_config is missing: sshd will not start",
                ("/etc/ssh/sshd_config: (no such file)", *view.sshd.evidence[:2]),
                "Restore it (e.g. apt install --reinstall openssh-server), then re-apply edits.",
                stage=Stage.REMOTE_ACCESS,
            )
        )
    if facts.host.container is None:
        if view.network.state in _STATE_WORDS:
            out.append(
                _not_enabled(
                    "network",
                    view.network,
                    label,
                    context,
                    network_remedy(rc, view, facts.host.family),
                )
            )
        elif view.network.state == "unknown":
            unknown.append(f"network: {'; '.join(view.network.evidence) or 'not read'}")
    if unknown:
        out.append(
            Finding(
                f"{AREA}.next-boot-unknown",
                AREA,
                Severity.UNKNOWN,
                f"could not read what {label} starts at the next boot: "
                "remote access after a reboot is unknown",
                (*unknown, context),
                remedy(
                    states_named(unknown),
                    facts.host.as_root,
                    "Check by hand that sshd and the network are enabled in the init that "
                    "will boot.",
                ),
                stage=Stage.REMOTE_ACCESS,
            )
        )
    return out


def _not_enabled(role: str, en: Enablement, label: str, context: str, remedy: str) -> Finding:
    if role == "sshd":
        fid = f"{AREA}.sshd-not-enabled-next-boot"
        what = "sshd"
        why = "the host would come back unreachable"
    else:
        fid = f"{AREA}.network-not-enabled-next-boot"
        what = "networking"
        why = "the host would come back without network"
    state = _STATE_WORDS[en.state]
    title = f"{what} is {state} for the next boot under {label}: {why}"
    evidence = [*en.evidence[:6], context]
    if en.note:
        evidence.append(en.note)
    return Finding(
        fid, AREA, Severity.CRITICAL, title, tuple(evidence), remedy, stage=Stage.REMOTE_ACCESS
    )


def _boot_runlevel(facts: HostFacts, rc: str | None) -> list[Finding]:
    if rc not in ("openrc", "baselayout1"):
        return []
    view = facts.services.view(rc)
    label = _LABEL[rc]
    # Debian's openrc runs the rcS.d scripts from `sysinit` (boot stays empty there):
    # mounts and the read-write root come from there, so an empty `boot` is fine.
    mounts_in_sysinit = {"mountall.sh", "checkroot.sh"} <= set(view.sysinit_runlevel)
    boot_empty = view.boot_runlevel_state == "absent" or view.boot_runlevel == ()
    if boot_empty and not mounts_in_sysinit and view.sysinit_runlevel:
        # OpenRC starts a runlevel's services' dependencies too: with mountall.sh out of
        # sysinit, mountall-bootclean.sh (Required-Start: mountall) still brings it in (the
        # boot oracle's openrc-sysinit-no-mountall reached login:). Those headers are not
        # read, so this is not proven either way.
        return [
            Finding(
                f"{AREA}.openrc-local-mounts-unproven",
                AREA,
                Severity.UNKNOWN,
                f"{label}'s sysinit runlevel lacks mountall.sh or checkroot.sh and `boot` is "
                "empty: whether a sysinit service starts them as a dependency is not read",
                ("sysinit: " + " ".join(view.sysinit_runlevel[:12]), *view.listings[:2]),
                "Put them back where they belong: `rc-update add mountall.sh sysinit; "
                "rc-update add checkroot.sh sysinit`.",
                boot_critical=True,
                stage=Stage.INIT_CONFIG,
            )
        ]
    if boot_empty and not mounts_in_sysinit:
        shown = (
            "/etc/runlevels/boot: (no such directory)"
            if view.boot_runlevel_state == "absent"
            else ("/etc/runlevels/boot: (empty)")
        )
        return [
            Finding(
                f"{AREA}.openrc-boot-runlevel-empty",
                AREA,
                Severity.BLOCKER,
                f"{label} will boot with an empty `boot` runlevel: "
                "no local mounts, no read-write root, no network",
                (shown, *view.listings[:2]),
                "Restore it: for s in localmount fsck root hostname bootmisc sysctl; "
                "do rc-update add $s boot; done "
                "(Alpine also: networking; Gentoo: net.lo)",
                stage=Stage.INIT_CONFIG,
            )
        ]
    if view.boot_runlevel is None and view.boot_runlevel_state not in ("missing",):
        return [
            Finding(
                f"{AREA}.openrc-boot-runlevel-unreadable",
                AREA,
                Severity.UNKNOWN,
                f"could not read {label}'s boot runlevel",
                (f"/etc/runlevels/boot: ({view.boot_runlevel_state})",),
                remedy([view.boot_runlevel_state], facts.host.as_root),
                boot_critical=True,
                stage=Stage.INIT_CONFIG,
            )
        ]
    return []


def _init_scripts(svc: ServiceFacts) -> list[Finding]:
    if not svc.initscript_problems:
        return []
    names = " ".join(p.script.rsplit("/", 1)[-1] for p in svc.initscript_problems[:8])
    evidence: list[str] = []
    for problem in svc.initscript_problems[:4]:
        evidence.extend(problem.evidence)
    first = svc.initscript_problems[0]
    return [
        Finding(
            f"{AREA}.initscript-broken",
            AREA,
            Severity.WARNING,
            f"init script cannot start its service on this host: {names} ({first.reason})",
            tuple(evidence),
            "Restore a script written for this host's rc (etc-update/dispatch-conf "
            "keeps the old one as "
            "._cfg*), or finish the OpenRC migration before relying on it.",
        )
    ]


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    """All services findings; `now` is unused (nothing here depends on time)."""
    del now
    svc = facts.services
    rc, _why = boot_rc(facts)
    return [
        *_boot_runlevel(facts, rc),
        *_remote_access(facts),
        *sshd_findings(facts, rc),
        *runtime_findings(facts),
        *_init_scripts(svc),
    ]

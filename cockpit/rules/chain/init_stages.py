"""Provers for init exec, init configuration (reaching multi-user) and remote access.

Init exec is proven by the check of the very file the kernel will exec (after `init=`):
resolved inside the root, executable, its ELF interpreter and libraries found, or its
`#!` interpreter found. Reaching multi-user is proven per init family from what that init
reads first, with the command line's overrides applied; a family this module has no proof
for stays unknown. Remote access is proven from the rc system that will really run.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.init import Resolution
from cockpit.parsers.init.next_boot import effective_boot
from cockpit.rules.chain import cmdline as kcmd
from cockpit.rules.chain.model import Gap, Proof
from cockpit.rules.services import boot_rc
from cockpit.rules.services.sshd import judge_start

#: Targets that pull in multi-user.target (systemd's own units).
MULTI_USER_TARGETS = frozenset(
    {"multi-user.target", "graphical.target", *(f"runlevel{n}.target" for n in (2, 3, 4, 5))}
)


def prove_init_exec(facts: HostFacts) -> Proof | Gap:
    check, arg = effective_boot(facts.init, facts.boot.default_cmdline)
    source = f"init={arg} on the default entry's command line" if arg else "no init=: /sbin/init"
    if facts.boot.default_cmdline is None and not facts.host.container:
        return Gap("the default entry's command line is unknown, so which init runs is unknown")
    if check is None:
        return Gap(f"{source}: not checked")
    ev = [source, check.resolution.chain()]
    if check.state != "ok":
        return Gap(check.reason, tuple(ev))
    elf = check.elf
    if check.shebang:
        ev.append(f"{check.resolution.resolved}: {check.shebang}")
        if check.interpreter is not None:
            ev.append(f"interpreter {check.interpreter.chain()}: executable")
        if check.execs is not None:
            ev.append(f"then exec {check.execs.resolution.chain()}: {check.execs.reason}")
    elif elf is not None and elf.is_elf:
        if elf.machine is None:
            return Gap(f"{check.path}: which CPU its ELF file is built for was not read")
        ev.append(f"ELF e_machine {elf.machine}")
        if elf.static:
            ev.append("static ELF binary: no interpreter, no libraries")
        else:
            ev.append(f"ELF interpreter {elf.interp} -> {elf.interp_found}")
            ev.extend(f"library {lib} -> {where}" for lib, where in elf.needed_found[:8])
            if len(elf.needed_found) > 8:
                ev.append(f"... and {len(elf.needed_found) - 8} more libraries, all found")
    else:
        return Gap(f"{check.path}: neither an ELF binary nor a script cockpit could check")
    return Proof(check.reason, tuple(ev))


def prove_init_config(facts: HostFacts) -> Proof | Gap:
    check, _arg = effective_boot(facts.init, facts.boot.default_cmdline)
    cmdline = facts.boot.default_cmdline
    if check is None or check.state != "ok":
        return Gap("the init that will run is not proven, so neither is what it reads")
    if cmdline is None:
        return Gap("the default entry's command line is unknown")
    family = check.family
    if family == "systemd":
        return _systemd(facts, cmdline)
    if family == "sysvinit":
        return _sysvinit(facts, cmdline)
    if family == "busybox":
        return _busybox(facts)
    if family == "runit":
        return _runit(facts, cmdline)
    return Gap(f"no proof written for how {family} reaches multi-user ({check.path})")


def _systemd(facts: HostFacts, cmdline: str) -> Proof | Gap:
    override = kcmd.systemd_override(cmdline)
    if override is not None:
        target, word = override
        if target in MULTI_USER_TARGETS:
            return Proof(f"the command line boots {target}", (f"kernel command line: {word}",))
        return Gap(f"the command line boots {target} ({word}), not multi-user")
    for res in facts.init.default_targets:
        if res.state == "absent":
            continue
        if not (res.found and res.kind == "f"):
            return Gap(f"{res.path} does not lead to a unit file", (res.chain(),))
        name = (res.resolved or res.path).rsplit("/", 1)[-1]
        if name in MULTI_USER_TARGETS:
            return Proof(f"systemd's default target is {name}", (res.chain(),))
        pulled = site_target_pulls(facts, res)
        if pulled is not None:
            return Proof(
                f"systemd's default target {name} pulls in {pulled}",
                (res.chain(), f"{res.resolved}: pulls in {pulled}"),
            )
        return Gap(f"systemd's default target is {name}, not multi-user", (res.chain(),))
    return Gap("systemd's default.target was not found or not read")


def site_target_pulls(facts: HostFacts, res: Resolution) -> str | None:
    """The multi-user target a site's own default target starts with itself (its unit's
    Requires=/Wants= or .wants/.requires links), as read; None when none is known."""
    unit = facts.init.target_unit
    if unit is None or unit.state != "ok" or unit.path != res.resolved:
        return None
    return next((t for t in unit.pulls if t in MULTI_USER_TARGETS), None)


def _sysvinit(facts: HostFacts, cmdline: str) -> Proof | Gap:
    tab = facts.init.inittab
    if tab.state != "ok" or tab.empty:
        return Gap(f"/etc/inittab: {tab.state if tab.state != 'ok' else 'no entries'}")
    ev: list[str] = []
    override = kcmd.sysvinit_override(cmdline)
    if override is not None:
        level, word = override
        ev.append(f"kernel command line: {word}")
    else:
        if not tab.initdefault:
            return Gap("/etc/inittab has no initdefault")
        level = max(tab.initdefault.upper())
        ev.append(tab.initdefault_line or f"initdefault {tab.initdefault}")
    if level not in "2345" or len(level) != 1:
        return Gap(f"sysvinit boots runlevel {level}, not a multi-user runlevel", tuple(ev))
    if not tab.sysinit:
        return Gap("/etc/inittab has no sysinit line: no boot scripts run", tuple(ev))
    ev.extend(f"/etc/inittab sysinit: {line}" for line in tab.sysinit[:1])
    runs = [
        f"{ident}:{levels}:{action}:{process}"
        for ident, levels, action, process in tab.entries
        if level in levels and action in ("wait", "once", "respawn", "boot", "bootwait")
    ]
    if not runs:
        return Gap(f"/etc/inittab starts nothing in runlevel {level}", tuple(ev))
    ev.extend(runs[:3])
    rc, why = boot_rc(facts)
    if rc in ("openrc", "baselayout1"):
        view = facts.services.view(rc)
        boot_ok = bool(view.boot_runlevel) or {"mountall.sh", "checkroot.sh"} <= set(
            view.sysinit_runlevel
        )
        if not boot_ok:
            return Gap(f"{rc}: nothing mounts local filesystems at boot", (*ev, why))
        ev.append(f"{rc}: boot runlevel {' '.join(view.boot_runlevel or view.sysinit_runlevel)}")
    return Proof(f"sysvinit reaches runlevel {level}", tuple(ev))


def _openrc_boots(facts: HostFacts) -> Proof | Gap:
    """OpenRC (under sysvinit or busybox init) mounts and starts from its runlevels."""
    view = facts.services.view("openrc")
    if not view.present:
        return Gap("OpenRC's runlevels (/etc/runlevels) were not found or not read")
    boot_ok = bool(view.boot_runlevel) or {"mountall.sh", "checkroot.sh"} <= set(
        view.sysinit_runlevel
    )
    if not boot_ok:
        return Gap("OpenRC: nothing in the boot runlevel mounts local filesystems")
    return Proof(
        "OpenRC starts its boot and default runlevels",
        (f"/etc/runlevels/boot: {' '.join(view.boot_runlevel or ())}".rstrip(),),
    )


def _busybox(facts: HostFacts) -> Proof | Gap:
    """busybox init: /etc/inittab (its own format) runs the rc system; without one, it
    runs /etc/init.d/rcS and asks for a shell on the console (not proven here)."""
    tab = facts.init.inittab
    if tab.state != "ok" or tab.empty:
        return Gap(f"busybox init without a readable /etc/inittab ({tab.state})")
    runs = [p for _i, _lv, action, p in tab.entries if action in ("sysinit", "wait", "once")]
    if not any("openrc" in p for p in runs):
        return Gap("busybox init's /etc/inittab does not run OpenRC: no proof for what it runs")
    if not any("openrc default" in p or p.rstrip().endswith("openrc") for p in runs):
        return Gap("busybox init's /etc/inittab never starts OpenRC's default runlevel")
    rc = _openrc_boots(facts)
    if isinstance(rc, Gap):
        return rc
    ev = tuple(f"/etc/inittab: {line}" for line in tab.sysinit[:2]) + rc.evidence
    return Proof("busybox init runs OpenRC's boot and default runlevels", ev)


def _runit(facts: HostFacts, cmdline: str) -> Proof | Gap:
    """runit-init runs /etc/runit/1 (one-time boot tasks), then /etc/runit/2 (runsvdir on
    the default service dir) for as long as the host is up."""
    init = facts.init
    if init.runit_dir_state != "ok":
        return Gap(f"/etc/runit could not be listed ({init.runit_dir_state})")
    stages = dict(init.runit_stages)
    for name in ("1", "2"):
        if not stages.get(name):
            return Gap(f"/etc/runit/{name} is missing, empty or not executable")
    if "single" in kcmd.init_argv_words(cmdline):
        return Gap("`single` on the command line: runit's single-user service dir runs")
    return Proof(
        "runit runs its stage 1 and stage 2 (runsvdir)",
        ("/etc/runit/1: executable", "/etc/runit/2: executable"),
    )


def prove_remote_access(facts: HostFacts) -> Proof | Gap:
    """Proven only when sshd is enabled under the rc that will boot, its configuration
    passes what `sshd -t` checks from files, a host key exists or the boot generates one
    (rules/services/sshd.py, the same judgement the findings use), and, on a host, the
    network is enabled. A socket-activated sshd (ssh.socket) counts as enabled."""
    rc, why = boot_rc(facts)
    if rc is None:
        return Gap("which rc system starts services at the next boot is unknown", (why,))
    view = facts.services.view(rc)
    ev = [f"next boot's rc: {rc} ({why})"]
    if view.sshd.state != "enabled":
        return Gap(f"sshd under {rc}: {view.sshd.state}", (*ev, *view.sshd.evidence[:3]))
    ev.extend(f"sshd: {line}" for line in view.sshd.evidence[:2])
    if facts.services.sshd_config_present is not True:
        return Gap("/etc/ssh/sshd_config is not known to exist", tuple(ev))
    start = judge_start(facts, rc)
    if start.state != "ok":
        return Gap(start.reason, (*ev, *start.evidence[:6]))
    ev.extend(start.evidence)
    if facts.host.container is None:
        if view.network.state != "enabled":
            return Gap(
                f"network under {rc}: {view.network.state}", (*ev, *view.network.evidence[:3])
            )
        ev.extend(f"network: {line}" for line in view.network.evidence[:2])
    return Proof("sshd starts and the network comes up at the next boot", tuple(ev))

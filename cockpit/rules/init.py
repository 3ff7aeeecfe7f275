"""init rules: will the next boot find an init it can exec, and does it match what runs?

Blockers rest on the files the boot needs, read directly: the program the kernel will exec
(the default entry's `init=`, else /sbin/init), its ELF interpreter and libraries, and what
that init reads first (sysvinit's /etc/inittab, systemd's default.target). What the kernel
does when they fail, from its own sources: with `init=X` it panics ("Requested init X
failed"); without, it falls back to /etc/init, /bin/init, /bin/sh, i.e. at best a root
shell on the console with no services and no network. sysvinit without /etc/inittab, or
without a valid `initdefault`, stops at "Enter runlevel:" on the console (init.c
get_init_default -> ask_runlevel); systemd without a loadable default.target falls back
to rescue.target. Each of these stops the boot before the network is up.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.facts.init import ExecCheck, InitFacts
from cockpit.parsers.init import boot_label, effective_boot
from cockpit.rules.finding import Finding, Severity

AREA = "init"
_NOTHING = ("missing", "dangling", "loop")
_ASK = "'Enter runlevel:'"
_REBOOT_CMD = {"systemd": "`systemctl reboot`", "openrc": "`openrc-shutdown -r now`"}
_RUNLEVEL_WORDS = {"single", "s", "S", "emergency", "-b", *"123456789"}

#: How to put the usual init back, per host family and init family.
_REINSTALL = {
    ("gentoo", "sysvinit"): "emerge --oneshot sys-apps/sysvinit",
    ("gentoo", "openrc"): "emerge --oneshot sys-apps/openrc",
    ("gentoo", "systemd"): "emerge --oneshot sys-apps/systemd  # with USE=sysv-utils",
    ("deb", "systemd"): "apt-get install --reinstall systemd-sysv",
    ("deb", "sysvinit"): "apt-get install --reinstall sysvinit-core",
    ("deb", "runit"): "apt-get install --reinstall runit-init",
    ("deb", "openrc"): "apt-get install --reinstall openrc sysvinit-core",
    ("rh", "systemd"): "dnf reinstall systemd",
    ("arch", "systemd"): "pacman -S systemd-sysvcompat",
    ("alpine", "busybox"): "apk fix busybox",
    ("alpine", "openrc"): "apk fix openrc",
    ("suse", "systemd"): "zypper install -f systemd-sysvinit",
}
_USUAL_INIT = {
    "gentoo": "sysvinit",
    "deb": "systemd",
    "rh": "systemd",
    "arch": "systemd",
    "alpine": "busybox",
    "suse": "systemd",
}
_FIND_OWNER = {
    "deb": "dpkg -S {lib}",
    "rh": "dnf provides '*/{lib}'",
    "arch": "pacman -F {lib}",
    "gentoo": "qfile {lib}",
    "alpine": "apk info --who-owns /lib/{lib}",
    "suse": "zypper search --provides {lib}",
}


def _finding(
    id_: str, sev: Severity, title: str, evidence: list[str], remedy: str, critical: bool = False
) -> Finding:
    return Finding(
        id=f"init.{id_}",
        area=AREA,
        severity=sev,
        title=title,
        evidence=tuple(evidence),
        remedy=remedy,
        boot_critical=critical,
    )


def _intended_family(facts: HostFacts, check: ExecCheck) -> str:
    """Which init the host meant to boot: the broken one's family, else what is installed,
    else the distribution's usual init."""
    if check.family not in ("unknown", "missing"):
        return check.family
    for family, _ in facts.init.installed:
        if family not in ("unknown", "busybox"):
            return family
    return _USUAL_INIT.get(facts.host.family, "unknown")


def _reinstall_cmd(facts: HostFacts, family: str) -> str | None:
    return _REINSTALL.get((facts.host.family, family))


def _running_line(init: InitFacts) -> str | None:
    if init.pid1.comm_state != "ok":
        return None
    exe = init.pid1.exe or "binary not readable"
    return f"PID 1 now: {init.pid1.comm} ({exe}), running from memory: {init.running_label}"


def _installed_line(init: InitFacts) -> str | None:
    if not init.installed_known:
        return None
    if not init.installed:
        return (
            "no other init installed: none of /lib/systemd/systemd, /lib/sysvinit/init, "
            "/sbin/openrc, /sbin/openrc-init, /sbin/runit-init, /bin/busybox exists"
        )
    shown = ", ".join(f"{fam} at {path}" for fam, path in init.installed)
    return f"installed init programs: {shown}"


def _fallback_line(arg: str | None) -> str:
    if arg:
        return f'with init={arg} the kernel panics: "Requested init {arg} failed"'
    return (
        "without init=, the kernel then tries /etc/init, /bin/init, /bin/sh: at best a root "
        "shell on the console, no services, no network"
    )


def _boot_source(facts: HostFacts, arg: str | None) -> str:
    if arg:
        return f"default boot entry's command line: {facts.boot.default_cmdline}"
    if facts.boot.default_cmdline is None:
        return "default boot entry's command line unknown: the kernel's default /sbin/init applies"
    return "default boot entry has no init=: the kernel runs /sbin/init"


def _repair_remedy(facts: HostFacts, check: ExecCheck, arg: str | None) -> str:
    family = _intended_family(facts, check)
    steps = []
    cmd = _reinstall_cmd(facts, family)
    if cmd:
        steps.append(f"Now, while the host is still up: `{cmd}`")
    else:
        steps.append(f"Reinstall the package that provides {check.path} ({family} init)")
    others = [
        path
        for fam, path in facts.init.installed
        if fam in ("systemd", "sysvinit", "openrc", "runit", "s6")
        or (fam == "busybox" and facts.host.family == "alpine")
    ]
    if others and not arg:
        steps.append(f"or point /sbin/init at an installed init: `ln -sf {others[0]} /sbin/init`")
    steps.append(f"then check `ls -lL {check.path}` before any reboot")
    steps.append(
        "already down? at the boot loader add init=/bin/sh (or an installed init) to the "
        "kernel line, or boot a rescue system, chroot and reinstall"
    )
    return "; ".join(steps) + "."


def _boot_findings(facts: HostFacts, check: ExecCheck, arg: str | None) -> list[Finding]:
    init = facts.init
    evidence = [check.resolution.chain(), _boot_source(facts, arg)]
    running = _running_line(init)
    installed = _installed_line(init)
    if check.state in _NOTHING:
        evidence.append(_fallback_line(arg))
        evidence += [x for x in (installed, running) if x]
        sev = Severity.BLOCKER
        title = f"next boot has no init: {check.reason}"
        # dracut's systemd initrd re-executes /usr/lib/systemd/systemd itself when no init=
        # is given, so on RH hosts with systemd present the kernel's /sbin/init is not used.
        if (
            not arg
            and facts.host.family == "rh"
            and any(fam == "systemd" for fam, _ in init.installed)
        ):
            sev = Severity.CRITICAL
            title += " (a systemd initrd would still start systemd; other boots would not)"
        id_ = "boot-init-missing" if check.state == "missing" else "boot-init-dangling"
        return [_finding(id_, sev, title, evidence, _repair_remedy(facts, check, arg))]
    if check.state == "not-executable":
        evidence.append(_fallback_line(arg))
        target = check.resolution.resolved or check.path
        remedy = f"`chmod 755 {target}` if it is the right program; otherwise " + _repair_remedy(
            facts, check, arg
        )
        return [
            _finding(
                "boot-init-not-executable",
                Severity.BLOCKER,
                f"next boot cannot exec its init: {check.reason}",
                evidence,
                remedy,
            )
        ]
    if check.state == "interpreter-missing":
        elf = check.elf
        if check.shebang:
            evidence.append(f"{check.resolution.resolved}: {check.shebang}")
            if check.interpreter is not None:
                evidence.append(check.interpreter.chain())
            wanted = check.interpreter.path if check.interpreter else "the interpreter"
            remedy = f"Install {wanted} or fix the #! line; "
        else:
            evidence.append(f"ELF interpreter (PT_INTERP): {elf.interp if elf else '?'} not found")
            remedy = (
                "Restore the dynamic loader (reinstall libc: Debian `apt-get install --reinstall "
                "libc6`, Fedora `dnf reinstall glibc`, Gentoo `emerge --oneshot sys-libs/glibc`) "
                "and check the /lib64 link on merged-/usr hosts; "
            )
        return [
            _finding(
                "boot-init-interpreter-missing",
                Severity.BLOCKER,
                f"next boot's init cannot start: {check.reason}",
                evidence,
                remedy + "verify before rebooting.",
            )
        ]
    if check.state == "library-missing":
        elf = check.elf
        missing = elf.needed_missing if elf else ()
        evidence += [f"DT_NEEDED {lib}: not found inside the root" for lib in missing]
        finder = _FIND_OWNER.get(facts.host.family, "your package manager's file search")
        lib = missing[0] if missing else "the library"
        return [
            _finding(
                "boot-init-library-missing",
                Severity.BLOCKER,
                f"next boot's init cannot start: {check.reason}",
                evidence,
                f"Reinstall the package that ships {lib} (`{finder.format(lib=lib)}`), then "
                f"`ldd {check.resolution.resolved}` must show no 'not found' before any reboot.",
            )
        ]
    if check.state == "unknown":
        return [
            _finding(
                "boot-init-unknown",
                Severity.UNKNOWN,
                f"could not check the next boot's init: {check.reason}",
                evidence,
                "Run cockpit with root (sudo) so it can read /sbin/init and its libraries.",
                critical=True,
            )
        ]
    return []


def _override_unknown(facts: HostFacts) -> list[Finding]:
    """Default entry unknown, and a boot config names an init= that would not boot."""
    if facts.boot.default_cmdline is not None:
        return []
    broken = [c for c in facts.init.candidates if c.state != "ok"]
    if not broken:
        return []
    return [
        _finding(
            "init-override-unknown",
            Severity.UNKNOWN,
            f"a boot config names init={broken[0].path} ({broken[0].reason}); "
            "whether the next boot uses it is unknown",
            [c.resolution.chain() for c in broken],
            "Check the default boot entry's kernel line (`cat /proc/cmdline` after a test "
            "boot, or the boot loader's config); remove the init= or fix its target.",
            critical=True,
        )
    ]


def _runlevel_on_cmdline(cmdline: str | None) -> str | None:
    if cmdline is None:
        return None
    for word in cmdline.split():
        if word in _RUNLEVEL_WORDS:
            return word
    return None


def _inittab_findings(facts: HostFacts) -> list[Finding]:
    tab = facts.init.inittab
    fix = "Restore /etc/inittab (Debian: `cp /usr/share/sysvinit/inittab /etc/inittab`; Gentoo: "
    fix += "re-emerge sys-apps/sysvinit and run etc-update) and check `id:N:initdefault:`."
    if tab.state in ("absent",) or (tab.state == "ok" and tab.empty):
        what = "absent" if tab.state == "absent" else "has no entries"
        return [
            _finding(
                "inittab-unusable",
                Severity.BLOCKER,
                f"sysvinit boot but /etc/inittab {what}: init stops at {_ASK} on the console",
                [
                    f"/etc/inittab: {what}",
                    "sysvinit (init.c): no initdefault -> ask_runlevel() on the console",
                ],
                fix,
            )
        ]
    if tab.state != "ok":
        return [
            _finding(
                "inittab-unknown",
                Severity.UNKNOWN,
                f"sysvinit boot, and /etc/inittab could not be read ({tab.state})",
                [f"/etc/inittab: {tab.state}"],
                "Run cockpit with root (sudo) so it can read /etc/inittab.",
                critical=True,
            )
        ]
    out: list[Finding] = []
    override = _runlevel_on_cmdline(facts.boot.default_cmdline)
    level = max(tab.initdefault.upper(), default="") if tab.initdefault is not None else ""
    if override is None:
        if tab.initdefault is None or level not in "0123456789S" or not level:
            out.append(
                _finding(
                    "inittab-unusable",
                    Severity.BLOCKER,
                    f"no valid initdefault in /etc/inittab: sysvinit stops at {_ASK} "
                    "on the console",
                    [tab.initdefault_line or "/etc/inittab: no 'initdefault' entry"],
                    fix,
                )
            )
        elif level in "06":
            what = "halts" if level == "0" else "reboots again"
            out.append(
                _finding(
                    "inittab-unusable",
                    Severity.BLOCKER,
                    f"/etc/inittab's default runlevel is {level}: the host {what} at every boot",
                    [tab.initdefault_line or ""],
                    "Set a multi-user default: `id:2:initdefault:` (Debian) / "
                    "`id:3:initdefault:` (Gentoo).",
                )
            )
    if not tab.sysinit:
        out.append(
            _finding(
                "inittab-incomplete",
                Severity.CRITICAL,
                "/etc/inittab has no sysinit line: the boot scripts (mounts, udev, network) "
                "will not run",
                ["/etc/inittab: no '::sysinit:' entry"],
                fix,
            )
        )
    target = override if override and override.isdigit() else level
    if (
        target
        and target in "2345"
        and not any(
            target in levels and action not in ("initdefault",)
            for _, levels, action, _ in tab.entries
        )
    ):
        out.append(
            _finding(
                "inittab-incomplete",
                Severity.CRITICAL,
                f"/etc/inittab starts nothing in runlevel {target}: no services, no logins",
                [tab.initdefault_line or f"runlevel {target}"],
                fix,
            )
        )
    return out


def _default_target_findings(facts: HostFacts) -> list[Finding]:
    cmdline = facts.boot.default_cmdline or ""
    if "systemd.unit=" in cmdline:
        return []
    targets = facts.init.default_targets
    if not targets:
        return [
            _finding(
                "default-target-unknown",
                Severity.UNKNOWN,
                "systemd boot, and its default.target was not checked",
                ["no default.target section in the snapshot"],
                "Refresh; run `systemctl get-default` on the host.",
                critical=True,
            )
        ]
    unreadable = [t for t in targets if t.state not in ("ok", "absent", "dangling", "loop")]
    good = [t for t in targets if t.found and t.kind == "f"]
    etc = targets[0]
    evidence = [t.chain() for t in targets if t.state != "absent" or t is etc]
    remedy = (
        "`systemctl set-default multi-user.target` (or graphical.target), "
        "then `systemctl get-default`."
    )
    if good:
        if etc.state in ("dangling", "loop"):
            return [
                _finding(
                    "default-target-dangling",
                    Severity.WARNING,
                    "/etc/systemd/system/default.target is broken; "
                    f"systemd falls back to {good[0].path}",
                    evidence,
                    remedy,
                )
            ]
        return []
    if unreadable:
        return [
            _finding(
                "default-target-unknown",
                Severity.UNKNOWN,
                "systemd boot, and its default.target could not be read",
                evidence,
                "Run cockpit with root (sudo).",
                critical=True,
            )
        ]
    return [
        _finding(
            "default-target-missing",
            Severity.BLOCKER,
            "systemd has no default.target: the boot falls back to rescue.target (no network)",
            evidence,
            remedy,
        )
    ]


def _running_findings(facts: HostFacts, boot: ExecCheck | None) -> list[Finding]:
    init = facts.init
    pid1 = init.pid1
    out: list[Finding] = []
    if pid1.comm_state != "ok":
        if facts.mode == "offline":
            out.append(
                _finding(
                    "running-unknown",
                    Severity.INFO,
                    "running init unknown: offline root",
                    [f"/proc/1/comm: {pid1.comm_state} in this root"],
                    "Nothing to do: a disk that is not running has no PID 1.",
                )
            )
        else:
            out.append(
                _finding(
                    "running-unknown",
                    Severity.UNKNOWN,
                    f"could not read PID 1's name (/proc/1/comm {pid1.comm_state})",
                    [f"/proc/1/comm: {pid1.comm_state}"],
                    "Check /proc is mounted and readable (hidepid?).",
                )
            )
        return out
    cmd = " ".join(pid1.cmdline)[:200]
    if init.running_family == "unknown":
        out.append(
            _finding(
                "running-unknown",
                Severity.INFO,
                f"PID 1 is {pid1.comm}, not an init system cockpit knows "
                "(a microVM agent or container entry point?)",
                [f"/proc/1/comm: {pid1.comm}", f"/proc/1/cmdline: {cmd}", *init.running_evidence],
                "Nothing to fix here; reboots of this machine are managed by whatever runs it.",
            )
        )
    if pid1.deleted:
        fix = {
            "systemd": "`systemctl daemon-reexec`",
            "sysvinit": "`telinit u`",
        }.get(init.running_family, "re-exec PID 1 or plan a reboot")
        out.append(
            _finding(
                "pid1-deleted",
                Severity.WARNING,
                f"PID 1's binary was replaced since boot ({pid1.exe} (deleted))",
                [f"/proc/1/exe -> {pid1.exe} (deleted)", f"/proc/1/comm: {pid1.comm}"],
                f"{fix} so PID 1 runs the installed binary (and check the next boot's init first).",
            )
        )
    boot_family = boot.family if boot is not None else "unknown"
    if (
        init.running_family != "unknown"
        and boot is not None
        and boot.state == "ok"
        and boot_family not in ("unknown", "missing")
        and boot_family != init.running_family
    ):
        out.append(
            _finding(
                "migration-in-progress",
                Severity.WARNING,
                f"init migration in progress: {init.running_family} runs now, "
                f"{boot_family} will boot next",
                [
                    f"/proc/1/comm: {pid1.comm}"
                    + (f", /proc/1/exe -> {pid1.exe}" if pid1.exe else ""),
                    *init.running_evidence,
                    boot.resolution.chain(),
                ],
                f"Finish the migration before rebooting: check that {boot_family} starts ssh and "
                "the network at boot; reboot with the running init's own command "
                f"({_REBOOT_CMD.get(init.running_family, '`shutdown -r now`')}).",
            )
        )
    return out


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    init = facts.init
    out: list[Finding] = []
    boot, arg = effective_boot(init, facts.boot.default_cmdline)
    if arg and boot is None:
        out.append(
            _finding(
                "boot-init-unknown",
                Severity.UNKNOWN,
                f"the default entry boots init={arg}, which cockpit did not check",
                [_boot_source(facts, arg)],
                f"Check `ls -lL {arg}` on the host; cockpit probes init= values it finds in "
                "grub.cfg, /etc/default/grub, BLS entries, extlinux and /etc/kernel/cmdline.",
                critical=True,
            )
        )
    elif boot is None:
        out.append(
            _finding(
                "boot-init-unknown",
                Severity.UNKNOWN,
                "the next boot's init was not checked",
                ["no init.boot section in the snapshot"],
                "Refresh; if it persists, run `cockpit check -v`.",
                critical=True,
            )
        )
    else:
        out += _boot_findings(facts, boot, arg)
        if boot.state == "ok" and boot.family == "sysvinit":
            out += _inittab_findings(facts)
        if boot.state == "ok" and boot.family == "systemd":
            out += _default_target_findings(facts)
    if not arg:
        out += _override_unknown(facts)
    out += _running_findings(facts, boot)
    return out


__all__ = ["boot_label", "judge"]

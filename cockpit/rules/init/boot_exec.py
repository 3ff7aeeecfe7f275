"""Can the next boot exec its init? Findings on the program the kernel will run.

These are the BLOCKERs that rest on files the boot needs, read directly: the program the
kernel will exec (the default entry's `init=`, else /sbin/init), its ELF interpreter and
libraries, or its `#!` interpreter. With `init=X` the kernel panics when X fails
("Requested init X failed"); without, it falls back to /etc/init, /bin/init, /bin/sh,
i.e. at best a root shell on the console with no services and no network.
"""

from __future__ import annotations

from cockpit.distros import family
from cockpit.facts import HostFacts
from cockpit.facts.init import ExecCheck, InitFacts
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.init.finding import finding
from cockpit.rules.init.remedies import find_owner, repair_remedy
from cockpit.rules.pasteable import word
from cockpit.rules.unread import remedy as unread_remedy

_NOTHING = ("missing", "dangling", "loop")


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


def _unread_state(check: ExecCheck) -> str:
    """Why an init could not be checked: its resolution's state, else its ELF read's."""
    if check.resolution.state != "ok":
        return check.resolution.state
    return check.elf.state if check.elf is not None else "error"


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
            and family(facts.host.family).systemd_initrd
            and any(fam == "systemd" for fam, _ in init.installed)
        ):
            sev = Severity.CRITICAL
            title += " (a systemd initrd would still start systemd; other boots would not)"
        id_ = "boot-init-missing" if check.state == "missing" else "boot-init-dangling"
        remedy = repair_remedy(facts, check, arg)
        return [finding(id_, sev, title, evidence, remedy, stage=Stage.INIT_EXEC)]
    if check.state == "not-executable":
        evidence.append(_fallback_line(arg))
        target = check.resolution.resolved or check.path
        remedy = (
            f"`chmod 755 {word(target, 'PATH')}` if it is the right program; otherwise "
            + repair_remedy(facts, check, arg)
        )
        return [
            finding(
                "boot-init-not-executable",
                Severity.BLOCKER,
                f"next boot cannot exec its init: {check.reason}",
                evidence,
                remedy,
                stage=Stage.INIT_EXEC,
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
            finding(
                "boot-init-interpreter-missing",
                Severity.BLOCKER,
                f"next boot's init cannot start: {check.reason}",
                evidence,
                remedy + "verify before rebooting.",
                stage=Stage.INIT_EXEC,
            )
        ]
    if check.state == "library-missing":
        elf = check.elf
        missing = elf.needed_missing if elf else ()
        evidence += [f"DT_NEEDED {lib}: not found inside the root" for lib in missing]
        lib = missing[0] if missing else "the library"
        return [
            finding(
                "boot-init-library-missing",
                Severity.BLOCKER,
                f"next boot's init cannot start: {check.reason}",
                evidence,
                f"Reinstall the package that ships {lib} (`{find_owner(facts, lib)}`), then "
                f"`ldd {word(check.resolution.resolved, 'PATH')}` must show no 'not found' "
                "before any reboot.",
                stage=Stage.INIT_EXEC,
            )
        ]
    if check.state == "exec-target-broken" and check.execs is not None:
        evidence.append(f"{check.resolution.resolved}: exec {check.execs.path}")
        evidence.append(check.execs.resolution.chain())
        return [
            finding(
                "boot-init-exec-target-broken",
                Severity.BLOCKER,
                f"next boot's init cannot start: {check.reason}",
                evidence,
                f"Fix the wrapper {check.resolution.resolved} or what it execs "
                f"({check.execs.path}): {check.execs.reason}. Check before any reboot.",
                stage=Stage.INIT_EXEC,
            )
        ]
    if check.state == "unknown":
        return [
            finding(
                "boot-init-unknown",
                Severity.UNKNOWN,
                f"could not check the next boot's init: {check.reason}",
                evidence,
                unread_remedy(
                    [_unread_state(check)],
                    facts.host.as_root,
                    "/sbin/init and its libraries must be readable.",
                ),
                critical=True,
                stage=Stage.INIT_EXEC,
            )
        ]
    return []


def override_unknown(facts: HostFacts) -> list[Finding]:
    """Default entry unknown, and a boot config names an init= that would not boot."""
    if facts.boot.default_cmdline is not None:
        return []
    broken = [c for c in facts.init.candidates if c.state != "ok"]
    if not broken:
        return []
    return [
        finding(
            "init-override-unknown",
            Severity.UNKNOWN,
            f"a boot config names init={broken[0].path} ({broken[0].reason}); "
            "whether the next boot uses it is unknown",
            [c.resolution.chain() for c in broken],
            "Check the default boot entry's kernel line (`cat /proc/cmdline` after a test "
            "boot, or the boot loader's config); remove the init= or fix its target.",
            critical=True,
            stage=Stage.INIT_EXEC,
        )
    ]


def boot_init_findings(facts: HostFacts, boot: ExecCheck | None, arg: str | None) -> list[Finding]:
    """Findings on the next boot's init, or why it could not be checked."""
    if arg and boot is None:
        return [
            finding(
                "boot-init-unknown",
                Severity.UNKNOWN,
                f"the default entry boots init={arg}, which cockpit did not check",
                [_boot_source(facts, arg)],
                f"Check `ls -lL {word(arg, 'PATH')}` on the host; cockpit probes init= values it "
                "finds in "
                "grub.cfg, /etc/default/grub, BLS entries, extlinux and /etc/kernel/cmdline.",
                critical=True,
                stage=Stage.INIT_EXEC,
            )
        ]
    if boot is None:
        return [
            finding(
                "boot-init-unknown",
                Severity.UNKNOWN,
                "the next boot's init was not checked",
                ["no init.boot section in the snapshot"],
                "Refresh; if it persists, run `cockpit check -v`.",
                critical=True,
                stage=Stage.INIT_EXEC,
            )
        ]
    return _boot_findings(facts, boot, arg)

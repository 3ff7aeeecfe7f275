"""Does the next boot's init reach multi-user, or stop short by configuration?

A host whose default target is rescue.target, or whose kernel command line says `single`,
`emergency` or `systemd.unit=poweroff.target`, boots "fine" and then waits on the console
for a root password (or powers off): the network and sshd never start. That is a boot that
fails for a host managed remotely, so these are BLOCKERs of the init-config stage, with the
line that asks for it as evidence.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.init import ExecCheck
from cockpit.rules import pasteable
from cockpit.rules.chain import cmdline as kcmd
from cockpit.rules.chain.init_stages import site_target_pulls
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.init.finding import finding

#: systemd targets that never pull in multi-user.target, and what the console shows.
SYSTEMD_DEAD_ENDS: dict[str, str] = {
    "rescue.target": "rescue mode: a root password prompt on the console, no network",
    "emergency.target": "emergency mode: a root password prompt, not even local mounts",
    "poweroff.target": "the host powers off as soon as it has booted",
    "halt.target": "the host halts as soon as it has booted",
    "reboot.target": "the host reboots as soon as it has booted, again and again",
    "kexec.target": "the host kexecs as soon as it has booted",
    "exit.target": "systemd exits as soon as it has booted",
    "shutdown.target": "the host shuts down as soon as it has booted",
    "sysinit.target": "only early boot runs: no services, no network, no login",
    "basic.target": "only basic services run: no sshd, no network, no login",
    "soft-reboot.target": "the host soft-reboots as soon as it has booted",
    "runlevel0.target": "the host powers off as soon as it has booted",
    "runlevel1.target": "rescue mode: a root password prompt on the console, no network",
    "runlevel6.target": "the host reboots as soon as it has booted, again and again",
}

#: sysvinit levels (from its argv or initdefault) that are not multi-user.
SYSVINIT_DEAD_ENDS: dict[str, str] = {
    "S": "single-user mode: sulogin asks for the root password on the console, no network",
    "1": "single-user mode: sulogin asks for the root password on the console, no network",
    "emergency": "emergency mode: sulogin before anything else runs",
    "0": "the host halts as soon as it has booted",
    "6": "the host reboots as soon as it has booted, again and again",
}

_SYSTEMD_FIX = (
    "Remove `{word}` from the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, "
    "then `update-grub` / `grub2-mkconfig -o ...`; BLS: `grubby --update-kernel=ALL "
    "--remove-args={word}`), or `systemctl set-default multi-user.target`."
)


def _not_multi_user(title: str, evidence: list[str], remedy: str) -> list[Finding]:
    """The one finding every way of booting short of multi-user gives: a BLOCKER of the
    init-config stage (a host nobody can reach is a boot that failed)."""
    return [
        finding(
            "boot-target-not-multi-user",
            Severity.BLOCKER,
            title,
            evidence,
            remedy,
            stage=Stage.INIT_CONFIG,
        )
    ]


#: What each multi-user default target needs started (Requires=, down to sysinit.target).
_NEEDS = {
    "graphical.target": ("graphical.target", "multi-user.target", "basic.target", "sysinit.target"),
    "multi-user.target": ("multi-user.target", "basic.target", "sysinit.target"),
}
_UNMASK = "`systemctl unmask {unit}`, then `systemctl get-default`."


def _masked_needs(facts: HostFacts, target: str) -> list[Finding]:
    """A target the default one needs, masked in /etc: the boot's start job for the
    default target fails ("Failed to isolate default target: Unit ... is masked") and
    systemd freezes."""
    needs = _NEEDS.get(target, ())
    masked = [
        r for r in facts.init.target_overrides if r.masked and r.path.rsplit("/", 1)[-1] in needs
    ]
    if not masked:
        return []
    unit = masked[0].path.rsplit("/", 1)[-1]
    return _not_multi_user(
        f"{unit} is masked and the boot's target {target} needs it: systemd cannot start "
        "its default target and freezes ('Failed to isolate default target')",
        [r.chain() for r in masked],
        _UNMASK.format(unit=unit),
    )


def systemd_target_findings(facts: HostFacts) -> list[Finding]:
    cmdline = facts.boot.default_cmdline
    override = kcmd.systemd_override(cmdline) if cmdline is not None else None
    if override is not None:
        target, word = override
        why = SYSTEMD_DEAD_ENDS.get(target)
        if why is None:
            return _masked_needs(facts, target)
        return _not_multi_user(
            f"the next boot's command line boots {target}: {why}",
            [f"default entry's command line: {cmdline}", f"`{word}` -> {target}"],
            _SYSTEMD_FIX.format(word=pasteable.word(word, "THE-WORD")),
        )
    for res in facts.init.default_targets:
        if res.state == "absent":
            continue
        if res.masked:
            return [
                finding(
                    "boot-target-masked",
                    Severity.BLOCKER,
                    f"systemd's default target is masked ({res.path} -> /dev/null): systemd "
                    "logs 'Unit default.target is masked.' and boots rescue.target: a root "
                    "password prompt on the console, no network",
                    [res.chain()],
                    f"`rm {res.path}` (the mask), then `systemctl set-default "
                    "multi-user.target` and `systemctl get-default`.",
                    stage=Stage.INIT_CONFIG,
                )
            ]
        if not (res.found and res.kind == "f"):
            return []  # dangling or unreadable: boot_config's findings say so
        name = (res.resolved or res.path).rsplit("/", 1)[-1]
        why = SYSTEMD_DEAD_ENDS.get(name)
        if why is None:
            return _masked_needs(facts, site_target_pulls(facts, res) or name)
        return _not_multi_user(
            f"systemd's default target is {name}: {why}",
            [res.chain()],
            "`systemctl set-default multi-user.target` (or graphical.target), then "
            "`systemctl get-default`.",
        )
    return []


#: Programs that are a shell, not an init: as PID 1 they give a root prompt on the console
#: and start nothing (no mounts beyond root, no network, no sshd).
SHELLS = frozenset(
    {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "ksh93", "fish", "csh", "tcsh"}
)


def shell_init_findings(
    facts: HostFacts, check: ExecCheck | None, arg: str | None
) -> list[Finding]:
    """`init=/bin/sh` (or /sbin/init pointing at a shell): the boot ends at a root shell."""
    if check is None or check.state != "ok":
        return []
    resolved = check.resolution.resolved or check.path
    base = resolved.rsplit("/", 1)[-1]
    if base not in SHELLS:
        return []
    asked = f"init={arg}" if arg else check.path
    return [
        finding(
            "boot-init-is-a-shell",
            Severity.BLOCKER,
            f"the next boot runs a shell as init ({asked} -> {resolved}): a root prompt on the "
            "console, no services, no network",
            [
                check.resolution.chain(),
                f"default entry's command line: {facts.boot.default_cmdline}",
            ],
            f"Remove `{pasteable.word(asked, 'init=...')}` from the kernel command line (or "
            "point /sbin/init back at the "
            "init system); a shell as init is for repairs at the console only.",
            stage=Stage.INIT_CONFIG,
        )
    ]


def skipped_arg_findings(facts: HostFacts) -> list[Finding]:
    """initramfs-tools skips an init= it cannot run and boots /sbin/init (seen in the boot
    oracle: 'Target filesystem doesn't have requested /sbin/nosuchinit.')."""
    skipped = facts.init.init_arg_skipped
    if skipped is None:
        return []
    return [
        finding(
            "boot-init-arg-skipped",
            Severity.WARNING,
            f"init={skipped} cannot run: initramfs-tools will boot /sbin/init instead",
            [
                f"default entry's command line: {facts.boot.default_cmdline}",
                "initramfs-tools /init: \"Target filesystem doesn't have requested "
                f'{skipped}", then /sbin/init',
            ],
            f"Remove or fix `init={pasteable.word(skipped, '...')}` on the kernel command line.",
        )
    ]


def sysvinit_level_findings(facts: HostFacts) -> list[Finding]:
    cmdline = facts.boot.default_cmdline
    override = kcmd.sysvinit_override(cmdline) if cmdline is not None else None
    if override is not None:
        level, word = override
        why = SYSVINIT_DEAD_ENDS.get(level)
        if why is None:
            return []
        return _not_multi_user(
            f"the next boot's command line asks sysvinit for `{word}`: {why}",
            [f"default entry's command line: {cmdline}"],
            f"Remove `{pasteable.word(word, 'THE-WORD')}` from the kernel command line "
            "(GRUB_CMDLINE_LINUX in /etc/default/grub, then `update-grub`).",
        )
    tab = facts.init.inittab
    if tab.state != "ok" or not tab.initdefault:
        return []
    level = max(tab.initdefault.upper())
    why = SYSVINIT_DEAD_ENDS.get(level) if level in ("S", "1") else None
    if why is None:
        return []  # 0 and 6 are inittab findings already
    return _not_multi_user(
        f"/etc/inittab's default runlevel is {level}: {why}",
        [tab.initdefault_line or f"initdefault {tab.initdefault}"],
        "Set a multi-user default: `id:2:initdefault:` (Debian) / `id:3:initdefault:` (Gentoo).",
    )


def runit_stage_findings(facts: HostFacts) -> list[Finding]:
    """runit-init runs /etc/runit/2 (runsvdir: every service, the gettys) for as long as the
    host is up. When it cannot start it, runit goes on to stage 3 at once and powers off
    (the boot oracle's console: 'runit: fatal: unable to start child: /etc/runit/2: access
    denied', then 'runit: power off...')."""
    init = facts.init
    if init.runit_dir_state != "ok" or dict(init.runit_stages).get("2"):
        return []
    return [
        finding(
            "boot-runit-stage2-unusable",
            Severity.BLOCKER,
            "runit's /etc/runit/2 is missing, empty or not executable: runit skips to "
            "stage 3 and powers the host off as soon as it has booted",
            [
                "/etc/runit/2: "
                + (
                    "present, not executable or empty"
                    if "2" in dict(init.runit_stages)
                    else "absent"
                )
            ],
            "Restore /etc/runit/2 (`apt-get install --reinstall runit`) and `chmod 755 "
            "/etc/runit/2`.",
            stage=Stage.INIT_CONFIG,
        )
    ]

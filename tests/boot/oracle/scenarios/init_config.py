"""Init configuration: does the configured boot reach multi-user? systemd's default
target and command-line overrides, sysvinit's initdefault, OpenRC's default runlevel.

Direct boots; command-line overrides are written into grub.cfg by update-grub (so the
tree carries them), and the direct boot takes grub.cfg's default entry as it is.
Debian's OpenRC has no `localmount` service: its sysinit runlevel runs Debian's own boot
scripts (mountall.sh mounts fstab's filesystems), so openrc-sysinit-no-mountall is the
missing-localmount case on Debian. runit: stage 2 (/etc/runit/2) is what starts the
services (runsvdir) after stage 1's one-time setup.
"""

from __future__ import annotations

from tests.boot.oracle.scenario import Break, Scenario
from tests.boot.oracle.scenarios.edits import (
    chmod,
    cmdline,
    grub_default,
    rm,
    run,
    sub,
    symlink,
    unlink,
    update_grub,
    write,
)

C = "init-config"


def target(name: str) -> tuple[Break, ...]:
    return (run("systemctl", "set-default", name),)


CUSTOM_TARGET = """[Unit]
Description=Site default: everything multi-user has, and the site's own units
Requires=multi-user.target
After=multi-user.target
AllowIsolate=yes
"""


def initdefault(level: str) -> tuple[Break, ...]:
    return (sub("etc/inittab", "id:2:initdefault:", f"id:{level}:initdefault:"),)


SCENARIOS = [
    Scenario(
        "entry-default-recovery",
        C,
        "systemd",
        (grub_default("GRUB_DEFAULT", '"1>1"'), update_grub()),
        "rescue",
        'You are in rescue mode. After logging in, type "journalctl -xb" to view',
        boot="grub",
        doc="GRUB_DEFAULT points at the recovery entry, whose command line has `single`: "
        "through GRUB, since GRUB's choice of the default entry is what makes the line.",
    ),
    Scenario(
        "target-rescue",
        C,
        "systemd",
        target("rescue.target"),
        "rescue",
        'You are in rescue mode. After logging in, type "journalctl -xb" to view',
        doc="systemctl set-default rescue.target",
    ),
    Scenario(
        "target-emergency",
        C,
        "systemd",
        target("emergency.target"),
        "emergency",
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        doc="systemctl set-default emergency.target",
    ),
    Scenario(
        "target-poweroff",
        C,
        "systemd",
        target("poweroff.target"),
        "poweroff",
        "reboot: Power down",
        doc="systemctl set-default poweroff.target",
    ),
    Scenario(
        "target-reboot",
        C,
        "systemd",
        target("reboot.target"),
        "reboot",
        "reboot: Restarting system",
        doc="systemctl set-default reboot.target (qemu runs with -no-reboot: a real "
        "host would loop)",
    ),
    Scenario(
        "target-graphical",
        C,
        "systemd",
        target("graphical.target"),
        "booted",
        "vm login:",
        doc="graphical.target without a display manager: harmless.",
    ),
    Scenario(
        "cmdline-systemd-unit-rescue",
        C,
        "systemd",
        cmdline("systemd.unit=rescue.target"),
        "rescue",
        'You are in rescue mode. After logging in, type "journalctl -xb" to view',
        doc="systemd.unit=rescue.target on the command line.",
    ),
    Scenario(
        "cmdline-single",
        C,
        "systemd",
        cmdline("single"),
        "rescue",
        'You are in rescue mode. After logging in, type "journalctl -xb" to view',
        doc="`single` on the command line (systemd maps it to rescue.target).",
    ),
    Scenario(
        "cmdline-runlevel-3",
        C,
        "systemd",
        cmdline("3"),
        "booted",
        "vm login:",
        doc="`3` on the command line (runlevel3.target = multi-user): harmless.",
    ),
    Scenario(
        "sysv-initdefault-0",
        C,
        "sysvinit",
        initdefault("0"),
        "poweroff",
        "reboot: Power down",
        doc="inittab's initdefault 0 (halt).",
    ),
    Scenario(
        "sysv-initdefault-S",
        C,
        "sysvinit",
        initdefault("S"),
        "rescue",
        "Press Enter for maintenance",
        doc="inittab's initdefault S (single user).",
    ),
    Scenario(
        "sysv-inittab-missing",
        C,
        "sysvinit",
        (rm("etc/inittab"),),
        "runlevel-prompt",
        "Enter runlevel:",
        doc="/etc/inittab deleted.",
    ),
    Scenario(
        "openrc-default-empty",
        C,
        "openrc",
        (rm("etc/runlevels/default/*"),),
        "booted",
        "vm login:",
        doc="OpenRC's default runlevel emptied (no services; getty comes from inittab).",
    ),
    Scenario(
        "cmdline-init-sh",
        C,
        "systemd",
        cmdline("init=/bin/sh"),
        "init-shell",
        "/bin/sh: 0: can't access tty; job control turned off",
        doc="init=/bin/sh: the program exists and runs as PID 1 (init-exec holds), but it "
        "is no init system: a root prompt on the console, nothing started "
        "(docs/boot-chain.md: a shell as init breaks init-config).",
    ),
    Scenario(
        "cmdline-emergency",
        C,
        "systemd",
        cmdline("emergency"),
        "emergency",
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        doc="`emergency` on the command line (systemd maps it to emergency.target).",
    ),
    Scenario(
        "target-custom-multi-user",
        C,
        "systemd",
        (
            write("etc/systemd/system/site.target", CUSTOM_TARGET),
            run("systemctl", "set-default", "site.target"),
        ),
        "booted",
        "vm login:",
        doc="A site's own default target that Requires= multi-user.target: must stay bootable.",
    ),
    Scenario(
        "target-masked",
        C,
        "systemd",
        (symlink("etc/systemd/system/default.target", "/dev/null"),),
        "rescue",
        "systemd[1]: Unit default.target is masked.",
        doc="default.target masked: /etc/systemd/system/default.target -> /dev/null.",
    ),
    Scenario(
        "target-multi-user-masked",
        C,
        "systemd",
        (symlink("etc/systemd/system/multi-user.target", "/dev/null"),),
        "hang",
        "systemd[1]: Freezing execution.",
        doc="multi-user.target masked, default.target left at graphical.target, which "
        "Requires= it: the start job for the default target fails and systemd freezes "
        "(no rescue, no shell: a console that stops).",
    ),
    Scenario(
        "openrc-sysinit-no-mountall",
        C,
        "openrc",
        (unlink("etc/runlevels/sysinit/mountall.sh"),),
        "booted",
        "Mounting local filesystems...done.",
        doc="OpenRC's sysinit runlevel without mountall.sh (Debian's counterpart of "
        "localmount, see above). SURPRISE, recorded as the truth: mountall.sh runs anyway "
        "('Mounting local filesystems...done.') and the host reaches login: OpenRC starts "
        "a runlevel's services' dependencies too, and mountall-bootclean.sh (still in "
        "sysinit) has `Required-Start: mountall` (networking, mountnfs.sh: $local_fs).",
        engine_miss="init-config asks for mountall.sh and checkroot.sh to be IN the sysinit "
        "runlevel and, when they are not, says UNKNOWN (services.openrc-local-mounts-"
        "unproven; it was a false UNBOOTABLE): the runlevel's services closed over their "
        "LSB Required-Start / depend() need ($local_fs -> mountall, as /etc/insserv.conf "
        "says) are not read, so the boot cannot be proven.",
    ),
    Scenario(
        "runit-stage2-not-executable",
        C,
        "runit",
        (chmod("etc/runit/2", 0o644),),
        "poweroff",
        "runit: fatal: unable to start child: /etc/runit/2: access denied",
        doc="runit's stage 2 script lost its execute bits.",
    ),
]

"""Init configuration: does the configured boot reach multi-user? systemd's default
target and command-line overrides, sysvinit's initdefault, OpenRC's default runlevel.

Direct boots; command-line overrides are written into grub.cfg by update-grub (so the
tree carries them), and the direct boot takes grub.cfg's default entry as it is.
"""

from __future__ import annotations

from tests.boot.oracle.scenario import Break, Scenario
from tests.boot.oracle.scenarios.edits import cmdline, rm, run, sub

C = "init-config"


def target(name: str) -> tuple[Break, ...]:
    return (run("systemctl", "set-default", name),)


def initdefault(level: str) -> tuple[Break, ...]:
    return (sub("etc/inittab", "id:2:initdefault:", f"id:{level}:initdefault:"),)


SCENARIOS = [
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
]

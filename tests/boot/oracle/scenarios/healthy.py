"""Healthy roots of each init: they MUST stay bootable (a false alarm here is a bug).

Each is booted with the user-mode NIC (restrict=on) and must show sshd's banner: one
boot proves the whole chain AND remote access (the ssh-healthy-* scenarios of the first
oracle were the same roots booted a second time for that). healthy-systemd boots
through the disk's own MBR, GRUB and grub.cfg; the others take the same entry directly
(their GRUB files are the base's, the same as systemd's: the entry stage is not what they
test).
"""

from __future__ import annotations

from tests.boot.oracle.scenario import Scenario

SCENARIOS = [
    Scenario(
        "healthy-systemd",
        "",
        "systemd",
        (),
        "sshd-up",
        "SSH-2.0-OpenSSH_9.2p1",
        boot="grub",
        ssh=True,
        doc="The base root as built, through its own GRUB.",
    ),
    Scenario(
        "healthy-sysvinit",
        "",
        "sysvinit",
        (),
        "sshd-up",
        "SSH-2.0-OpenSSH_9.2p1",
        ssh=True,
        doc="sysvinit-core replacing systemd-sysv.",
    ),
    Scenario(
        "healthy-openrc",
        "",
        "openrc",
        (),
        "sshd-up",
        "SSH-2.0-OpenSSH_9.2p1",
        ssh=True,
        doc="OpenRC on sysvinit's /sbin/init.",
    ),
    Scenario(
        "healthy-runit",
        "",
        "runit",
        (),
        "sshd-up",
        "SSH-2.0-OpenSSH_9.2p1",
        ssh=True,
        doc="runit-init: stage 1 runs the rcS scripts, stage 2 runsvdir (getty-ttyS0 and "
        "ssh are in its default service directory).",
    ),
]

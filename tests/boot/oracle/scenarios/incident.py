"""The incident (shared/incident-2011.md): the init package purged, on each init; and a
half-done package run, which must NOT be mistaken for it.

SURPRISE, recorded as the truth: unlike the 2011 host (no initramfs: "No working init
found"), Debian's initramfs-tools does not panic when /sbin/init is gone. run-init says
"Target filesystem doesn't have requested /sbin/init.", tries /etc/init and /bin/init,
and finally execs /bin/sh as PID 1: a root shell on the console ("/bin/sh: 0: can't
access tty; job control turned off"), with no services, no network, no getty. The host
is up in name only and unreachable: outcome `init-shell`, not multi-user.
"""

from __future__ import annotations

from tests.boot.oracle.scenario import Scenario
from tests.boot.oracle.scenarios.edits import run, sub

STAGE = "init-exec"
FORCE = ("dpkg", "--purge", "--force-remove-essential", "--force-remove-protected",
         "--force-depends")  # fmt: skip

SCENARIOS = [
    Scenario(
        "incident-systemd",
        STAGE,
        "systemd",
        (run(*FORCE, "systemd-sysv"),),
        "init-shell",
        "/bin/sh: 0: can't access tty; job control turned off",
        doc="systemd-sysv (the init package) purged.",
    ),
    Scenario(
        "incident-sysvinit",
        STAGE,
        "sysvinit",
        (run(*FORCE, "sysvinit-core"),),
        "init-shell",
        "/bin/sh: 0: can't access tty; job control turned off",
        doc="sysvinit-core purged: the 2011 incident on Debian.",
    ),
    Scenario(
        "incident-openrc",
        STAGE,
        "openrc",
        (run(*FORCE, "sysvinit-core"),),
        "init-shell",
        "/bin/sh: 0: can't access tty; job control turned off",
        doc="OpenRC host, sysvinit-core (its /sbin/init) purged.",
    ),
    Scenario(
        "dpkg-half-configured",
        "",
        "systemd",
        (
            sub(
                "var/lib/dpkg/status",
                "Package: cron\nStatus: install ok installed",
                "Package: cron\nStatus: install ok half-configured",
            ),
        ),
        "booted",
        "vm login:",
        doc="A dpkg run interrupted while configuring cron: harmless for the boot.",
    ),
]

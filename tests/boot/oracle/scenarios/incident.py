"""The incident (shared/incident-2011.md): the init package purged, on each init; and a
half-done package run, which must NOT be mistaken for it."""

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
        "?",
        "?",
        doc="systemd-sysv (the init package) purged.",
    ),
    Scenario(
        "incident-sysvinit",
        STAGE,
        "sysvinit",
        (run(*FORCE, "sysvinit-core"),),
        "?",
        "?",
        doc="sysvinit-core purged: the 2011 incident on Debian.",
    ),
    Scenario(
        "incident-openrc",
        STAGE,
        "openrc",
        (run(*FORCE, "sysvinit-core"),),
        "?",
        "?",
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
        "?",
        "?",
        doc="A dpkg run interrupted while configuring cron: harmless for the boot.",
    ),
]

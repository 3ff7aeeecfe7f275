"""Healthy roots of each init: they MUST stay bootable (a false alarm here is a bug)."""

from __future__ import annotations

from tests.boot.oracle.scenario import Scenario

SCENARIOS = [
    Scenario(
        "healthy-systemd",
        "",
        "systemd",
        (),
        "booted",
        "vm login:",
        boot="grub",
        doc="The base root as built, through its own GRUB.",
    ),
    Scenario(
        "healthy-sysvinit",
        "",
        "sysvinit",
        (),
        "booted",
        "vm login:",
        boot="grub",
        doc="sysvinit-core replacing systemd-sysv, through GRUB.",
    ),
    Scenario(
        "healthy-openrc",
        "",
        "openrc",
        (),
        "booted",
        "vm login:",
        boot="grub",
        doc="OpenRC on sysvinit's /sbin/init, through GRUB.",
    ),
]

"""Any package manager: the last init or libc package removed, and none installed.

Cross-family because the question is the same everywhere (will the next boot find an
init and a libc?) and the removal logs of dpkg, pacman and portage answer it alike.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts.packages import PackageFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding

#: Packages whose removal leaves the next boot without init or libc (name -> what it is).
_INIT_PKGS = {
    "sys-apps/sysvinit": "init",
    "sys-apps/openrc": "init",
    "sys-apps/systemd": "init",
    "sys-process/runit": "init",
    "sys-apps/s6-linux-init": "init",
    "sysvinit-core": "init",
    "systemd-sysv": "init",
    "runit-init": "init",
    "openrc": "init",
    "sysvinit": "init",
    "systemd": "init",
    "systemd-sysvcompat": "init",
    "runit": "init",
    "s6-linux-init": "init",
    "sys-libs/glibc": "libc",
    "sys-libs/musl": "libc",
    "sys-libs/uclibc-ng": "libc",
    "libc6": "libc",
    "glibc": "libc",
    "musl": "libc",
}
#: What to type when the last init or libc is gone, per package manager.
_REINSTALL = {
    "portage": {
        "init": "Before any reboot: `emerge -1 sys-apps/sysvinit` (or finish the migration: "
        "kernel, udev, then openrc, sysvinit last); check `ls -l /sbin/init`.",
        "libc": "Before any reboot: reinstall glibc from a binary package "
        "(`emerge -1K sys-libs/glibc`) or from a rescue system.",
    },
    "dpkg": {
        "init": "Before any reboot: `apt-get install systemd-sysv` (or `sysvinit-core`); "
        "check `ls -l /sbin/init`.",
        "libc": "Before any reboot: `apt-get install --reinstall libc6` "
        "(from a rescue system if apt no longer runs).",
    },
    "pacman": {
        "init": "Before any reboot: `pacman -S systemd-sysvcompat` (or your init); "
        "check `ls -l /sbin/init`.",
        "libc": "Before any reboot: reinstall glibc from a rescue system "
        "(`pacman --sysroot /mnt -S glibc`).",
    },
}


def essential_removed_findings(p: PackageFacts, now: datetime) -> list[Finding]:
    if p.installed_keys is None:
        return []
    out: list[Finding] = []
    for kind in ("init", "libc"):
        candidates = {name for name, k in _INIT_PKGS.items() if k == kind}
        if p.installed_keys & candidates:
            continue  # a provider is installed
        gone = [r for r in p.removals if r.package in candidates]
        if not gone:
            continue
        last = gone[-1]
        version = f"-{last.version}" if last.version and last.manager == "portage" else ""
        when = last.when
        if last.epoch is not None and now.tzinfo is not None:
            when = (
                datetime.fromtimestamp(last.epoch, now.tzinfo).strftime("%Y-%m-%d %H:%M %Z").strip()
            )
        out.append(
            finding(
                "essential-removed",
                Severity.CRITICAL,
                f"{last.package}{version} ({kind}) was removed at {when} "
                f"and no {kind} package is installed",
                [r.evidence for r in gone[-3:]],
                _REINSTALL[last.manager][kind],
            )
        )
    return out

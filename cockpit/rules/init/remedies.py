"""What to type to put an init back, per host family and init family.

Kept apart from the checks; the commands per distribution are in cockpit/distros.
"""

from __future__ import annotations

from cockpit.distros import family
from cockpit.facts import HostFacts
from cockpit.facts.init import ExecCheck
from cockpit.rules.pasteable import word

#: How to reboot with the running init's own command, when it is not the one that boots.
REBOOT_CMD = {"systemd": "`systemctl reboot`", "openrc": "`openrc-shutdown -r now`"}


def find_owner(facts: HostFacts, lib: str) -> str:
    """The command that names the package shipping `lib`, on this host's family."""
    command = family(facts.host.family).find_owner
    lib = word(lib, "LIBRARY")
    return command.format(lib=lib) if command else "your package manager's file search"


def _intended_family(facts: HostFacts, check: ExecCheck) -> str:
    """Which init the host meant to boot: the broken one's family, else what is installed,
    else the distribution's usual init."""
    if check.family not in ("unknown", "missing"):
        return check.family
    for fam, _ in facts.init.installed:
        if fam not in ("unknown", "busybox"):
            return fam
    return family(facts.host.family).usual_init or "unknown"


def _reinstall_cmd(facts: HostFacts, init_family: str) -> str | None:
    return family(facts.host.family).reinstall_init.get(init_family)


def repair_remedy(facts: HostFacts, check: ExecCheck, arg: str | None) -> str:
    init_family = _intended_family(facts, check)
    steps = []
    cmd = _reinstall_cmd(facts, init_family)
    if cmd:
        steps.append(f"Now, while the host is still up: `{cmd}`")
    else:
        steps.append(f"Reinstall the package that provides {check.path} ({init_family} init)")
    others = [
        path
        for fam, path in facts.init.installed
        if fam in ("systemd", "sysvinit", "openrc", "runit", "s6")
        or (fam == "busybox" and family(facts.host.family).busybox_init)
    ]
    if others and not arg and word(others[0], ""):
        steps.append(f"or point /sbin/init at an installed init: `ln -sf {others[0]} /sbin/init`")
    steps.append(f"then check `ls -lL {word(check.path, 'PATH')}` before any reboot")
    steps.append(
        "already down? at the boot loader add init=/bin/sh (or an installed init) to the "
        "kernel line, or boot a rescue system, chroot and reinstall"
    )
    return "; ".join(steps) + "."

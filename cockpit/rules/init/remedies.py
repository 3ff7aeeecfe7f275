"""What to type to put an init back, per host family and init family.

Kept apart from the checks: the tables grow with each distribution, the checks do not.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.init import ExecCheck

#: How to reboot with the running init's own command, when it is not the one that boots.
REBOOT_CMD = {"systemd": "`systemctl reboot`", "openrc": "`openrc-shutdown -r now`"}

#: How to put the usual init back, per host family and init family.
_REINSTALL = {
    ("gentoo", "sysvinit"): "emerge --oneshot sys-apps/sysvinit",
    ("gentoo", "openrc"): "emerge --oneshot sys-apps/openrc",
    ("gentoo", "systemd"): "emerge --oneshot sys-apps/systemd  # with USE=sysv-utils",
    ("deb", "systemd"): "apt-get install --reinstall systemd-sysv",
    ("deb", "sysvinit"): "apt-get install --reinstall sysvinit-core",
    ("deb", "runit"): "apt-get install --reinstall runit-init",
    ("deb", "openrc"): "apt-get install --reinstall openrc sysvinit-core",
    ("rh", "systemd"): "dnf reinstall systemd",
    ("arch", "systemd"): "pacman -S systemd-sysvcompat",
    ("alpine", "busybox"): "apk fix busybox",
    ("alpine", "openrc"): "apk fix openrc",
    ("suse", "systemd"): "zypper install -f systemd-sysvinit",
}
_USUAL_INIT = {
    "gentoo": "sysvinit",
    "deb": "systemd",
    "rh": "systemd",
    "arch": "systemd",
    "alpine": "busybox",
    "suse": "systemd",
}
#: Which package owns a missing library, per host family.
FIND_OWNER = {
    "deb": "dpkg -S {lib}",
    "rh": "dnf provides '*/{lib}'",
    "arch": "pacman -F {lib}",
    "gentoo": "qfile {lib}",
    "alpine": "apk info --who-owns /lib/{lib}",
    "suse": "zypper search --provides {lib}",
}


def _intended_family(facts: HostFacts, check: ExecCheck) -> str:
    """Which init the host meant to boot: the broken one's family, else what is installed,
    else the distribution's usual init."""
    if check.family not in ("unknown", "missing"):
        return check.family
    for family, _ in facts.init.installed:
        if family not in ("unknown", "busybox"):
            return family
    return _USUAL_INIT.get(facts.host.family, "unknown")


def _reinstall_cmd(facts: HostFacts, family: str) -> str | None:
    return _REINSTALL.get((facts.host.family, family))


def repair_remedy(facts: HostFacts, check: ExecCheck, arg: str | None) -> str:
    family = _intended_family(facts, check)
    steps = []
    cmd = _reinstall_cmd(facts, family)
    if cmd:
        steps.append(f"Now, while the host is still up: `{cmd}`")
    else:
        steps.append(f"Reinstall the package that provides {check.path} ({family} init)")
    others = [
        path
        for fam, path in facts.init.installed
        if fam in ("systemd", "sysvinit", "openrc", "runit", "s6")
        or (fam == "busybox" and facts.host.family == "alpine")
    ]
    if others and not arg:
        steps.append(f"or point /sbin/init at an installed init: `ln -sf {others[0]} /sbin/init`")
    steps.append(f"then check `ls -lL {check.path}` before any reboot")
    steps.append(
        "already down? at the boot loader add init=/bin/sh (or an installed init) to the "
        "kernel line, or boot a rescue system, chroot and reinstall"
    )
    return "; ".join(steps) + "."

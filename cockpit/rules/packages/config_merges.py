"""Any package manager: config files left for the admin to merge.

Each manager leaves its new version beside the admin's (.dpkg-new, .rpmnew, .pacnew,
.apk-new, Gentoo's ._cfg0000_*: each manager's cockpit/distros entry names its own); a
pending merge of a file the boot reads is a WARNING, any other an INFO.
"""

from __future__ import annotations

from cockpit.distros import config_merge_base, family
from cockpit.facts.packages import PackageFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding

#: Config files the boot reads: a pending merge of one of these is a WARNING.
_BOOT_CONFIGS = (
    "/etc/inittab",
    "/etc/fstab",
    "/etc/crypttab",
    "/etc/default/grub",
    "/etc/grub.conf",
    "/etc/mkinitcpio.conf",
    "/etc/rc.conf",
    "/etc/conf.d/",
    "/etc/init.d/",
    "/etc/runlevels/",
    "/etc/inittab",
    "/etc/ssh/sshd_config",
    "/etc/network/interfaces",
    "/etc/ld.so.conf",
    "/etc/nsswitch.conf",
    "/etc/pam.d/",
    "/etc/initramfs-tools/",
    "/etc/dracut.conf",
    "/etc/modules",
    "/etc/locale.gen",
)
#: The families that had no sentence of their own when this one was written.
_MERGE = (
    "Merge them: `etc-update` / `dispatch-conf` (Gentoo), `pacdiff` (Arch), "
    "`rpmconf -a` (RH), or diff and move by hand (Debian, Alpine)."
)


def config_merge_findings(p: PackageFacts, host_family: str) -> list[Finding]:
    """`host_family`: whose merge remedy to give (cockpit/distros), else the shared one."""
    if not p.leftovers:
        return []
    base = config_merge_base
    boot = [x for x in p.leftovers if base(x).startswith(_BOOT_CONFIGS)]
    sev = Severity.WARNING if boot else Severity.INFO
    listed = boot or list(p.leftovers)
    title = (
        f"config merges pending for files the boot reads: {', '.join(base(x) for x in boot[:3])}"
        if boot
        else f"{len(p.leftovers)} config file merge(s) pending"
    )
    evidence = [f"{x} exists" for x in listed]
    if p.leftovers_cut:
        # what was listed is true; a merge of a file the boot reads may be beyond the cut
        title += f" (and more: {p.leftovers_cut})"
        evidence.insert(0, f"{p.leftovers_cut}: the rest were not listed")
    return [
        finding(
            "config-merge-pending",
            sev,
            title,
            evidence,
            family(host_family).merge_remedy or _MERGE,
        )
    ]

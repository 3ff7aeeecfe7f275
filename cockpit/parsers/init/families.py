"""Which init a program is, from where its binary really lives.

Both the running init (PID 1's exe) and the next boot's (what /sbin/init resolves to) are
named by the same test, so it lives apart from the code that reads either.
"""

from __future__ import annotations

import posixpath

#: The programs the kernel runs when no `init=` is given (before its own fallbacks).
BOOT_DEFAULTS = ("/sbin/init", "/usr/sbin/init")


def family_of_path(resolved: str | None, real_init: str = "unknown") -> str:
    """Which init a program is, from where it really lives (the Debian wiki's test).

    `real_init` is the family to give a real (not symlinked) /sbin/init ELF binary:
    sysvinit (Gentoo, Devuan and Debian's sysvinit-core ship it so), unless upstart's
    /sbin/initctl says the binary is upstart's.
    """
    if not resolved:
        return "unknown"
    base = posixpath.basename(resolved)
    if base == "systemd":
        return "systemd"
    if base == "init" and "/sysvinit/" in resolved:
        return "sysvinit"
    if base == "openrc-init":
        return "openrc"
    if base in ("runit-init", "runit"):
        return "runit"
    if base == "busybox":
        return "busybox"
    if base == "s6-svscan" or "s6-linux-init" in resolved:
        return "s6"
    if base == "initctl":
        return "upstart"
    if resolved in BOOT_DEFAULTS:
        return real_init
    return "unknown"

"""Boot rules for /etc/fstab and /etc/crypttab: will every mount the boot needs be found?

A missing source without `nofail` drops the boot into emergency mode (BLOCKER); swap,
nofail, noauto and automount sources only warn. Offline trees rarely carry /dev, so device
sources that cannot be checked there are INFO ("not possible offline") and a healthy disk
image still reads BOOTABLE; a captured /dev/disk/by-* list makes them checkable.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.boot import MISSING, UNKNOWN, BootFacts
from cockpit.rules.boot.devices import resolve_source
from cockpit.rules.boot.findings import finding
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.unread import remedy
from cockpit.words import Mode


def mount_findings(b: BootFacts, facts: HostFacts) -> list[Finding]:
    out: list[Finding] = []
    if b.fstab_state not in ("ok", "absent", "missing"):
        out.append(
            finding(
                "boot.fstab-unreadable",
                Severity.UNKNOWN,
                f"/etc/fstab could not be read ({b.fstab_state})",
                [f"/etc/fstab: {b.fstab_state}"],
                remedy([b.fstab_state], facts.host.as_root),
                True,
                stage=Stage.MOUNTS,
            )
        )
    offline = facts.mode == Mode.OFFLINE
    unchecked: list[str] = []
    for e in b.fstab:
        state = e.state
        # an offline tree without that /dev node only means "not captured", unless the
        # captured device list shows no filesystem of that name
        if (
            state == MISSING
            and offline
            and e.kind == "dev"
            and resolve_source(facts, e.source).found is not False
        ):
            state = UNKNOWN
        if state == UNKNOWN and not e.noauto:
            why = e.why if e.state == UNKNOWN else f"no {e.source} captured in this tree"
            unchecked.append(f"{e.line}  [{why}]")
            continue
        if state != MISSING:
            continue
        if e.noauto:
            sev, note = Severity.INFO, "noauto: not mounted at boot"
        elif e.fstype == "swap" or e.mountpoint in ("swap", "none"):
            sev, note = Severity.WARNING, "swap: the boot goes on without it"
        elif e.nofail or e.automount:
            sev, note = Severity.WARNING, "nofail/automount: the boot goes on without it"
        elif e.kind == "path" and offline:
            sev, note = Severity.WARNING, "a path that may live on another filesystem"
        elif facts.init.boot_family == "sysvinit" and not e.waited_for_by_sysvinit():
            # Not fsck'd: checkfs.sh never sees it, mountall.sh fails the line and goes on
            # (the boot oracle's fstab-sysvinit-missing-no-fsck reached login:); with a
            # pass number, fsck fails first and sulogin waits (fstab-sysvinit-missing).
            sev, note = Severity.WARNING, "sysvinit, not fsck'd: the boot goes on without it"
        elif e.mountpoint == "/" and facts.init.boot_family == "systemd":
            # The initramfs mounted root from root=; systemd never mounts / from fstab, only
            # remounts it: systemd-remount-fs fails and root stays read-only (boot oracle:
            # fstab-root-names-other-fs reached login:)
            sev, note = Severity.CRITICAL, "systemd leaves root read-only: services that write fail"
        else:
            sev, note = Severity.BLOCKER, "no nofail: the boot stops in emergency mode"
        out.append(
            finding(
                "boot.fstab-source-missing",
                sev,
                f"fstab source {e.source} for {e.mountpoint} does not exist ({note})",
                [e.line, e.why],
                (
                    "Fix the source on that /etc/fstab line (`blkid` lists real UUIDs/labels), or "
                    "add `nofail` to its options, or comment it out; test with `mount -a`."
                ),
                stage=Stage.MOUNTS,
            )
        )
    if unchecked:
        why = "offline tree without a captured /dev" if offline else "no device list on this host"
        out.append(
            finding(
                "boot.fstab-sources-not-checked",
                Severity.INFO,
                f"{len(unchecked)} fstab source(s) could not be checked ({why})",
                unchecked,
                "Check by hand: `blkid` on the real host, or capture /dev/disk/by-* with the tree.",
                stage=Stage.MOUNTS,
            )
        )
    required_maps = {
        e.source.rsplit("/", 1)[-1]
        for e in b.fstab
        if e.source.startswith("/dev/mapper/") and not (e.nofail or e.noauto)
    }
    for c in b.crypttab:
        state = UNKNOWN if (c.state == MISSING and offline and c.kind == "dev") else c.state
        if state != MISSING:
            continue
        name = c.mountpoint.rsplit("/", 1)[-1]
        sev = (
            Severity.BLOCKER
            if name in required_maps and not (c.nofail or c.noauto)
            else Severity.WARNING
        )
        out.append(
            finding(
                "boot.crypttab-source-missing",
                sev,
                f"crypttab device {c.source} for {name} does not exist",
                [c.line, c.why],
                (
                    "Fix the device on that /etc/crypttab line (`blkid`), or add `nofail` to it "
                    "and "
                    "to the fstab line that mounts it."
                ),
                stage=Stage.MOUNTS,
            )
        )
    return out

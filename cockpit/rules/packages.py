"""Packages rules: changes caught half-way, locks, resume lists, removed essentials.

A package mid-change is a risk to finish before rebooting (CRITICAL when the boot depends
on it), never a BLOCKER by itself: blockers rest on the boot files, checked by the boot
and init areas. While a package manager is running (a live process holds its lock),
half-done states are its work in progress: we say it runs, and do not cry "interrupted".
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.facts.packages import MID_STATES, TRIGGER_STATES, Lock, PackageFacts, PackageState
from cockpit.rules.finding import Finding, Severity

AREA = "packages"
_DPKG_LOCKS = (
    "/var/lib/dpkg/lock-frontend",
    "/var/lib/dpkg/lock",
    "/var/run/unattended-upgrades.lock",
    "/var/run/unattended-upgrades.pid",
)
_APT_LOCKS = (*_DPKG_LOCKS, "/var/lib/apt/lists/lock", "/var/cache/apt/archives/lock")
_RPM_LOCKS = (
    "/var/lib/rpm/.rpm.lock",
    "/usr/lib/sysimage/rpm/.rpm.lock",
    "/run/dnf/rpmtransaction.lock",
    "/var/lib/dnf/rpmdb_lock.pid",
    "/var/run/yum.pid",
)
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
#: Portage resume entries that make an unfinished list critical (kernel, udev, init, libc).
_CRITICAL_RESUME = (
    "sys-kernel/",
    "sys-fs/udev",
    "sys-apps/systemd",
    "sys-apps/openrc",
    "sys-apps/sysvinit",
    "sys-libs/glibc",
    "sys-libs/musl",
    "sys-apps/baselayout",
    "sys-boot/",
)
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
_LEFTOVER_SUFFIXES = (
    ".dpkg-new",
    ".dpkg-dist",
    ".dpkg-old",
    ".ucf-dist",
    ".ucf-new",
    ".rpmnew",
    ".rpmsave",
    ".pacnew",
    ".pacsave",
    ".apk-new",
)


def _finding(
    id_: str, sev: Severity, title: str, evidence: list[str] | tuple[str, ...], remedy: str
) -> Finding:
    return Finding(f"{AREA}.{id_}", AREA, sev, title, tuple(evidence[:12]), remedy)


def _holders(p: PackageFacts, paths: tuple[str, ...]) -> list[Lock]:
    return [lk for lk in p.locks if lk.held and lk.path in paths]


def _who(lock: Lock) -> str:
    name = lock.comm or "a package manager"
    return f"{name} (pid {lock.pid})" if lock.pid is not None else name


def _states(items: list[PackageState], limit: int = 3) -> str:
    shown = ", ".join(f"{s.name} {s.state}" for s in items[:limit])
    more = len(items) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _db(p: PackageFacts, mode: str) -> list[Finding]:
    if p.db_state == "unknown":
        return [
            _finding(
                "db-unreadable",
                Severity.UNKNOWN,
                "package state not reported: changes in flight are unknown",
                list(p.issues),
                "Refresh; if it persists run the collector by hand (`cockpit check -v`).",
            )
        ]
    if p.db_state == "unreadable":
        return [
            _finding(
                "db-unreadable",
                Severity.UNKNOWN,
                "package database could not be read: changes in flight are unknown",
                list(p.issues),
                "Run cockpit with a user that can read /var/lib/dpkg or /var/db/pkg (sudo = true).",
            )
        ]
    if p.db_state == "absent":
        return [
            _finding(
                "db-unreadable",
                Severity.UNKNOWN,
                "no package database found (dpkg, rpm, pacman, portage, apk): "
                "changes in flight unknown",
                [],
                "Check which package manager this host uses; "
                "cockpit knows dpkg, rpm, pacman, portage and apk.",
            )
        ]
    return []


def _locks(p: PackageFacts) -> list[Finding]:
    out: list[Finding] = []
    held = [lk for lk in p.locks if lk.held]
    if held:
        who = sorted({_who(lk) for lk in held})
        evidence = [lk.evidence or lk.path for lk in held]
        if p.uu_progress:
            evidence.append(f"/var/run/unattended-upgrades.progress: {p.uu_progress}")
        out.append(
            _finding(
                "lock-held",
                Severity.INFO,
                f"{', '.join(who)} is running: let it finish before any reboot",
                evidence,
                "Wait for it to finish (watch it with `ps -p PID`); "
                "do not kill it or reboot meanwhile.",
            )
        )
    for lk in p.locks:
        if lk.held is False and lk.kind in ("exists", "pidfile"):
            what = (
                "pacman's lock file is left over and no pacman is running"
                if lk.kind == "exists"
                else f"{lk.path} names PID {lk.pid}, which is not running it"
            )
            out.append(
                _finding(
                    "stale-lock",
                    Severity.WARNING,
                    what,
                    [lk.evidence or lk.path],
                    f"Check nothing is running (`fuser {lk.path}`), then `rm {lk.path}`.",
                )
            )
        elif lk.held is None and lk.kind == "exists" and not p.live:
            out.append(
                _finding(
                    "stale-lock",
                    Severity.WARNING,
                    "pacman's lock file is present (offline: no pacman runs on this disk)",
                    [lk.evidence or lk.path],
                    "On the booted host: check no pacman runs "
                    "(`fuser /var/lib/pacman/db.lck`), then remove it.",
                )
            )
    return out


def _dpkg(p: PackageFacts) -> list[Finding]:
    out: list[Finding] = []
    busy = _holders(p, _DPKG_LOCKS)
    if busy:
        return out  # dpkg is working: its half-done states are in progress, said by lock-held
    mid = [s for s in p.mid_change if s.state in MID_STATES]
    essential = [s for s in mid if s.essential]
    other = [s for s in mid if not s.essential]
    if p.dpkg_journal:
        out.append(
            _finding(
                "dpkg-interrupted",
                Severity.CRITICAL,
                "dpkg was interrupted: its journal holds uncommitted changes",
                [*p.dpkg_journal[:5], *(s.evidence for s in mid[:5])],
                "dpkg --configure -a   (then `apt-get -f install`); finish it before any reboot.",
            )
        )
    if essential:
        out.append(
            _finding(
                "essential-mid-change",
                Severity.CRITICAL,
                f"{_states(essential)}: the boot needs it; finish it before any reboot",
                [s.evidence for s in essential],
                "dpkg --configure -a   (check `dpkg --audit` is empty afterwards), then reboot.",
            )
        )
    if other:
        out.append(
            _finding(
                "half-installed",
                Severity.WARNING,
                f"{_states(other)}: packages left half-installed",
                [s.evidence for s in other],
                "dpkg --configure -a   (or `apt-get -f install`); "
                "`dpkg --audit` lists what is left.",
            )
        )
    trig = [s for s in p.mid_change if s.state in TRIGGER_STATES]
    if trig or p.unincorp_triggers:
        initramfs = any(s.name.startswith("initramfs-tools") for s in trig) or any(
            "initramfs" in t for t in p.unincorp_triggers
        )
        evidence = [s.evidence + (f" / Triggers: {s.triggers}" if s.triggers else "") for s in trig]
        evidence += [f"/var/lib/dpkg/triggers/Unincorp: {t}" for t in p.unincorp_triggers[:5]]
        if initramfs:
            out.append(
                _finding(
                    "triggers-pending",
                    Severity.CRITICAL,
                    "initramfs-tools triggers pending: the initramfs was not regenerated",
                    evidence,
                    "dpkg --configure -a   (runs update-initramfs); "
                    "check /boot/initrd.img-* is new before a reboot.",
                )
            )
        else:
            names = ", ".join(s.name for s in trig[:3]) or "dpkg"
            out.append(
                _finding(
                    "triggers-pending",
                    Severity.WARNING,
                    f"triggers pending ({names}): package setup not finished",
                    evidence,
                    "dpkg --configure -a   (or `dpkg --triggers-only -a`).",
                )
            )
    return out


def _transactions(p: PackageFacts) -> list[Finding]:
    out: list[Finding] = []
    for t in p.transactions:
        if t.complete or t.manager == "emerge":
            continue  # emerge: the resume list says it better
        if t.manager == "apt":
            running = _holders(p, _APT_LOCKS)
            remedy = "dpkg --configure -a   then `apt-get -f install`, and re-run: " + (
                t.command or "the apt command"
            )
        else:
            running = [lk for lk in p.locks if lk.path == "/var/lib/pacman/db.lck" and lk.held]
            if p.pacman_running:
                continue
            remedy = (
                "Re-run the upgrade: `pacman -Syu` "
                "(remove /var/lib/pacman/db.lck first if no pacman runs)."
            )
        if running:
            continue
        what = f"{t.manager} run started {t.started or '(time unknown)'} never finished"
        if t.command:
            what += f": {t.command}"
        out.append(
            _finding("transaction-interrupted", Severity.CRITICAL, what, list(t.evidence), remedy)
        )
    if p.yum_unfinished and not _holders(p, _RPM_LOCKS):
        out.append(
            _finding(
                "transaction-interrupted",
                Severity.CRITICAL,
                "a yum transaction was interrupted (transaction-all without transaction-done)",
                list(p.yum_unfinished[:5]),
                "yum-complete-transaction   (or `yum-complete-transaction --cleanup-only` "
                "and `yum history redo last`).",
            )
        )
    return out


def _resume(p: PackageFacts) -> list[Finding]:
    r = p.resume
    if r is None or p.emerge_running:
        return []
    key = [e for e in r.entries if e.startswith(_CRITICAL_RESUME)]
    evidence = [r.evidence]
    run = next((t for t in p.transactions if t.manager == "emerge"), None)
    if run is not None and not run.complete:
        evidence.extend(run.evidence)
    older = " (from an earlier run)" if r.source == "resume_backup" else ""
    if key:
        return [
            _finding(
                "portage-resume-pending",
                Severity.CRITICAL,
                f"emerge stopped with {len(r.entries)} merges pending{older}, "
                f"including {', '.join(key[:4])}: finish them before any reboot",
                evidence,
                "emerge --resume   (or redo the update: `emerge -uDN @world`); "
                "check the kernel, udev and init are in place.",
            )
        ]
    return [
        _finding(
            "portage-resume-pending",
            Severity.WARNING,
            f"emerge stopped with {len(r.entries)} merges pending{older}",
            evidence,
            "emerge --resume   (or `emaint --fix cleanresume` to drop the list).",
        )
    ]


def _removed(p: PackageFacts, now: datetime) -> list[Finding]:
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
            _finding(
                "essential-removed",
                Severity.CRITICAL,
                f"{last.package}{version} ({kind}) was removed at {when} "
                f"and no {kind} package is installed",
                [r.evidence for r in gone[-3:]],
                _REINSTALL[last.manager][kind],
            )
        )
    return out


def _leftovers(p: PackageFacts) -> list[Finding]:
    if not p.leftovers:
        return []

    def base(path: str) -> str:
        for suffix in _LEFTOVER_SUFFIXES:
            if path.endswith(suffix):
                return path[: -len(suffix)]
        head, _, tail = path.rpartition("/")
        if tail.startswith("._cfg") and len(tail) > 10:
            return f"{head}/{tail[10:]}"
        return path

    boot = [x for x in p.leftovers if base(x).startswith(_BOOT_CONFIGS)]
    sev = Severity.WARNING if boot else Severity.INFO
    listed = boot or list(p.leftovers)
    title = (
        f"config merges pending for files the boot reads: {', '.join(base(x) for x in boot[:3])}"
        if boot
        else f"{len(p.leftovers)} config file merge(s) pending"
    )
    return [
        _finding(
            "config-merge-pending",
            sev,
            title,
            [f"{x} exists" for x in listed],
            "Merge them: `etc-update` / `dispatch-conf` (Gentoo), `pacdiff` (Arch), "
            "`rpmconf -a` (RH), or diff and move by hand (Debian, Alpine).",
        )
    ]


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    p = facts.packages
    findings = _db(p, facts.mode)
    if p.db_state in ("unknown", "absent") and not p.managers:
        return findings
    findings += _locks(p)
    findings += _dpkg(p)
    findings += _transactions(p)
    findings += _resume(p)
    findings += _removed(p, now)
    findings += _leftovers(p)
    return findings

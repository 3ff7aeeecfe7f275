"""Packages parser: sections of cockpit/probes/packages.py -> PackageFacts.

Total: any section text (garbage, escapes, invalid UTF-8, huge) gives facts, never an
exception. Per-family details live in `dpkg`, `portage` and `pacman`.
"""

from __future__ import annotations

import os
import re

from cockpit.facts.packages import Lock, PackageFacts, PackageState, Removal, Transaction
from cockpit.parsers.packages import dpkg, pacman, portage
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, ls_entries
from cockpit.snapshot import Section, Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "packages.present",
    "packages.locks",
    "packages.dpkg-status",
    "packages.dpkg-journal",
    "packages.dpkg-updates",
    "packages.dpkg-triggers",
    "packages.dpkg-unincorp",
    "packages.dpkg-log",
    "packages.apt-history",
    "packages.uu-progress",
    "packages.vdb",
    "packages.mtimedb",
    "packages.emerge-log",
    "packages.pidof-emerge",
    "packages.pacman",
    "packages.pidof-pacman",
    "packages.pacman-log",
    "packages.pacman-key",
    "packages.yum",
    "packages.apk-triggers",
    "packages.confmerge",
)

_VDB_CATEGORIES = ("sys-apps", "sys-kernel", "sys-fs", "sys-libs", "sys-process")
_DEVINO = re.compile(r"^([0-9a-fA-F]+):([0-9a-fA-F]+):(\d+)$")
_YUM_TS = re.compile(r"^transaction-(all|done)\.(.+)$")
#: PID files are held iff the PID is alive AND is the program that wrote it (PIDs are
#: reused). comm is cut to 15 characters by the kernel.
_PIDFILE_COMMS = {
    "/var/run/unattended-upgrades.pid": ("unattended-upgr", "python3"),
    "/var/lib/dnf/rpmdb_lock.pid": ("dnf", "dnf-automatic", "python3", "packagekitd", "dnfdragora"),
    "/var/run/yum.pid": ("yum", "python", "python2", "yum-cron", "packagekitd"),
}


def _names(section: Section) -> list[str]:
    return list(ls_entries(section.text)) if section.ok else []


def _present(sections: Sections) -> tuple[tuple[str, ...], Section]:
    sec = sections.get_section("packages.present")
    managers: list[str] = []
    for line in sec.lines():
        name = line.split(" ", 1)[0]
        if name in ("dpkg", "rpm", "pacman", "portage", "apk", "zypp") and name not in managers:
            managers.append(name)
    return tuple(managers), sec


def _unreadable(sec: Section, what: str) -> str | None:
    if sec.state in ("ok", "absent"):
        return None
    return f"{what}: {sec.state}"


def _dev_matches(file_dev: str, maj: int, minor: int) -> bool:
    if not file_dev.isdigit():
        return True  # no stat on the host: inode only
    dev = int(file_dev)
    fmaj, fmin = os.major(dev), os.minor(dev)
    if (fmaj, fmin) == (maj, minor):
        return True
    # btrfs subvolumes and overlayfs report an anonymous st_dev (major 0) that
    # /proc/locks does not use: fall back to the inode alone there.
    return fmaj == 0 or maj == 0


def _parse_locks(sec: Section) -> tuple[list[Lock], bool, list[str]]:
    """The live `packages.locks` section: lock files, their /proc/locks lines, holders."""
    issues: list[str] = []
    if not sec.ok:
        return [], False, issues
    files: list[tuple[str, int, str]] = []  # (dev, ino, path)
    locks: list[tuple[int, int, int, int | None, str]] = []  # maj, min, ino, pid, raw
    pidfiles: list[tuple[str, str]] = []
    comms: dict[int, str] = {}
    dead: set[int] = set()
    proc_locks_readable = True
    for line in sec.text.splitlines()[:2000]:
        kind, _, rest = line.partition(" ")
        if kind == "file":
            parts = rest.split(" ", 2)
            if len(parts) == 3 and parts[1].isdigit():
                files.append((parts[0], int(parts[1]), clean(parts[2])))
        elif kind == "lock":
            tokens = rest.split()
            waiter = len(tokens) > 1 and tokens[1] == "->"
            if waiter:
                continue
            for i, tok in enumerate(tokens):
                m = _DEVINO.match(tok)
                if m:
                    pid_tok = tokens[i - 1] if i > 0 else ""
                    pid = int(pid_tok) if pid_tok.isdigit() else None
                    maj, minor, ino = int(m.group(1), 16), int(m.group(2), 16), int(m.group(3))
                    locks.append((maj, minor, ino, pid, clean(rest)))
                    break
        elif kind == "pidfile":
            path, _, value = rest.rpartition(" ")
            pidfiles.append((clean(path), value))
        elif kind == "comm":
            pid_s, _, name = rest.partition(" ")
            if pid_s.isdigit():
                comms[int(pid_s)] = clean(name.strip())
        elif kind == "dead" and rest.strip().isdigit():
            dead.add(int(rest.strip()))
        elif kind == "proclocks":
            proc_locks_readable = False
    out: list[Lock] = []
    for dev, ino, path in files:
        held = [lk for lk in locks if lk[2] == ino and _dev_matches(dev, lk[0], lk[1])]
        if not proc_locks_readable:
            out.append(Lock(path, "fcntl", None, evidence="/proc/locks unreadable"))
        elif held:
            pid = next((lk[3] for lk in held if lk[3] is not None), None)
            out.append(
                Lock(
                    path,
                    "fcntl",
                    True,
                    pid=pid,
                    comm=comms.get(pid) if pid is not None else None,
                    evidence=f"/proc/locks: {held[0][4]}",
                )
            )
        else:
            out.append(Lock(path, "fcntl", False))
    for path, value in pidfiles:
        if not value.isdigit():
            out.append(Lock(path, "pidfile", None, evidence=f"{path}: {clean(value)}"))
            continue
        pid = int(value)
        comm = comms.get(pid)
        expected = _PIDFILE_COMMS.get(path)
        alive = comm is not None and (expected is None or comm in expected)
        evidence = f"{path}: {pid}" + (
            f" (/proc/{pid}/comm: {comm})" if comm else " (no such process)"
        )
        out.append(Lock(path, "pidfile", alive, pid=pid, comm=comm, evidence=evidence))
    if not proc_locks_readable:
        issues.append("/proc/locks unreadable: lock holders unknown")
    return out, True, issues


def _pidof(sec: Section) -> tuple[bool | None, list[int]]:
    """`pidof` output: True with PIDs, False when it ran and found none, None when not run."""
    if sec.state == "ok":
        pids = [int(p) for p in sec.text.split() if p.isdigit()]
        return bool(pids), pids
    if sec.state == "error" and sec.rc == 1 and not sec.text.strip():
        return False, []
    return None, []


def _dpkg(sections: Sections, issues: list[str]) -> dict:
    out: dict = {}
    status = sections.get_section("packages.dpkg-status")
    if status.ok:
        journal = sorted(
            sections.prefixed("packages.dpkg-journal"),
            key=lambda sec: (
                int(sec.name.rpartition(":")[2] or 0)
                if sec.name.rpartition(":")[2].isdigit()
                else 0
            ),
        )
        states, installed, more = dpkg.parse_status(
            status.text, [(sec.name.rpartition(":")[2], sec.text) for sec in journal if sec.ok]
        )
        out["mid_change"] = states
        out["installed"] = installed
        issues.extend(more)
        if status.truncated:
            issues.append(f"{dpkg.STATUS_PATH}: more packages mid-change than shown")
    else:
        out["unreadable"] = f"{dpkg.STATUS_PATH}: {status.state}"
    updates = sections.get_section("packages.dpkg-updates")
    out["journal"] = dpkg.journal_files(_names(updates))
    if (msg := _unreadable(updates, "/var/lib/dpkg/updates")) is not None:
        issues.append(msg)
    triggers = ls_entries(sections.get_section("packages.dpkg-triggers").text)
    unincorp = sections.get_section("packages.dpkg-unincorp")
    out["unincorp"] = []
    if triggers.get("Unincorp", ("f", False, False, None))[2]:
        if unincorp.ok:
            out["unincorp"] = dpkg.unincorp(unincorp.text)
        else:
            issues.append(f"/var/lib/dpkg/triggers/Unincorp: {unincorp.state}")
    log = sections.get_section("packages.dpkg-log")
    out["removals"] = dpkg.removals(log.text, log.truncated) if log.ok else []
    history = sections.get_section("packages.apt-history")
    out["apt"] = dpkg.last_apt_run(history.text, history.truncated) if history.ok else None
    progress = sections.get_section("packages.uu-progress")
    out["uu"] = (
        clean(progress.text.strip()[:200]) if progress.ok and progress.text.strip() else None
    )
    return out


def _portage(sections: Sections, issues: list[str]) -> dict:
    out: dict = {"installed": set(), "vdb_read": False}
    for cat in _VDB_CATEGORIES:
        sec = sections.get_section(f"packages.vdb:{cat}")
        if sec.ok:
            out["vdb_read"] = True
            out["installed"] |= portage.installed(_names(sec), cat)
        elif sec.state != "absent":
            issues.append(f"/var/db/pkg/{cat}: {sec.state}")
    mtimedb = sections.get_section("packages.mtimedb")
    out["resume"] = None
    if mtimedb.ok:
        resume, issue = portage.parse_mtimedb(mtimedb.text)
        out["resume"] = resume
        if issue:
            issues.append(issue)
    elif mtimedb.state not in ("absent",):
        issues.append(f"{portage.MTIMEDB}: {mtimedb.state}")
    log = sections.get_section("packages.emerge-log")
    removals, run = portage.parse_emerge_log(log.text, log.truncated) if log.ok else ([], None)
    out["removals"], out["run"] = removals, run
    out["running"] = _pidof(sections.get_section("packages.pidof-emerge"))[0]
    return out


def _pacman(sections: Sections, locks: list[Lock], live: bool) -> dict:
    out: dict = {}
    listing = ls_entries(sections.get_section("packages.pacman").text)
    running, pids = _pidof(sections.get_section("packages.pidof-pacman"))
    out["running"] = running
    if "db.lck" in listing:
        held = running if live else None
        locks.append(
            Lock(
                "/var/lib/pacman/db.lck",
                "exists",
                held,
                pid=pids[0] if pids else None,
                comm="pacman" if pids else None,
                evidence="/var/lib/pacman/db.lck exists",
            )
        )
    log = sections.get_section("packages.pacman-log")
    out["removals"], out["run"] = (
        pacman.parse_log(log.text, log.truncated) if log.ok else ([], None)
    )
    key = sections.get_section("packages.pacman-key")
    out["installed"] = pacman.key_names(key.lines()) if key.ok else None
    return out


def _yum_unfinished(sections: Sections) -> list[str]:
    alls: dict[str, str] = {}
    dones: set[str] = set()
    for name in _names(sections.get_section("packages.yum")):
        m = _YUM_TS.match(name)
        if not m:
            continue
        if m.group(1) == "all":
            alls[m.group(2)] = name
        else:
            dones.add(m.group(2))
    return [f"/var/lib/yum/{clean(alls[ts])}" for ts in sorted(alls) if ts not in dones]


def parse(sections: Sections) -> PackageFacts:
    issues: list[str] = []
    managers, present = _present(sections)
    if not present.ok:
        return PackageFacts(
            db_state="unknown",
            issues=(f"packages.present: {present.state}: the collector did not report",),
        )
    locks_sec = sections.get_section("packages.locks")
    live = locks_sec.state not in ("offline", "missing")
    locks, locks_checked, lock_issues = _parse_locks(locks_sec)
    issues.extend(lock_issues)

    mid: list[PackageState] = []
    removals: list[Removal] = []
    transactions: list[Transaction] = []
    installed: set[str] | None = None
    unreadable: list[str] = []
    out: dict = {}

    if "dpkg" in managers:
        d = _dpkg(sections, issues)
        mid.extend(d.get("mid_change", []))
        if "unreadable" in d:
            unreadable.append(d["unreadable"])
        removals.extend(d["removals"])
        if d["apt"] is not None:
            transactions.append(d["apt"])
        out.update(
            dpkg_journal=tuple(d["journal"]),
            unincorp_triggers=tuple(d["unincorp"]),
            uu_progress=d["uu"],
        )

    if "portage" in managers:
        p = _portage(sections, issues)
        if p["vdb_read"]:
            installed = (installed or set()) | p["installed"]
        else:
            unreadable.append("/var/db/pkg: not readable")
        removals.extend(p["removals"])
        if p["run"] is not None:
            transactions.append(p["run"])
        out.update(resume=p["resume"], emerge_running=p["running"])

    if "pacman" in managers:
        a = _pacman(sections, locks, live)
        if a["installed"] is not None:
            installed = (installed or set()) | a["installed"]
        removals.extend(a["removals"])
        if a["run"] is not None:
            transactions.append(a["run"])
        out.update(pacman_running=a["running"])

    if "rpm" in managers:
        out["yum_unfinished"] = tuple(_yum_unfinished(sections))

    if "apk" in managers:
        trig = sections.get_section("packages.apk-triggers")
        if trig.ok:
            out["apk_triggers"] = tuple(
                clean(x.strip()) for x in trig.text.splitlines() if x.strip()
            )[:20]

    leftovers = tuple(
        clean(x) for x in sections.get_section("packages.confmerge").lines() if x.startswith("/")
    )

    if not managers:
        db_state = "absent"
    elif (
        unreadable
        and len(unreadable) >= len(set(managers) & {"dpkg", "portage"})
        and not set(managers)
        & {
            "rpm",
            "pacman",
            "apk",
            "zypp",
        }
    ):
        db_state = "unreadable"  # every database we read content from failed
    else:
        db_state = "read"
    issues.extend(unreadable)
    return PackageFacts(
        managers=managers,
        db_state=db_state,
        live=live,
        mid_change=tuple(mid),
        locks=tuple(locks),
        locks_checked=locks_checked,
        transactions=tuple(transactions),
        removals=tuple(removals),
        installed_keys=frozenset(installed) if installed is not None else None,
        leftovers=leftovers,
        issues=tuple(issues),
        **out,
    )

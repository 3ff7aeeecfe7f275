"""The live `packages.locks` section: each manager's lock files, who holds them.

A lock file is held when /proc/locks has a lock on its inode (and device); a PID file is
held when its PID is alive AND is one of the programs that write it (cockpit/distros: PIDs
are reused). Offline, or with /proc/locks unreadable, holders are unknown (None).
"""

from __future__ import annotations

import os
import re

from cockpit.distros import MANAGERS
from cockpit.facts.packages import Lock
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Section

#: The section families this module reads (see parsers/reads.py).
READS = reads("packages.locks")

_DEVINO = re.compile(r"^([0-9a-fA-F]+):([0-9a-fA-F]+):(\d+)$")
#: PID file -> the comm names of the programs that write it (none: any process).
_PIDFILE_COMMS = {pid.path: pid.comms for m in MANAGERS for pid in m.pidfiles}


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


def parse_locks(sec: Section) -> tuple[list[Lock], bool, list[str]]:
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
        expected = _PIDFILE_COMMS.get(path) or None
        alive = comm is not None and (expected is None or comm in expected)
        evidence = f"{path}: {pid}" + (
            f" (/proc/{pid}/comm: {comm})" if comm else " (no such process)"
        )
        out.append(Lock(path, "pidfile", alive, pid=pid, comm=comm, evidence=evidence))
    if not proc_locks_readable:
        issues.append("/proc/locks unreadable: lock holders unknown")
    return out, True, issues

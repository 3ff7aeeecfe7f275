"""Gentoo portage: emerge.log, the mtimedb resume list, installed packages in /var/db/pkg.

The mtimedb is JSON since portage 2.1.10.49 (2012); older portage (the 2011 incident's)
wrote a pickle (protocol 2). A pickle is NEVER unpickled here (that would run code from
the host): its length-prefixed strings are read as plain data instead.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from cockpit.facts.packages import Removal, ResumeList, Transaction
from cockpit.parsers.packages.read import PortageRead, names, pidof
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads("packages.vdb", "packages.mtimedb", "packages.emerge-log", "packages.pidof-emerge")

MTIMEDB = "/var/cache/edb/mtimedb"
EMERGE_LOG = "/var/log/emerge.log"

_LINE = re.compile(r"^(\d{9,11}):\s?(.*)$")
_UNMERGE = re.compile(r">>> unmerge success: (\S+)")
_START = re.compile(r">>> emerge \((\d+) of (\d+)\) (\S+)")
_DONE = re.compile(r"::: completed emerge \((\d+) of (\d+)\) (\S+)")
_CPV = re.compile(
    r"^(?P<pn>[A-Za-z0-9+_.-]+/[A-Za-z0-9+_-]+?)-(?P<ver>\d+(?:\.\d+)*[a-z]?"
    r"(?:_(?:alpha|beta|pre|rc|p)\d*)*(?:-r\d+)?)$"
)
_JSON_ENTRY = re.compile(r'\[\s*"(ebuild|binary)"\s*,\s*"[^"]*"\s*,\s*"([^"]+)"\s*,\s*"merge"\s*\]')
_PICKLE_STR = re.compile(r"U(.)|X(.)\x00\x00\x00|\x8c(.)", re.S)


def split_cpv(cpv: str) -> tuple[str, str | None]:
    """`sys-apps/sysvinit-2.88-r2` -> (`sys-apps/sysvinit`, `2.88-r2`)."""
    match = _CPV.match(cpv)
    if not match:
        return cpv, None
    return match.group("pn"), match.group("ver")


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _log_lines(text: str, truncated: bool) -> list[tuple[int, str, str]]:
    lines = text.splitlines()
    if truncated and lines:
        lines = lines[1:]
    out = []
    for raw in lines:
        match = _LINE.match(raw)
        if match:
            out.append((int(match.group(1)), match.group(2).strip(), raw.rstrip()))
    return out


def parse_emerge_log(text: str, truncated: bool) -> tuple[list[Removal], Transaction | None]:
    """Unmerges (oldest first) and the last emerge run, with whether its merges finished."""
    removals: list[Removal] = []
    last_run: list[tuple[int, str, str]] = []
    for epoch, msg, raw in _log_lines(text, truncated):
        if msg.startswith("Started emerge on:"):
            last_run = []
        last_run.append((epoch, msg, raw))
        match = _UNMERGE.search(msg)
        if match:
            pkg, version = split_cpv(match.group(1))
            removals.append(
                Removal(
                    manager="portage",
                    package=clean(pkg),
                    version=clean(version) if version else None,
                    when=_iso(epoch),
                    evidence=f"{EMERGE_LOG}: {clean(raw)}",
                    epoch=epoch,
                )
            )
    return removals, _last_run(last_run)


def _last_run(run: list[tuple[int, str, str]]) -> Transaction | None:
    if not run:
        return None
    command = None
    begun: dict[str, int] = {}
    done: set[str] = set()
    keep: list[int] = []
    for i, (_epoch, msg, _raw) in enumerate(run):
        if msg.startswith("*** emerge"):
            command = clean(msg[4:].strip())
            keep.append(i)
        elif msg.startswith(("Started emerge on:", "*** exiting", "*** terminating")):
            keep.append(i)
        elif (m := _START.search(msg)) is not None:
            begun[m.group(3)] = i
        elif (m := _DONE.search(msg)) is not None:
            done.add(m.group(3))
    unfinished = [i for cpv, i in begun.items() if cpv not in done]
    keep.extend(unfinished[:3])
    evidence = [f"{EMERGE_LOG}: {clean(run[i][2])}" for i in sorted(keep)]
    return Transaction(
        manager="emerge",
        started=_iso(run[0][0]),
        command=command,
        complete=not unfinished,
        evidence=tuple(evidence[:8]),
    )


def _from_json(data: object) -> ResumeList | None:
    if not isinstance(data, dict):
        return None
    for key in ("resume", "resume_backup"):
        resume = data.get(key)
        if not isinstance(resume, dict):
            continue
        entries = []
        for item in resume.get("mergelist") or []:
            if (
                isinstance(item, list)
                and len(item) >= 4
                and item[0] in ("ebuild", "binary")
                and item[3] == "merge"
                and isinstance(item[2], str)
            ):
                entries.append(clean(item[2]))
        if entries:
            return ResumeList(tuple(entries), key, "json", _evidence(key, entries))
    return None


def _evidence(key: str, entries: list[str]) -> str:
    shown = ", ".join(entries[:8]) + (", ..." if len(entries) > 8 else "")
    return f"{MTIMEDB}: {key} mergelist [{shown}]"


def _pickle_strings(text: str) -> list[str]:
    """Length-prefixed strings of a protocol-2 pickle, in order, read as data only."""
    out: list[str] = []
    pos = 0
    while len(out) < 5000:
        match = _PICKLE_STR.search(text, pos)
        if match is None:
            break
        length = ord(next(g for g in match.groups() if g is not None))
        value = text[match.end() : match.end() + length]
        if length < 200 and len(value) == length and value.isprintable():
            out.append(value)
            pos = match.end() + length
        else:
            pos = match.start() + 1
    return out


def _from_pickle(text: str) -> ResumeList | None:
    strings = _pickle_strings(text)
    section = None
    lists: dict[str, list[str]] = {"resume": [], "resume_backup": []}
    i = 0
    while i < len(strings):
        s = strings[i]
        if s in ("resume", "resume_backup"):
            section = s
        elif section and s in ("ebuild", "binary") and i + 3 < len(strings):
            if strings[i + 3] == "merge" and _CPV.match(strings[i + 2]):
                lists[section].append(clean(strings[i + 2]))
                i += 4
                continue
        elif s in ("info", "ldpath", "starttime", "updates", "version"):
            section = None
        i += 1
    for key in ("resume", "resume_backup"):
        if lists[key]:
            return ResumeList(tuple(lists[key]), key, "pickle", _evidence(key, lists[key]))
    return None


def parse_mtimedb(text: str) -> tuple[ResumeList | None, str | None]:
    """(resume list or None, issue). Empty or absent resume lists give (None, None)."""
    stripped = text.strip()
    if not stripped:
        return None, None
    if stripped.startswith("{"):
        try:
            return _from_json(json.loads(stripped)), None
        except ValueError:
            pass
        # cut by the collector's cap, or damaged: take the entries that are whole
        entries = [
            clean(m.group(2)) for m in _JSON_ENTRY.finditer(stripped.split('"mergelist"', 1)[-1])
        ]
        if entries and '"mergelist"' in stripped:
            return ResumeList(tuple(entries), "resume", "json", _evidence("resume", entries)), None
        return None, f"{MTIMEDB}: not valid JSON; resume list unknown"
    if "mergelist" in text:
        found = _from_pickle(text)
        if found is not None:
            return found, None
        if "merge" in text and ("ebuild" in text or "binary" in text):
            return None, f"{MTIMEDB}: old pickle format; resume list could not be read"
    return None, None


def installed(listing_names: list[str], category: str) -> set[str]:
    """`openrc-0.8.3-r1` in sys-apps -> `sys-apps/openrc`."""
    out = set()
    for name in listing_names:
        pkg, version = split_cpv(f"{category}/{name}")
        if version is not None:
            out.add(pkg)
    return out


#: /var/db/pkg categories whose packages the boot depends on (kernel, udev, init, libc).
VDB_CATEGORIES = ("sys-apps", "sys-kernel", "sys-fs", "sys-libs", "sys-process")


def read(sections: Sections, live: bool) -> PortageRead:
    """portage's sections: key installed packages (/var/db/pkg), the resume list,
    emerge.log's unmerges and last run, whether emerge runs."""
    issues: list[str] = []
    keys: set[str] = set()
    vdb_read = False
    for cat in VDB_CATEGORIES:
        sec = sections.get_section(f"packages.vdb:{cat}")
        if sec.ok:
            vdb_read = True
            keys |= installed(names(sec), cat)
        elif sec.state != "absent":
            issues.append(f"/var/db/pkg/{cat}: {sec.state}")
    mtimedb = sections.get_section("packages.mtimedb")
    resume = None
    if mtimedb.ok:
        resume, issue = parse_mtimedb(mtimedb.text)
        if issue:
            issues.append(issue)
    elif mtimedb.state not in ("absent",):
        issues.append(f"{MTIMEDB}: {mtimedb.state}")
    log = sections.get_section("packages.emerge-log")
    removals, run = parse_emerge_log(log.text, log.truncated) if log.ok else ([], None)
    return PortageRead(
        "portage",
        installed=frozenset(keys) if vdb_read else None,
        removals=tuple(removals),
        transaction=run,
        unreadable=None if vdb_read else "/var/db/pkg: not readable",
        issues=tuple(issues),
        resume=resume,
        running=pidof(sections.get_section("packages.pidof-emerge"))[0],
    )

"""dpkg and apt: status stanzas, the updates journal, triggers, dpkg.log, apt history.

All functions are total: any text in, values out, never an exception.
"""

from __future__ import annotations

import re

from cockpit.distros.table import DPKG
from cockpit.facts.packages import MID_STATES, TRIGGER_STATES, PackageState, Removal, Transaction
from cockpit.parsers.packages.read import DpkgRead, names
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "packages.dpkg-status",
    "packages.dpkg-journal",
    "packages.dpkg-updates",
    "packages.dpkg-triggers",
    "packages.dpkg-unincorp",
    "packages.dpkg-log",
    "packages.apt-history",
    "packages.uu-progress",
)

STATUS_PATH = "/var/lib/dpkg/status"


_LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (remove|purge) (\S+) (\S+)")
_NUMERIC = re.compile(r"^[0-9]+$")


def is_boot_package(name: str) -> bool:
    """The next boot depends on it (cockpit/distros: dpkg's boot packages); a change caught
    half-way in one is a risk to finish before any reboot. `Essential: yes` counts too."""
    return DPKG.is_boot_package(name)


def _field(stanza: dict[str, str], key: str) -> str | None:
    value = stanza.get(key)
    return value if value else None


def stanzas(text: str) -> list[dict[str, str]]:
    """RFC822-ish stanzas; continuation lines are ignored (we need single-line fields).

    `--` lines (grep's separator between context groups) end a stanza too: the collector
    ships only the lines around the interesting Status lines.
    """
    out: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line == "--":
            if current:
                out.append(current)
                current = {}
            continue
        if line[0] in " \t#":
            continue
        key, sep, value = line.partition(":")
        if sep:
            current[key.strip()] = value.strip()
    if current:
        out.append(current)
    return out


def parse_status(
    text: str, journal: list[tuple[str, str]] | None = None
) -> tuple[list[PackageState], set[str], list[str]]:
    """(packages in a non-final state, packages seen installed, issues).

    Works on the collector's grep output and on a whole status file alike. The installed
    set is only what the text shows: from the collector's excerpt it is NOT the full list.
    """
    states: list[PackageState] = []
    installed: set[str] = set()
    issues: list[str] = []
    # dpkg applies its journal (updates/NNNN, oldest first) over status: so do we
    records: dict[str, tuple[dict[str, str], str]] = {}
    for stanza in stanzas(text):
        if stanza.get("Package"):
            records[stanza["Package"]] = (stanza, STATUS_PATH)
    for number, body in journal or []:
        for stanza in stanzas(body):
            if stanza.get("Package"):
                records[stanza["Package"]] = (stanza, f"/var/lib/dpkg/updates/{clean(number)}")
    for stanza, where in records.values():
        name = stanza.get("Package", "")
        status = stanza.get("Status", "")
        if not name:
            continue
        words = status.split()
        if len(words) != 3:
            issues.append(f"{where}: {clean(name)}: unreadable Status {clean(status)!r}")
            continue
        _want, flag, state = words
        if state == "installed" and flag == "ok":
            installed.add(name)
            continue
        if state in ("config-files", "not-installed") and flag == "ok":
            continue
        kind = "reinstreq" if flag in ("reinstreq", "hold-reinstreq") else state
        if kind not in MID_STATES and kind not in TRIGGER_STATES:
            issues.append(f"{where}: {clean(name)}: unknown Status {clean(status)!r}")
            continue
        essential = stanza.get("Essential") == "yes" or is_boot_package(name)
        version = _field(stanza, "Version")
        triggers = _field(stanza, "Triggers-Pending") or _field(stanza, "Triggers-Awaited")
        evidence = f"{where}: Package: {clean(name)} / Status: {clean(status)}"
        if version:
            evidence += f" / Version: {clean(version)}"
        states.append(
            PackageState(
                manager="dpkg",
                name=clean(name),
                version=clean(version) if version else None,
                state=kind,
                essential=essential,
                evidence=evidence,
                triggers=clean(triggers) if triggers else None,
            )
        )
    return states, installed, issues


def journal_files(ls_names: list[str]) -> list[str]:
    """/var/lib/dpkg/updates entries that are journal files (digits only)."""
    return [f"/var/lib/dpkg/updates/{n}" for n in ls_names if _NUMERIC.match(n)]


def unincorp(text: str) -> list[str]:
    return [clean(line.strip()) for line in text.splitlines() if line.strip()][:50]


def removals(log_text: str, truncated: bool) -> list[Removal]:
    """`remove`/`purge` lines of dpkg.log, oldest first."""
    lines = log_text.splitlines()
    if truncated and lines:
        lines = lines[1:]
    out: list[Removal] = []
    for line in lines:
        match = _LOG_LINE.match(line)
        if not match:
            continue
        when, _action, pkg, version = match.groups()
        name = pkg.split(":", 1)[0]
        out.append(
            Removal(
                manager="dpkg",
                package=clean(name),
                version=clean(version),
                when=when,
                evidence=f"/var/log/dpkg.log: {clean(line.rstrip())}",
            )
        )
    return out


def last_apt_run(text: str, truncated: bool) -> Transaction | None:
    """The last stanza of apt's history.log: a Start-Date with no End-Date after it is a run
    still going or killed. Long Install: lines are cut to keep evidence short."""
    lines = text.splitlines()
    if truncated and lines:
        lines = lines[1:]
    start_idx = None
    for i, line in enumerate(lines):
        if line.startswith("Start-Date:"):
            start_idx = i
    if start_idx is None:
        ends = [line for line in lines if line.startswith("End-Date:")]
        if ends:  # the tail holds only the end of a complete run
            return Transaction(
                "apt", None, None, True, (f"/var/log/apt/history.log: {clean(ends[-1])}",)
            )
        if not truncated:
            return None  # nothing ran yet
        # the tail is all one huge line of a run that has no End-Date yet
        return Transaction(
            manager="apt",
            started=None,
            command=None,
            complete=False,
            evidence=(
                "/var/log/apt/history.log: the last run has no End-Date "
                "(its start is beyond the tail read)",
            ),
        )
    block = lines[start_idx:]
    started = " ".join(block[0].partition(":")[2].split())
    command = None
    complete = False
    evidence: list[str] = []
    for line in block:
        key = line.partition(":")[0]
        if key == "Commandline":
            command = clean(line.partition(":")[2].strip())
        if key == "End-Date":
            complete = True
        if key in ("Start-Date", "Commandline", "Requested-By", "End-Date", "Error"):
            evidence.append(f"/var/log/apt/history.log: {clean(line.rstrip())}")
        elif key in ("Install", "Upgrade", "Remove", "Purge", "Downgrade", "Reinstall"):
            short = line if len(line) <= 160 else line[:157] + "..."
            evidence.append(f"/var/log/apt/history.log: {clean(short.rstrip())}")
    return Transaction(
        manager="apt",
        started=clean(started),
        command=command,
        complete=complete,
        evidence=tuple(evidence[:6]),
    )


def read(sections: Sections, live: bool) -> DpkgRead:
    """dpkg's sections: the status excerpt with the journal applied over it, the journal
    files, unincorporated triggers, removals from dpkg.log, apt's last run."""
    issues: list[str] = []
    mid: list[PackageState] = []
    unreadable = None
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
        mid, _installed, more = parse_status(
            status.text, [(sec.name.rpartition(":")[2], sec.text) for sec in journal if sec.ok]
        )
        issues.extend(more)
        if status.truncated:
            issues.append(f"{STATUS_PATH}: more packages mid-change than shown")
    else:
        unreadable = f"{STATUS_PATH}: {status.state}"
    updates = sections.get_section("packages.dpkg-updates")
    if updates.state not in ("ok", "absent"):
        issues.append(f"/var/lib/dpkg/updates: {updates.state}")
    triggers = ls_entries(sections.get_section("packages.dpkg-triggers").text)
    unincorp_sec = sections.get_section("packages.dpkg-unincorp")
    pending: list[str] = []
    if triggers.get("Unincorp", ("f", False, False, None))[2]:
        if unincorp_sec.ok:
            pending = unincorp(unincorp_sec.text)
        else:
            issues.append(f"/var/lib/dpkg/triggers/Unincorp: {unincorp_sec.state}")
    log = sections.get_section("packages.dpkg-log")
    history = sections.get_section("packages.apt-history")
    progress = sections.get_section("packages.uu-progress")
    return DpkgRead(
        "dpkg",
        mid_change=tuple(mid),
        removals=tuple(removals(log.text, log.truncated)) if log.ok else (),
        transaction=last_apt_run(history.text, history.truncated) if history.ok else None,
        unreadable=unreadable,
        issues=tuple(issues),
        journal=tuple(journal_files(names(updates))),
        unincorp=tuple(pending),
        uu_progress=(
            clean(progress.text.strip()[:200]) if progress.ok and progress.text.strip() else None
        ),
    )

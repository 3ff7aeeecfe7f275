"""Reboots hidden in cron: crontabs, cron.d, user spools, anacron and run-parts scripts.

Where cron looks and what it skips lives here; the syntax of a cron line lives in
parsers/reboots/cron.py. A script in /etc/cron.daily has no schedule of its own: it gets the
schedule of the crontab or anacrontab line that runs its directory, so the three readers
share what they found (`runners`) rather than each guessing.
"""

from __future__ import annotations

import re

from cockpit.facts.reboots import CronReboot, SourceState
from cockpit.parsers.reads import reads
from cockpit.parsers.reboots import cron, jobs
from cockpit.parsers.reboots.sections import basename, per_file, source_state
from cockpit.parsers.text import ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "reboots.crontab",
    "reboots.crond",
    "reboots.anacrontab",
    "reboots.spool.crontabs",
    "reboots.spool.cron",
    "reboots.spool.tabs",
    "reboots.spool.busybox",
    "reboots.cron.hourly",
    "reboots.cron.daily",
    "reboots.cron.weekly",
    "reboots.cron.monthly",
)

_SPOOLS = (
    "reboots.spool.crontabs",
    "reboots.spool.cron",
    "reboots.spool.tabs",
    "reboots.spool.busybox",
)
_RUN_PARTS = ("hourly", "daily", "weekly", "monthly")
# run-parts (Debian) and Debian cron's cron.d only run names made of these characters.
_RUN_PARTS_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
# cronie (every other family: Fedora/RHEL, SUSE, Arch, Gentoo) skips, in /etc/cron.d and
# in the spool alike, names starting with `.` or `#` and ending with `~`, `.rpmsave`,
# `.rpmorig` or `.rpmnew` (src/database.c, not_a_crontab); it runs every other name,
# spaces and non-ASCII included. The collector sends them all.
_CRONIE_SKIPS = ((".", "#"), ("~", ".rpmsave", ".rpmorig", ".rpmnew"))


def cron_runs(name: str, debian: bool) -> bool:
    """Does the host's cron run a file of this name in /etc/cron.d (or its spool)?"""
    if debian:
        return bool(_RUN_PARTS_NAME.match(name))
    return not (name.startswith(_CRONIE_SKIPS[0]) or name.endswith(_CRONIE_SKIPS[1]))


def collect(
    sections: Sections, debian: bool, out: list[CronReboot], states: list[SourceState]
) -> None:
    """Append every cron reboot to `out` and every source's read state to `states`.

    Appends as it goes, so a failure part-way keeps what was found before it.
    """
    runners: list[tuple[str, cron.CronLine]] = []
    _crontabs(sections, debian, out, states, runners)
    anacron = _anacrontab(sections, out)
    _run_parts(sections, debian, runners, anacron, out, states)
    jobs.collect(sections, lambda crontab: _runs_tab(crontab, debian), out, states)


def _runs_tab(crontab: str, debian: bool) -> bool:
    """Does the host's cron run the crontab at this path (the rules `_crontabs` applies)?"""
    if crontab == "/etc/crontab":
        return True
    if crontab.startswith("/etc/cron.d/") or not debian:
        return cron_runs(basename(crontab), debian)
    return True


def _cron_file(
    text: str, path: str, source: str, system: bool, user: str | None
) -> tuple[list[CronReboot], list[tuple[str, cron.CronLine]]]:
    """Reboot jobs of one crontab, and its lines that run run-parts directories."""
    jobs: list[CronReboot] = []
    runners: list[tuple[str, cron.CronLine]] = []
    for job in cron.job_lines(text, system):
        found = cron.reboot_kind(job.command)
        if found:
            jobs.append(
                CronReboot(source, path, job.line, job.user or user, job.spec, job.zone, *found)
            )
        directory = cron.run_parts_dir(job.command)
        if directory:
            runners.append((directory, job))
    return jobs, runners


def _crontabs(
    sections: Sections,
    debian: bool,
    out: list[CronReboot],
    states: list[SourceState],
    runners: list[tuple[str, cron.CronLine]],
) -> None:
    main = sections.get_section("reboots.crontab")
    states.append(source_state(main, "/etc/crontab", "system crontab", "crontab"))
    if main.ok:
        jobs, run = _cron_file(main.text, "/etc/crontab", "/etc/crontab", True, None)
        out.extend(jobs)
        runners.extend(run)
    listing = sections.get_section("reboots.crond")
    states.append(source_state(listing, "/etc/cron.d", "system crontabs", "cron.d"))
    for path, sec in per_file(sections, "reboots.crond"):
        if not cron_runs(basename(path), debian):
            continue  # Debian: x.dpkg-old; cronie: x.rpmsave, backup~, #draft
        if not sec.ok:
            states.append(source_state(sec, path, "system crontab", path))
            continue
        jobs, run = _cron_file(sec.text, path, path, True, None)
        out.extend(jobs)
        runners.extend(run)
    seen: set[str] = set()  # Alpine: /var/spool/cron/crontabs is a link to /etc/crontabs
    for name in _SPOOLS:
        listing = sections.get_section(name)
        if listing.state != "absent":
            short = name.removeprefix("reboots.spool.") + " spool"
            states.append(source_state(listing, name, "user crontabs", short))
        for path, sec in per_file(sections, name):
            if path in seen:
                continue
            seen.add(path)
            user = basename(path)
            if not debian and not cron_runs(user, debian=False):
                continue
            if not sec.ok:
                states.append(source_state(sec, path, f"{user}'s crontab", path))
                continue
            if sec.truncated:
                states.append(SourceState(path, "truncated", f"{user}'s crontab"))  # read in part
            jobs, _ = _cron_file(sec.text, path, f"{user}'s crontab", False, user)
            out.extend(jobs)


def _anacrontab(sections: Sections, out: list[CronReboot]) -> list[tuple[str, cron.AnacronLine]]:
    sec = sections.get_section("reboots.anacrontab")
    runners: list[tuple[str, cron.AnacronLine]] = []
    if not sec.ok:
        return runners
    for line in cron.anacron_lines(sec.text):
        directory = cron.run_parts_dir(line.command)
        if directory:
            runners.append((directory, line))
        found = cron.reboot_kind(line.command)
        if found:
            out.append(
                CronReboot(
                    "/etc/anacrontab",
                    "/etc/anacrontab",
                    line.line,
                    "root",
                    None,
                    None,
                    *found,
                    anacron_days=line.days,
                )
            )
    return runners


def _run_parts(
    sections: Sections,
    debian: bool,
    runners: list[tuple[str, cron.CronLine]],
    anacron: list[tuple[str, cron.AnacronLine]],
    out: list[CronReboot],
    states: list[SourceState],
) -> None:
    """Scripts in /etc/cron.{hourly,...} that reboot, timed by what runs their directory."""
    for period in _RUN_PARTS:
        name = f"reboots.cron.{period}"
        directory = f"/etc/cron.{period}"
        listing = sections.get_section(name)
        if listing.state != "absent":
            states.append(source_state(listing, directory, "run-parts scripts", f"cron.{period}"))
        entries = ls_entries("\n".join(listing.entries()))
        for path, sec in per_file(sections, name):
            base = basename(path)
            entry = entries.get(base)
            if entry is not None and not entry[1]:
                continue  # run-parts skips scripts that are not executable
            if debian and not _RUN_PARTS_NAME.match(base):
                continue
            if not sec.ok:
                states.append(source_state(sec, path, "run-parts script", path))
                continue
            for line, kind, minutes in cron.script_reboots(sec.text):
                timed = [j for d, j in runners if d == directory]
                ana = [a for d, a in anacron if d == directory]
                if timed:
                    job = timed[0]
                    via = job.line.strip()
                    out.append(
                        CronReboot(
                            path, path, line, job.user, job.spec, job.zone, kind, minutes, via=via
                        )
                    )
                elif ana:
                    out.append(
                        CronReboot(
                            path,
                            path,
                            line,
                            "root",
                            None,
                            None,
                            kind,
                            minutes,
                            via=ana[0].line.strip(),
                            anacron_days=ana[0].days,
                        )
                    )
                else:
                    out.append(CronReboot(path, path, line, "root", None, None, kind, minutes))

"""Which actions a host's state offers: pure, from its facts and its raw sections.

Armed reboots come from the facts (the same ones the verdict counts); what cockpit
disarmed earlier is found in the raw sections (marker lines, scripts whose execute bit is
off), since the facts list only what is armed. Each offer carries the file as the refresh
saw it (`seen`), so the action can refuse if the file changed since.

No offers at all for a host that was not read, or whose snapshot is missing: an action
must rest on what the admin saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from cockpit.actions import cron_text, marker
from cockpit.facts.reboots import AtReboot, CronReboot, ScheduledShutdown
from cockpit.parsers.reboots import cron
from cockpit.parsers.text import ls_entries
from cockpit.rules.reboots.schedule import at_job_time, cron_next, shutdown_at
from cockpit.snapshot import Section, Sections
from cockpit.state import HostState
from cockpit.words import Mode

KINDS = ("disarm-cron", "rearm-cron", "disarm-script", "rearm-script", "cancel-shutdown", "atrm")
_RUN_PARTS = re.compile(r"^/etc/cron\.(hourly|daily|weekly|monthly)/[^/]+$")
#: Sections that hold one fixed file (no `:path` in their name).
_FIXED = {
    "reboots.crontab": "/etc/crontab",
    "reboots.anacrontab": "/etc/anacrontab",
    "reboots.sd.scheduled": "/run/systemd/shutdown/scheduled",
}
_CRON_PREFIXES = (
    "reboots.crond",
    "reboots.spool.crontabs",
    "reboots.spool.cron",
    "reboots.spool.tabs",
    "reboots.spool.busybox",
)
_CANCEL = {
    "systemd scheduled shutdown": "shutdown -c",
    "sysvinit shutdown": "shutdown -c",
    "openrc-shutdown": "openrc-shutdown -c",
}


@dataclass(frozen=True)
class Offer:
    """One action the admin may take on one host; what apply.prepare needs, and a title."""

    kind: str  # one of KINDS
    host: str
    mode: str  # live | offline
    path: str  # the file the action changes, inside the host's root
    title: str
    line: str = ""  # disarm: the job line; re-arm: the marker line; script: its reboot line
    occurrence: int = 0  # which of several identical lines (0 = first)
    system: bool = False  # 6-field crontab (/etc/crontab, cron.d): a user column
    spool_user: str | None = None  # a user's spool: installed with `crontab -u USER`
    anacron: bool = False  # /etc/anacrontab (python-crontab cannot read its lines)
    job: int | None = None  # at job number
    command: str | None = None  # the cancel command for a scheduled shutdown
    restores: str | None = None  # re-arm: the original line that comes back
    when: datetime | None = None  # when it would fire next, host time (display only)
    seen: str | None = None  # the file's text as the refresh saw it; None: not seen
    seen_truncated: bool = False


def offers_for(state: HostState) -> list[Offer]:
    """Every action this state offers, disarms first (soonest first), then re-arms."""
    if state.facts is None or state.snapshot is None or not state.reachable:
        return []
    sections = state.snapshot.sections
    rb = state.facts.reboots
    now = state.host_time
    out: list[Offer] = []
    counts: dict[tuple[str, str], int] = {}
    for job in rb.cron:
        offer = _cron_offer(state, sections, job, now, counts)
        if offer is not None:
            out.append(offer)
    for sd in rb.shutdowns:
        offer = _shutdown_offer(state, sections, sd, now)
        if offer is not None:
            out.append(offer)
    for atj in rb.at_jobs:
        out.append(_at_offer(state, sections, atj, now))
    out.sort(key=lambda o: (o.when is None, o.when.timestamp() if o.when else 0.0))
    out.extend(_rearm_cron_offers(state, sections))
    out.extend(_rearm_script_offers(state, sections))
    return out


def file_section(sections: Sections, path: str) -> Section | None:
    """The per-file section the collector sent for `path` (any reboots prefix)."""
    for name, fixed in _FIXED.items():
        if path == fixed:
            return sections.get(name)
    suffix = ":" + path
    for name, sec in sections.items():
        if name.startswith("reboots.") and name.endswith(suffix):
            return sec
    return None


def _seen(sections: Sections, path: str) -> tuple[str | None, bool]:
    sec = file_section(sections, path)
    if sec is None or not sec.ok:
        return None, False
    return sec.text, sec.truncated


def _is_spool(path: str) -> bool:
    return path.startswith(("/var/spool/cron", "/etc/crontabs/"))


def _cron_offer(
    state: HostState,
    sections: Sections,
    job: CronReboot,
    now: datetime | None,
    counts: dict[tuple[str, str], int],
) -> Offer | None:
    if job.job_crontab is not None:
        return None  # a script a job runs: commenting one of its lines out is no disarm
    seen, cut = _seen(sections, job.path)
    when = cron_next(job, now) if now is not None else None
    if _RUN_PARTS.match(job.path):
        if (job.path, "") in counts:
            return None  # one offer per script, however many reboot lines it has
        counts[(job.path, "")] = 0
        return Offer(
            "disarm-script",
            state.name,
            state.mode,
            job.path,
            f"Disarm {job.path} (remove its execute bit: run-parts skips it): {job.line.strip()}",
            line=job.line,
            when=when,
            seen=seen,
            seen_truncated=cut,
        )
    key = (job.path, job.line)
    occurrence = counts.get(key, 0)
    counts[key] = occurrence + 1
    spool = _is_spool(job.path)
    return Offer(
        "disarm-cron",
        state.name,
        state.mode,
        job.path,
        f"Disarm {job.source}: {job.line.strip()}",
        line=job.line,
        occurrence=occurrence,
        system=not spool and job.path != "/etc/anacrontab",
        spool_user=job.user if spool else None,
        anacron=job.path == "/etc/anacrontab",
        when=when,
        seen=seen,
        seen_truncated=cut,
    )


def _shutdown_offer(
    state: HostState, sections: Sections, sd: ScheduledShutdown, now: datetime | None
) -> Offer | None:
    if not sd.live:
        return None  # a leftover pid file on an offline disk: nothing waits, nothing armed
    command = _CANCEL.get(sd.source)
    if command is None:
        return None
    seen, cut = _seen(sections, sd.path)
    how = command if state.mode == Mode.LIVE else "remove the leftover file under the root"
    return Offer(
        "cancel-shutdown",
        state.name,
        state.mode,
        sd.path,
        f"Cancel the {sd.source} ({sd.kind}) with `{how}`",
        command=command,
        when=shutdown_at(sd.when, sd.epoch, now, sd.started) if now is not None else None,
        seen=seen,
        seen_truncated=cut,
    )


def _at_offer(state: HostState, sections: Sections, atj: AtReboot, now: datetime | None) -> Offer:
    seen, cut = _seen(sections, atj.path)
    how = f"atrm {atj.job}" if state.mode == Mode.LIVE else "remove its spool file under the root"
    return Offer(
        "atrm",
        state.name,
        state.mode,
        atj.path,
        f"Remove at job {atj.job} ({how}): {atj.line.strip()}",
        line=atj.line,
        job=atj.job,
        when=at_job_time(atj, now) if now is not None else None,
        seen=seen,
        seen_truncated=cut,
    )


def _cron_file_sections(sections: Sections) -> dict[str, Section]:
    """path -> section of every crontab the refresh read (each path once)."""
    out: dict[str, Section] = {}
    for name, path in _FIXED.items():
        sec = sections.get(name)
        if sec is not None and sec.ok and name != "reboots.sd.scheduled":
            out[path] = sec
    for prefix in _CRON_PREFIXES:
        for sec in sections.prefixed(prefix):
            if sec.ok:
                out.setdefault(sec.name.split(":", 1)[1], sec)
    return out


def _rearm_cron_offers(state: HostState, sections: Sections) -> list[Offer]:
    out: list[Offer] = []
    for path, sec in _cron_file_sections(sections).items():
        counts: dict[str, int] = {}
        spool = _is_spool(path)
        for line in cron_text.split(sec.text):
            mark = marker.parse(line.content)
            if mark is None:
                continue
            occurrence = counts.get(line.content, 0)
            counts[line.content] = occurrence + 1
            out.append(
                Offer(
                    "rearm-cron",
                    state.name,
                    state.mode,
                    path,
                    f"Re-arm {path} (disarmed {mark.at} by {mark.user}): {mark.original.strip()}",
                    line=line.content,
                    occurrence=occurrence,
                    system=not spool and path != "/etc/anacrontab",
                    spool_user=path.rsplit("/", 1)[1] if spool else None,
                    anacron=path == "/etc/anacrontab",
                    restores=mark.original,
                    seen=sec.text,
                    seen_truncated=sec.truncated,
                )
            )
    return out


def _rearm_script_offers(state: HostState, sections: Sections) -> list[Offer]:
    """Run-parts scripts that would reboot if they were executable again."""
    out: list[Offer] = []
    for period in ("hourly", "daily", "weekly", "monthly"):
        name = f"reboots.cron.{period}"
        listing = sections.get(name)
        if listing is None or not listing.ok:
            continue
        entries = ls_entries(listing.text)
        for sec in sections.prefixed(name):
            path = sec.name.split(":", 1)[1]
            entry = entries.get(path.rsplit("/", 1)[1])
            if entry is None or entry[0] != "f" or entry[1] or not sec.ok:
                continue
            try:
                lines = list(cron.script_reboots(sec.text))
            except Exception:  # a matcher bug: the parse already says this source is unknown
                continue
            if lines:
                out.append(
                    Offer(
                        "rearm-script",
                        state.name,
                        state.mode,
                        path,
                        f"Re-arm {path} (restore its execute bit): {lines[0][0].strip()}",
                        line=lines[0][0],
                        seen=sec.text,
                        seen_truncated=sec.truncated,
                    )
                )
    return out

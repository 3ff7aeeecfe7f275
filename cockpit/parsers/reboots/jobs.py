"""Reboots one step away: the scripts cron job lines run.

`0 3 * * * root /usr/local/sbin/nightly.sh` names no reboot; nightly.sh may end with
`systemctl reboot`. The collector (probes/reboots.py, reboots.jobs) sends every job line
that names an absolute path outside the system's own directories, the read state of
each such path, and the scripts themselves when they hold a reboot word
(`reboots.job:/usr/local/sbin/nightly.sh`). Here each job line is parsed as cron parses
it (schedule, user, CRON_TZ), the paths it runs are picked out (matcher.run_paths), and:

- a script that reboots is a CronReboot of its own, timed by the line that runs it;
- a script that could not be read (denied, a path into this machine's mounts, a read
  that timed out, a bound of the collector reached) makes the source unknown: "might
  reboot", never silence;
- a script that is not there (absent, a link to nothing, a loop, a directory) cannot
  run: cron's job fails, nothing reboots;
- a program that is no shell script (an ELF binary, a Python script) and mentions a
  reboot word: unknown (`program`); its lines are not sh's, so matching them would
  guess either way.

Older recordings have no reboots.jobs section: they never looked one step away, and say
so (`missing`), as every other source does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from cockpit.facts.reboots import CronReboot, SourceState
from cockpit.parsers.reads import reads
from cockpit.parsers.reboots import cron
from cockpit.parsers.reboots.sections import basename, read_state
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads("reboots.jobs", "reboots.job")

#: Where the collector does not look for scripts: probes/reboots.py JOB_SKIP, the same
#: ERE (tests/reboots/test_jobs.py holds them equal; parsers may not import probes).
JOB_SKIP = re.compile(
    "^/(s?bin|usr/s?bin|usr/lib|usr/lib64|usr/libexec|usr/share|lib|lib64|dev|proc|sys|run"
    "|tmp|var/tmp|var/log|etc/cron[.](hourly|daily|weekly|monthly))(/|$)"
)
WHAT = "script a cron job runs"
#: States in which the script cannot run at all: the job fails, nothing reboots.
_CANNOT_RUN = frozenset(("absent", "dangling", "loop", "notfile"))
_SHELL_BANG = re.compile(r"#![ \t]*(?:/usr)?/bin/(?:env[ \t]+)?(?:sh|bash|dash|ash|ksh|mksh|zsh)\b")
_CUT_SAID = {
    "jobs": "cron jobs naming scripts: more than 64, 64 read",
    "paths": "scripts cron jobs run: more than 32, 32 read",
    "files": "crontabs searched for the scripts they run: more than 256, 256 read",
    "read": "crontabs searched for the scripts they run: not all read",
}


@dataclass(frozen=True)
class _Job:
    """One job line as the collector sent it, with the crontab it came from."""

    crontab: str
    line: str


def _is_shell(text: str) -> bool:
    """Does sh run this file's lines as written? No `#!` (cron's sh runs it), or a shell's."""
    if text.startswith("\x7fELF") or "\x00" in text[:4096]:
        return False
    return not text.startswith("#!") or bool(_SHELL_BANG.match(text))


def _sent(text: str) -> tuple[list[_Job], dict[str, str], list[str]]:
    """The job (and env) lines in order, each path's state, and the bounds reached."""
    jobs: list[_Job] = []
    states: dict[str, str] = {}
    cuts: list[str] = []
    for line in text.split("\n"):
        kind, _, rest = line.partition("\t")
        if kind in ("job", "env"):
            crontab, sep, body = rest.partition("\t")
            if sep:
                jobs.append(_Job(crontab, body))
        elif line.startswith("cut "):
            cuts.append(line[4:].strip())
        elif rest.startswith("/") and kind.isalpha():
            states[rest] = kind
    return jobs, states, cuts


def _system(crontab: str) -> bool:
    """System crontabs carry a user column; user spools do not."""
    return crontab == "/etc/crontab" or crontab.startswith("/etc/cron.d/")


def collect(
    sections: Sections,
    runs: Callable[[str], bool],
    out: list[CronReboot],
    states: list[SourceState],
) -> None:
    """Append the reboots hidden in the scripts cron jobs run to `out`, and every script
    (or bound) that leaves it unknown to `states`. `runs(crontab)`: does the host's cron
    run a file of that path (its own skip rules, crontabs.cron_runs)."""
    sec = sections.get_section("reboots.jobs")
    if not sec.ok:
        states.append(SourceState("reboots.jobs", read_state(sec), "scripts cron jobs run"))
        return
    jobs, path_state, cuts = _sent(sec.text)
    for cut in dict.fromkeys(cuts):
        note = _CUT_SAID.get(cut, f"scripts cron jobs run: {cut}")
        states.append(SourceState("reboots.jobs", "cut", "scripts cron jobs run", note))
    by_tab: dict[str, list[str]] = {}
    for sent in jobs:
        if runs(sent.crontab):
            by_tab.setdefault(sent.crontab, []).append(sent.line)
    said: set[str] = set()
    seen: set[tuple[str, str, str | None, str | None]] = set()
    for crontab, lines in by_tab.items():
        system = _system(crontab)
        user = None if system else basename(crontab)
        for job in cron.job_lines("\n".join(lines), system, every=True):
            for path in cron.run_paths(job.command):
                if JOB_SKIP.search(path):
                    continue
                for found in _reboots(sections, path, path_state, bool(cuts), said, states):
                    key = (path, found[0], job.spec, job.user or user)
                    if key in seen:
                        continue  # a spool linked under two names (live), one job
                    seen.add(key)
                    out.append(
                        CronReboot(
                            path,
                            path,
                            found[0],
                            job.user or user,
                            job.spec,
                            job.zone,
                            found[1],
                            found[2],
                            via=f"{crontab}: {job.line.strip()}",
                            job_crontab=crontab,
                        )
                    )


def _reboots(
    sections: Sections,
    path: str,
    path_state: dict[str, str],
    cut: bool,
    said: set[str],
    states: list[SourceState],
) -> list[tuple[str, str, int]]:
    """The reboot lines of the script at `path`; its read state added to `states` (once)
    when that leaves whether it reboots unknown."""
    state = path_state.get(path)
    if state is None:
        # not stated: beyond a bound (said above), or a path the collector split
        # otherwise than this parser (a `<` in its name): not read, so unknown
        if not cut and path not in said:
            said.add(path)
            states.append(SourceState(path, "missing", WHAT))
        return []
    if state in _CANNOT_RUN:
        return []
    if state != "ok":
        if path not in said:
            said.add(path)
            states.append(SourceState(path, state, WHAT))
        return []
    sec = sections.get_section(f"reboots.job:{path}")
    if sec.state == "missing":
        return []  # read whole, no reboot word: the prefilter left it out
    if not sec.ok:
        if path not in said:
            said.add(path)
            states.append(SourceState(path, read_state(sec), WHAT))
        return []
    if not _is_shell(sec.text):
        # its lines are no shell's: a reboot word in them says nothing either way
        if path not in said:
            said.add(path)
            states.append(SourceState(path, "program", WHAT))
        return []
    found = list(cron.script_reboots(sec.text))
    if not found and sec.truncated and path not in said:
        said.add(path)
        states.append(SourceState(path, "truncated", WHAT))
    return found

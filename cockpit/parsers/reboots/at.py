"""Reboots queued with at(1): spool files whose script reboots the host.

The run time is not in the file but in its name (queue letter, job number, minutes since
the epoch in hex), so a job is dated without running `atq`, and offline too.
"""

from __future__ import annotations

import re

from cockpit.facts.reboots import AtReboot, SourceState
from cockpit.parsers.reads import reads
from cockpit.parsers.reboots import cron
from cockpit.parsers.reboots.sections import basename, per_file, source_state
from cockpit.parsers.text import ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "reboots.at.deb",
    "reboots.at.rh",
    "reboots.at.suse",
)

_AT_SPOOLS = ("reboots.at.deb", "reboots.at.rh", "reboots.at.suse")
_AT_NAME = re.compile(r"^([A-Za-z=])([0-9a-f]{5})([0-9a-f]{8})$")


def at_jobs(sections: Sections, states: list[SourceState]) -> list[AtReboot]:
    """At jobs that reboot; each spool's read state is appended to `states`."""
    jobs: list[AtReboot] = []
    for name in _AT_SPOOLS:
        listing = sections.get_section(name)
        if listing.state != "absent":
            states.append(source_state(listing, name, "at jobs", "at spool", "jobs"))
        entries = ls_entries("\n".join(listing.entries()))
        for path, sec in per_file(sections, name):
            base = basename(path)
            match = _AT_NAME.match(base)
            entry = entries.get(base)
            if match is None or match.group(1) == "=" or (entry is not None and not entry[1]):
                continue  # not a job, a running job's lock, or not yet/no longer runnable
            if not sec.ok:
                states.append(source_state(sec, path, "at job", path))
                continue
            for line, kind, _ in cron.script_reboots(sec.text):
                jobs.append(
                    AtReboot(
                        path,
                        match.group(1),
                        int(match.group(2), 16),
                        int(match.group(3), 16) * 60,
                        line,
                        kind,
                    )
                )
                break
    return jobs

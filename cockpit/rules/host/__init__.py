"""Host-level rules: can we trust the clock and the time zone the countdowns use?"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.rules.finding import Finding, Severity


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    out: list[Finding] = []
    info = facts.host
    if info.tz_name is None:
        shown = "the host's UTC offset" if info.utc_offset is not None else "UTC"
        out.append(
            Finding(
                id="host.timezone-unknown",
                area="host",
                severity=Severity.WARNING,
                title=f"host time zone unknown: countdowns use {shown}",
                evidence=("/etc/localtime is not a zoneinfo link and /etc/timezone names no zone",),
                remedy="Check `ls -l /etc/localtime` on the host; cron runs in that zone.",
            )
        )
    if info.container:
        out.append(
            Finding(
                id="host.container",
                area="host",
                severity=Severity.INFO,
                title=f"this is a container ({info.container}): its kernel and boot are the host's",
                evidence=(f"/run/systemd/container: {info.container}",),
                remedy="Judge reboots and kernels on the machine that runs this container.",
            )
        )
    return out

"""reboots rules: what will reboot this host and when, in the host's own time.

Two entry points, because two consumers: `judge` gives the findings an admin reads
(builders and the reasons for their severities in `findings`), `armed` gives the
verdict the armed reboots with machine times (`armed`). Next times for both come
from `schedule` and `oncalendar`, so a title and the verdict never disagree.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.facts.reboots import RebootFacts
from cockpit.rules.finding import Finding
from cockpit.rules.reboots import findings
from cockpit.rules.reboots.armed import armed

__all__ = ["armed", "judge", "unknown_why"]


def unknown_why(rb: RebootFacts) -> str | None:
    """Why "no reboot armed" cannot be said: the places not read whole, in their words
    (`cron.d: 250 files, 200 read`), or the sources whose parser failed."""
    said = [s.note or f"{s.path}: {s.state}" for s in rb.unread]
    said += [f"parse issue: {i}" for i in rb.issues]
    if not said:
        return None
    more = f" and {len(said) - 3} more" if len(said) > 3 else ""
    return "; ".join(said[:3]) + more


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    """All reboots findings at `now`: armed reboots first, then policies, flags, unknowns."""
    rb = facts.reboots
    return [
        *findings.cron_jobs(rb, now),
        *findings.scheduled_shutdowns(rb, now),
        *findings.at_jobs(rb, now),
        *findings.timers(rb, now),
        *findings.auto_reboots(rb, now),
        *findings.reboot_required(rb),
        *findings.unreadable(rb, facts.host.as_root),
    ]

"""Every reboot that is armed, with its next time: what the verdict joins with bootability.

Kept apart from the findings because the verdict needs machine-usable times (soonest
first), not titles; both read the same next-time helpers (`schedule`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cockpit.facts import HostFacts
from cockpit.facts.reboots import RebootFacts
from cockpit.rules.finding import ArmedReboot
from cockpit.rules.reboots.oncalendar import timer_next
from cockpit.rules.reboots.schedule import at_job_time, cron_next, next_hhmm, shutdown_at
from cockpit.rules.when import order_key

#: Waiting shutdowns that reboot nothing: sysvinit's default (and openrc-shutdown -s)
#: goes to single-user, `-k` only warns, a dry run or a cancel changes nothing.
NOT_A_REBOOT = frozenset({"single-user", "warn-only", "dry-run", "cancel"})
_UU_WINDOW_HOUR = 6  # apt-daily-upgrade.timer: OnCalendar=*-*-* 6:00, RandomizedDelaySec=60m


def armed(facts: HostFacts, now: datetime) -> list[ArmedReboot]:
    """Every armed reboot with its next time at `now`: soonest first, then those of
    unknown time, then one-shot schedules already past (overdue or stale, never first)."""
    rb = facts.reboots
    out: list[ArmedReboot] = []
    for job in rb.cron:
        out.append(
            ArmedReboot(
                job.source,
                cron_next(job, now),
                f"{job.path}: {job.line.strip()}",
                _kind(job.kind),
                recurring=True,
            )
        )
    for sd in rb.shutdowns:
        if sd.live and sd.kind not in NOT_A_REBOOT:
            out.append(
                ArmedReboot(
                    sd.source,
                    shutdown_at(sd.when, sd.epoch, now, sd.started),
                    sd.evidence[0] if sd.evidence else sd.path,
                    _kind(sd.kind),
                )
            )
    for atj in rb.at_jobs:
        out.append(
            ArmedReboot(
                f"at job {atj.job}",
                at_job_time(atj, now),
                f"{atj.path}: {atj.line.strip()}",
                _kind(atj.kind),
            )
        )
    for timer in rb.timers:
        if timer.enabled is not False:
            out.append(
                ArmedReboot(
                    f"systemd timer {timer.timer}",
                    timer_next(timer, now),
                    timer.evidence[0] if timer.evidence else timer.timer,
                    _kind(timer.kind),
                    recurring=True,
                )
            )
    out.extend(unattended_upgrades_armed(rb, now))
    return sorted(out, key=lambda r: order_key(r.at, now))


def unattended_upgrades_armed(facts: RebootFacts, now: datetime) -> list[ArmedReboot]:
    """unattended-upgrades with Automatic-Reboot, enabled, and reboot-required present:
    armed from the next apt-daily-upgrade window (06:00 host time, the earliest run)."""
    required = [f for f in facts.flags if f.path.endswith("reboot-required")]
    out: list[ArmedReboot] = []
    for auto in facts.auto:
        if auto.tool != "unattended-upgrades" or not auto.enabled or not required:
            continue
        run = now.replace(hour=_UU_WINDOW_HOUR, minute=0, second=0, microsecond=0)
        if run <= now:
            run += timedelta(days=1)
        at = next_hhmm(auto.time, run) if auto.time else run
        out.append(
            ArmedReboot(
                "unattended-upgrades (Automatic-Reboot, reboot-required present)",
                at or run,
                auto.evidence[0],
                "reboot",
                recurring=False,
            )
        )
    return out


def _kind(kind: str) -> str:
    """The verdict speaks of reboot/poweroff/halt/kexec; anything else counts as a reboot."""
    return kind if kind in ("reboot", "poweroff", "halt", "kexec") else "reboot"

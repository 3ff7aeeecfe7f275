"""reboots rules: what will reboot this host and when, in the host's own time.

Severities, and why:
- A reboot that is armed (cron job, scheduled shutdown, at job, timer) is a WARNING on its
  own: the host will go down, and the person at the keyboard may not remember why. It
  becomes a BLOCKER only together with an unbootable state (rules/verdict.py joins them).
- Automatic reboots after updates (unattended-upgrades, dnf-automatic) are INFO while
  nothing asks for a reboot: a policy, not a pending event. With unattended-upgrades
  enabled AND /run/reboot-required present, the next unattended run reboots the host:
  WARNING, and armed (at the start of the stock apt-daily-upgrade window, 06:00 host time,
  the earliest it can happen). dnf-automatic's `when-needed` depends on needs-restarting,
  which we do not run: INFO, never armed.
- A reboot-required flag is a WARNING: the running system differs from what the next boot
  will run, so the next reboot is the moment any latent boot problem shows.
- A crontab or at spool we could not read is UNKNOWN (not boot-critical: it does not make
  the host unbootable, but "no reboot scheduled" cannot be claimed).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from cockpit.facts import HostFacts
from cockpit.facts.reboots import CronReboot, RebootFacts, TimerReboot
from cockpit.parsers import cron
from cockpit.rules.finding import ArmedReboot, Finding, Severity
from cockpit.rules.verdict import countdown as _wall_countdown

AREA = "reboots"
_VERB = {
    "reboot": "reboots",
    "poweroff": "powers off",
    "halt": "halts",
    "kexec": "kexec-reboots",
    "soft-reboot": "soft-reboots",
}
_UU_WINDOW_HOUR = 6  # apt-daily-upgrade.timer: OnCalendar=*-*-* 6:00, RandomizedDelaySec=60m


def countdown(at: datetime, now: datetime) -> str:
    """Elapsed time, not wall-clock difference: two datetimes sharing one ZoneInfo subtract
    as naive wall times in Python, which is an hour off across a DST change."""
    return _wall_countdown(at.astimezone(timezone.utc), now.astimezone(timezone.utc))


def _verb(kind: str) -> str:
    return _VERB.get(kind, "shuts down")


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M %Z").strip()


def _cron_next(job: CronReboot, now: datetime) -> datetime | None:
    if job.spec is None:
        return None
    nxt = cron.next_run(job.spec, now, cron.zone_or(job.zone, now.tzinfo))  # type: ignore[arg-type]
    return nxt + timedelta(minutes=job.delay_min) if nxt else None


def _cron_evidence(job: CronReboot) -> tuple[str, ...]:
    ev = [f"{job.path}: {job.line.strip()}"]
    if job.via:
        ev.append(
            job.via
            if ":" in job.via.split()[0]
            else f"runs {job.path.rsplit('/', 1)[0]}: {job.via}"
        )
    return tuple(ev)


def _cron_title(job: CronReboot, nxt: datetime | None, now: datetime) -> str:
    head = f"{job.source} {_verb(job.kind)} this host"
    if job.spec is None:
        if job.anacron_days:
            return f"{head} every {job.anacron_days} day(s) via anacron (time of day unknown)"
        return f"{head} when its cron directory runs (time unknown)"
    desc = cron.describe(job.spec)
    delay = f" +{job.delay_min}min" if job.delay_min else ""
    zone = f" (CRON_TZ={job.zone})" if job.zone else ""
    if nxt is None:
        return f"{head} {desc}{zone}, but its next run could not be computed"
    local = nxt.astimezone(cron.zone_or(job.zone, now.tzinfo)) if job.zone else nxt  # type: ignore[arg-type]
    if desc.startswith("on schedule"):
        return f"{head} {desc}{delay}{zone} (next {_stamp(local)}, in {countdown(nxt, now)})"
    return f"{head} {desc}{delay} {local.strftime('%Z')}{zone} (next in {countdown(nxt, now)})"


def _cron_remedy(job: CronReboot) -> str:
    if job.source.endswith("'s crontab") and job.user:
        return (
            f"If this reboot is not wanted any more: `crontab -u {job.user} -e` and delete or "
            "comment out the line (then `crontab -u " + job.user + " -l` to check)."
        )
    return (
        f"If this reboot is not wanted any more: edit {job.path} and delete or comment out "
        "the line."
    )


_CAL_SHORT = {
    "minutely": "* * * * *",
    "hourly": "0 * * * *",
    "daily": "0 0 * * *",
    "weekly": "0 0 * * mon",
    "monthly": "0 0 1 * *",
    "yearly": "0 0 1 1 *",
    "annually": "0 0 1 1 *",
    "quarterly": "0 0 1 1,4,7,10 *",
    "semiannually": "0 0 1 1,7 *",
}
_NUM_LIST = re.compile(r"^(\*|\d{1,2}(,\d{1,2})*)$")
_DOW = re.compile(r"^[A-Za-z]{3,9}((,|\.\.)[A-Za-z]{3,9})*$")


def calendar_to_cron(expr: str) -> str | None:
    """The common OnCalendar forms as a cron spec; None for what we do not support.

    Supported: the shorthands (daily, weekly, ...), `[DOW] *-*-* HH:MM[:00]`,
    `[DOW] *-MM-DD HH:MM`, and `HH:MM` alone. Anything else (steps, years, seconds other
    than 0, ~ last days, time zones) -> None: the timer is armed, time unknown.
    """
    text = expr.strip()
    if text.lower() in _CAL_SHORT:
        return _CAL_SHORT[text.lower()]
    parts = text.split()
    dow = "*"
    if parts and _DOW.match(parts[0]) and not parts[0][0].isdigit():
        dow = parts.pop(0).lower().replace("..", "-")
        dow = (
            ",".join(d[:3] for d in dow.split(","))
            if "-" not in dow
            else "-".join(d[:3] for d in dow.split("-"))
        )
    date, time = "*-*-*", "00:00:00"
    if len(parts) == 2:
        date, time = parts
    elif len(parts) == 1:
        if "-" in parts[0]:
            date = parts[0]
        else:
            time = parts[0]
    elif parts:
        return None
    dparts = date.split("-")
    tparts = time.split(":")
    if len(dparts) != 3 or dparts[0] != "*" or len(tparts) not in (2, 3):
        return None
    if len(tparts) == 3 and tparts[2] not in ("0", "00"):
        return None
    month, day = dparts[1], dparts[2]
    hour, minute = tparts[0], tparts[1]
    if not all(_NUM_LIST.match(x) for x in (month, day, hour, minute)):
        return None
    return f"{minute} {hour} {day} {month} {dow}"


def _timer_next(timer: TimerReboot, now: datetime) -> datetime | None:
    if timer.next_text:
        try:
            # list-timers prints host wall time (LC_ALL=C); the zone word may be ambiguous
            return datetime.strptime(timer.next_text + " +0000", "%Y-%m-%d %H:%M:%S %z").replace(
                tzinfo=now.tzinfo
            )
        except ValueError:
            pass
    if timer.monotonic or not timer.calendars:
        return None  # OnBootSec= etc. need the boot time; unknown
    times = []
    for expr in timer.calendars:
        spec = calendar_to_cron(expr)
        nxt = cron.next_run(spec, now) if spec else None
        if nxt is None:
            return None
        times.append(nxt)
    return min(times) if times else None


def _next_hhmm(text: str, after: datetime) -> datetime | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    cand = after.replace(
        hour=int(match.group(1)), minute=int(match.group(2)), second=0, microsecond=0
    )
    return cand if cand > after else cand + timedelta(days=1)


def _uu_armed(facts: RebootFacts, now: datetime) -> list[ArmedReboot]:
    required = [f for f in facts.flags if f.path.endswith("reboot-required")]
    out: list[ArmedReboot] = []
    for auto in facts.auto:
        if auto.tool != "unattended-upgrades" or not auto.enabled or not required:
            continue
        run = now.replace(hour=_UU_WINDOW_HOUR, minute=0, second=0, microsecond=0)
        if run <= now:
            run += timedelta(days=1)
        at = _next_hhmm(auto.time, run) if auto.time else run
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


def _shutdown_at(kind_when: str | None, epoch: float | None, now: datetime) -> datetime | None:
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=now.tzinfo)
    if kind_when == "now":
        return now
    return _next_hhmm(kind_when, now) if kind_when else None


def armed(facts: HostFacts, now: datetime) -> list[ArmedReboot]:
    """Every armed reboot with its next time at `now`, soonest first (None last)."""
    rb = facts.reboots
    out: list[ArmedReboot] = []
    for job in rb.cron:
        out.append(
            ArmedReboot(
                job.source,
                _cron_next(job, now),
                _cron_evidence(job)[0],
                _kind(job.kind),
                recurring=True,
            )
        )
    for sd in rb.shutdowns:
        if sd.live:
            out.append(
                ArmedReboot(
                    sd.source,
                    _shutdown_at(sd.when, sd.epoch, now),
                    sd.evidence[0] if sd.evidence else sd.path,
                    _kind(sd.kind),
                )
            )
    for atj in rb.at_jobs:
        at = datetime.fromtimestamp(atj.epoch, tz=now.tzinfo) if atj.epoch is not None else None
        out.append(
            ArmedReboot(f"at job {atj.job}", at, f"{atj.path}: {atj.line.strip()}", _kind(atj.kind))
        )
    for timer in rb.timers:
        if timer.enabled is not False:
            out.append(
                ArmedReboot(
                    f"systemd timer {timer.timer}",
                    _timer_next(timer, now),
                    timer.evidence[0] if timer.evidence else timer.timer,
                    _kind(timer.kind),
                    recurring=True,
                )
            )
    out.extend(_uu_armed(rb, now))
    far = now + timedelta(days=36500)
    return sorted(out, key=lambda r: (r.at is None, r.at or far))


def _kind(kind: str) -> str:
    return kind if kind in ("reboot", "poweroff", "halt", "kexec") else "reboot"


def _f(rule: str, sev: Severity, title: str, evidence: tuple[str, ...], remedy: str) -> Finding:
    return Finding(f"{AREA}.{rule}", AREA, sev, title, evidence, remedy)


def _timer_title(timer: TimerReboot, nxt: datetime | None, now: datetime) -> str:
    head = f"systemd timer {timer.timer} {_verb(timer.kind)} this host"
    cal = (
        f" ({'; '.join(timer.calendars or timer.monotonic)})"
        if timer.calendars or timer.monotonic
        else ""
    )
    if nxt is None:
        return f"{head}{cal}: next run unknown"
    return f"{head}{cal}: next {_stamp(nxt)} (in {countdown(nxt, now)})"


def _scheduled(facts: RebootFacts, now: datetime) -> list[Finding]:
    out: list[Finding] = []
    cancel = {
        "systemd scheduled shutdown": "shutdown -c",
        "sysvinit shutdown": "shutdown -c",
        "openrc-shutdown": "openrc-shutdown -c",
    }
    for sd in facts.shutdowns:
        evidence = sd.evidence + ((f"wall message: {sd.message}",) if sd.message else ())
        if not sd.live:
            out.append(
                _f(
                    "shutdown-pidfile-leftover",
                    Severity.INFO,
                    f"{sd.path} is present on this disk: a shutdown was pending when it last ran",
                    evidence,
                    f"Remove the stale {sd.path} if nothing waits on it.",
                )
            )
            continue
        at = _shutdown_at(sd.when, sd.epoch, now)
        kind = sd.kind if sd.kind != "unknown" else "shut down (mode unknown)"
        verb = _verb(kind) if kind in _VERB else "will shut down"
        when = f"at {_stamp(at)} (in {countdown(at, now)})" if at else "(time unknown)"
        out.append(
            _f(
                "shutdown-scheduled",
                Severity.WARNING,
                f"{sd.source} {verb} this host {when}",
                evidence,
                f"Cancel it if it is not wanted: `{cancel.get(sd.source, 'shutdown -c')}`.",
            )
        )
    for path, first in facts.nologin:
        out.append(
            _f(
                "nologin",
                Severity.INFO,
                f"logins are blocked by {path}: a shutdown may be imminent",
                (f"{path}: {first}",),
                f"If no shutdown is pending and logins should work, remove {path}.",
            )
        )
    return out


def _auto(facts: RebootFacts, now: datetime) -> list[Finding]:
    out: list[Finding] = []
    required = [f for f in facts.flags if f.path.endswith("reboot-required")]
    for auto in facts.auto:
        users = "" if auto.with_users is not False else " unless users are logged in"
        if auto.tool == "unattended-upgrades":
            when = f"at {auto.time}" if auto.time else "right after its run"
            state = {True: "enabled", False: "disabled (APT::Periodic)", None: "state unknown"}[
                auto.enabled
            ]
            if auto.enabled and required:
                armed_at = _uu_armed(facts, now)
                nxt = armed_at[0].at if armed_at else None
                cd = f" (next run from {_stamp(nxt)}, in {countdown(nxt, now)})" if nxt else ""
                title = (
                    f"unattended-upgrades will reboot this host {when}{users}: a reboot is "
                    f"already required{cd}"
                )
                sev = Severity.WARNING
            else:
                title = (
                    f"unattended-upgrades reboots this host by itself {when}{users} when an "
                    f"update requires it ({state})"
                )
                sev = Severity.INFO
            remedy = (
                'To stop it: set Unattended-Upgrade::Automatic-Reboot "false"; in '
                "/etc/apt/apt.conf.d/50unattended-upgrades (or a later file)."
            )
        else:
            state = {
                True: "timer enabled",
                False: "timer not enabled",
                None: "timer state unknown",
            }[auto.enabled]
            title = f"dnf-automatic reboots this host by itself ({auto.reboot}, {state})"
            sev = Severity.INFO
            remedy = "To stop it: set `reboot = never` in /etc/dnf/automatic.conf."
        out.append(_f("auto-reboot-enabled", sev, title, auto.evidence, remedy))
    return out


def _unreadable(facts: RebootFacts) -> list[Finding]:
    bad = [s for s in facts.sources if s.state not in ("ok", "absent")]
    if not bad and not facts.issues:
        return []
    evidence = tuple(f"{s.path}: {s.state} ({s.what})" for s in bad[:12]) + tuple(
        f"parse issue: {i}" for i in facts.issues
    )
    what = ", ".join(dict.fromkeys(s.what for s in bad)) or "reboot sources"
    return [
        _f(
            "crontab-unreadable",
            Severity.UNKNOWN,
            f"whether a reboot is scheduled is unknown: {what} could not be read",
            evidence,
            "Run cockpit with root rights (inventory `sudo = true`), or check by hand: "
            "`sudo crontab -l -u root; sudo ls -l /var/spool/cron/*; sudo atq`.",
        )
    ]


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    rb = facts.reboots
    out: list[Finding] = []
    for job in rb.cron:
        nxt = _cron_next(job, now)
        out.append(
            _f(
                "cron-reboot",
                Severity.WARNING,
                _cron_title(job, nxt, now),
                _cron_evidence(job),
                _cron_remedy(job),
            )
        )
    out.extend(_scheduled(rb, now))
    for atj in rb.at_jobs:
        at = datetime.fromtimestamp(atj.epoch, tz=now.tzinfo) if atj.epoch is not None else None
        when = f"at {_stamp(at)} (in {countdown(at, now)})" if at else "(time unknown)"
        out.append(
            _f(
                "at-reboot",
                Severity.WARNING,
                f"at job {atj.job} {_verb(atj.kind)} this host {when}",
                (f"{atj.path}: {atj.line.strip()}",),
                f"If it is not wanted: `atrm {atj.job}` (check with `atq`).",
            )
        )
    for timer in rb.timers:
        if timer.enabled is False:
            continue
        nxt = _timer_next(timer, now)
        out.append(
            _f(
                "timer-reboot",
                Severity.WARNING,
                _timer_title(timer, nxt, now),
                timer.evidence,
                f"If it is not wanted: `systemctl disable --now {timer.timer}`.",
            )
        )
    out.extend(_auto(rb, now))
    for flag in rb.flags:
        pkgs = f", asked for by {', '.join(flag.packages[:6])}" if flag.packages else ""
        evidence: tuple[str, ...] = (
            f"{flag.path}: {flag.text.splitlines()[0] if flag.text else '(empty)'}",
        )
        if flag.packages:
            evidence += (f"{flag.path}.pkgs: {' '.join(flag.packages)}",)
        out.append(
            _f(
                "reboot-required-flag",
                Severity.WARNING,
                f"a reboot is required ({flag.path}){pkgs}",
                evidence,
                "Plan the reboot: first make sure the host would boot (cockpit's verdict), "
                "then reboot while you are there to watch it come back.",
            )
        )
    out.extend(_unreadable(rb))
    return out

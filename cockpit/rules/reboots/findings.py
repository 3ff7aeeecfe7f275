"""The reboots findings, one builder per kind of source, and why each has its severity.

Severities:
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

from datetime import datetime

from cockpit.facts.reboots import CronReboot, RebootFacts, TimerReboot
from cockpit.parsers.reboots import cron
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.pasteable import word
from cockpit.rules.reboots.armed import unattended_upgrades_armed
from cockpit.rules.reboots.oncalendar import timer_next
from cockpit.rules.reboots.schedule import at_job_time, cron_next, shutdown_at
from cockpit.rules.unread import remedy
from cockpit.rules.when import AGO, AT, IN, Timed

AREA = "reboots"
#: Verb for "<source> ___ this host" (also the banner's: render/sentences.py).
REBOOT_VERBS = {
    "reboot": "reboots",
    "poweroff": "powers off",
    "halt": "halts",
    "kexec": "kexec-reboots",
    "soft-reboot": "soft-reboots",
}
_CANCEL = {
    "systemd scheduled shutdown": "shutdown -c",
    "sysvinit shutdown": "shutdown -c",
    "openrc-shutdown": "openrc-shutdown -c",
}


#: What a waiting shutdown that reboots nothing does (sysvinit's default is runlevel 1).
_OTHER_VERBS = {
    "single-user": "takes to single-user mode (sshd stops)",
    "warn-only": "only warns about a shutdown (-k) of",
    "dry-run": "dry-runs a shutdown of",
}


def _verb(kind: str) -> str:
    return REBOOT_VERBS.get(kind, "shuts down")


def _f(
    rule: str,
    sev: Severity,
    title: str | Timed,
    evidence: tuple[str, ...],
    remedy: str,
    now: datetime | None = None,
) -> Finding:
    """A finding; a Timed title is said at `now` and kept, so screens say it again."""
    if isinstance(title, Timed):
        assert now is not None
        return Finding(f"{AREA}.{rule}", AREA, sev, title.say(now), evidence, remedy, timed=title)
    return Finding(f"{AREA}.{rule}", AREA, sev, title, evidence, remedy)


#: Once a recurring schedule's time has passed, the next run is the next refresh's news.
_RAN = "refresh for the next run"


def cron_jobs(facts: RebootFacts, now: datetime) -> list[Finding]:
    return [
        _f(
            "cron-reboot",
            Severity.WARNING,
            _cron_title(job, cron_next(job, now), now),
            _cron_evidence(job),
            _cron_remedy(job),
            now,
        )
        for job in facts.cron
    ]


def _cron_evidence(job: CronReboot) -> tuple[str, ...]:
    ev = [f"{job.path}: {job.line.strip()}"]
    if job.via:
        ev.append(
            job.via
            if ":" in job.via.split()[0]
            else f"runs {job.path.rsplit('/', 1)[0]}: {job.via}"
        )
    return tuple(ev)


def _cron_title(job: CronReboot, nxt: datetime | None, now: datetime) -> str | Timed:
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
        lead = f"{head} {desc}{delay}{zone}"
        return Timed(local, f"{lead} (next {AT}, in {IN})", f"{lead} (due {AT}, {AGO}: {_RAN})")
    lead = f"{head} {desc}{delay} {local.strftime('%Z')}{zone}"
    return Timed(local, f"{lead} (next in {IN})", f"{lead} (due {AGO}: {_RAN})")


def _cron_remedy(job: CronReboot) -> str:
    if job.job_crontab is not None:
        return (
            "If this reboot is not wanted any more: take it out of "
            f"{word(job.path, 'the script in the evidence')}, or stop the job that runs it "
            f"in {word(job.job_crontab, 'the crontab in the evidence')} (its line is quoted "
            "in the evidence)."
        )
    if job.source.endswith("'s crontab") and job.user:
        user = word(job.user, "USER")
        named = "" if user == job.user else " (USER: the crontab's owner, quoted in the evidence)"
        return (
            f"If this reboot is not wanted any more: `crontab -u {user} -e` and delete or "
            f"comment out the line (then `crontab -u {user} -l` to check){named}."
        )
    return (
        f"If this reboot is not wanted any more: edit {word(job.path, 'the file in the evidence')}"
        " and delete or comment out the line."
    )


def scheduled_shutdowns(facts: RebootFacts, now: datetime) -> list[Finding]:
    """Pending shutdowns (or their leftovers on an offline disk) and nologin files."""
    out: list[Finding] = []
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
        at = shutdown_at(sd.when, sd.epoch, now, sd.started)
        kind = sd.kind if sd.kind != "unknown" else "shut down (mode unknown)"
        verb = _verb(kind) if kind in REBOOT_VERBS else _OTHER_VERBS.get(kind, "will shut down")
        cancel = f"`{_CANCEL.get(sd.source, 'shutdown -c')}`"
        remedy = f"Cancel it if it is not wanted: {cancel}."
        title: str | Timed = f"{sd.source} {verb} this host (time unknown)"
        if at is not None:
            noun = sd.kind if sd.kind in REBOOT_VERBS else "shutdown"
            title = Timed(
                at,
                f"{sd.source} {verb} this host at {AT} (in {IN})",
                f"{sd.source}: a {noun} scheduled for {AT}, {AGO}: stale file?",
            )
            if at < now:  # it never fired while this host was up: left over, or stuck
                remedy = (
                    f"Nothing fires a schedule that is already past: if no shutdown is "
                    f"pending, remove the stale {sd.path}; {cancel} cancels a real one."
                )
        out.append(_f("shutdown-scheduled", Severity.WARNING, title, evidence, remedy, now))
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


def at_jobs(facts: RebootFacts, now: datetime) -> list[Finding]:
    out: list[Finding] = []
    for atj in facts.at_jobs:
        at = at_job_time(atj, now)
        head = f"at job {atj.job} {_verb(atj.kind)} this host"
        title: str | Timed = f"{head} (time unknown)"
        if at is not None:
            title = Timed(
                at,
                f"{head} at {AT} (in {IN})",
                f"at job {atj.job}: a {atj.kind} due at {AT}, {AGO}: overdue (is atd running?)",
            )
        out.append(
            _f(
                "at-reboot",
                Severity.WARNING,
                title,
                (f"{atj.path}: {atj.line.strip()}",),
                f"If it is not wanted: `atrm {word(str(atj.job), 'JOB')}` (check with `atq`).",
                now,
            )
        )
    return out


def timers(facts: RebootFacts, now: datetime) -> list[Finding]:
    """Enabled (or possibly enabled) timers; a timer known to be disabled is not armed."""
    return [
        _f(
            "timer-reboot",
            Severity.WARNING,
            _timer_title(timer, timer_next(timer, now), now),
            timer.evidence,
            f"If it is not wanted: `systemctl disable --now {word(timer.timer, 'TIMER')}`"
            + ("" if word(timer.timer, "") else " (TIMER: the unit named in the evidence)")
            + ".",
            now,
        )
        for timer in facts.timers
        if timer.enabled is not False
    ]


def _timer_title(timer: TimerReboot, nxt: datetime | None, now: datetime) -> str | Timed:
    head = f"systemd timer {timer.timer} {_verb(timer.kind)} this host"
    cal = (
        f" ({'; '.join(timer.calendars or timer.monotonic)})"
        if timer.calendars or timer.monotonic
        else ""
    )
    if nxt is None:
        return f"{head}{cal}: next run unknown"
    return Timed(nxt, f"{head}{cal}: next {AT} (in {IN})", f"{head}{cal}: due {AT}, {AGO}: {_RAN}")


def auto_reboots(facts: RebootFacts, now: datetime) -> list[Finding]:
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
                armed_at = unattended_upgrades_armed(facts, now)
                nxt = armed_at[0].at if armed_at else None
                lead = (
                    f"unattended-upgrades will reboot this host {when}{users}: a reboot is "
                    "already required"
                )
                title: str | Timed = lead
                if nxt is not None:
                    title = Timed(
                        nxt,
                        f"{lead} (next run from {AT}, in {IN})",
                        f"{lead} (its run was due from {AT}, {AGO})",
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
        out.append(_f("auto-reboot-enabled", sev, title, auto.evidence, remedy, now))
    return out


def reboot_required(facts: RebootFacts) -> list[Finding]:
    out: list[Finding] = []
    for flag in facts.flags:
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
    return out


def unreadable(facts: RebootFacts, as_root: bool | None = None) -> list[Finding]:
    """Places reboots hide in that were not read whole: whether a reboot is armed is
    unknown, said per place (a cut listing says how much it held and read), with what to
    do for what really happened (rules/unread.py)."""
    bad = facts.unread
    if not bad and not facts.issues:
        return []
    evidence = tuple(s.said() for s in bad[:12]) + tuple(f"parse issue: {i}" for i in facts.issues)
    what = ", ".join(dict.fromkeys(s.what for s in bad)) or "reboot sources"
    check = (
        "Check by hand: `sudo crontab -l -u root; sudo ls -l /etc/cron.d /var/spool/cron/*; "
        "sudo atq`."
    )
    return [
        _f(
            "crontab-unreadable",
            Severity.UNKNOWN,
            f"whether a reboot is scheduled is unknown: {what} could not be read",
            evidence,
            remedy([s.state for s in bad], as_root, check),
        )
    ]

"""Is anything down now: failed or crashed services, a degraded or maintenance systemd.

Health now is a different question from reachability after the next boot: it reads the
running init's cheap health signal (systemctl, rc-status), never the boot files, and is
not asked of an offline disk, which runs nothing.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.words import Mode

AREA = "services"


def runtime_findings(facts: HostFacts) -> list[Finding]:
    rt = facts.services.runtime
    out: list[Finding] = []
    if rt.source is None or rt.state != "ok":
        if facts.mode == Mode.OFFLINE and rt.state in ("offline", "unavailable", "missing"):
            return out  # a disk runs nothing: health-now is not a question offline
        running = facts.init.running_family
        if rt.state == "not-booted":
            title = "service health unknown: systemctl answers but PID 1 is not systemd"
        elif rt.source is None:
            title = (
                "service health unknown: no cheap health signal for PID 1 "
                f"({facts.init.running_label})"
            )
        else:
            title = f"service health unknown: {rt.source} state could not be read ({rt.state})"
        evidence = rt.evidence or (f"running init: {running}",)
        out.append(
            Finding(
                f"{AREA}.state-unknown",
                AREA,
                Severity.UNKNOWN,
                title,
                tuple(evidence),
                "Check by hand: `systemctl --failed`, `rc-status -a`, `sv status /var/service/*`.",
            )
        )
        return out
    if rt.failed:
        names = " ".join(rt.failed[:12])
        cmd = _FAILED_CMD.get(rt.source or "", "rc-status -a")
        out.append(
            Finding(
                f"{AREA}.failed",
                AREA,
                Severity.WARNING,
                f"{len(rt.failed)} failed service(s): {names}",
                (*(f"failed: {u}" for u in rt.failed[:12]), *rt.evidence[:2]),
                f"Look at why: `{cmd}`, then `journalctl -u UNIT -b` or the service's log.",
            )
        )
    if rt.crashed:
        out.append(
            Finding(
                f"{AREA}.crashed",
                AREA,
                Severity.WARNING,
                "crashed service(s) (started, but the daemon is gone): "
                + " ".join(rt.crashed[:12]),
                (
                    *(f"rc-status --crashed: {c}" for c in rt.crashed[:12]),
                    *(e for e in rt.evidence if e.endswith("(LSB status 1)")),
                ),
                "rc-service NAME restart, then read its log for why it died.",
            )
        )
    state = rt.system_state
    if rt.source == "sysvinit":
        out.extend(_sysv_level(rt.system_state, rt.evidence))
    if state == "degraded" and not rt.failed:
        out.append(
            Finding(
                f"{AREA}.degraded",
                AREA,
                Severity.WARNING,
                "systemd says the system is degraded (a unit failed)",
                rt.evidence,
                "systemctl --failed; then fix or `systemctl reset-failed UNIT`.",
            )
        )
    elif state == "maintenance":
        out.append(
            Finding(
                f"{AREA}.maintenance",
                AREA,
                Severity.CRITICAL,
                "systemd is in maintenance mode (rescue or emergency shell): services are down",
                rt.evidence,
                "Find why the boot stopped (`journalctl -xb`), fix it, then `systemctl default`.",
            )
        )
    return out


_FAILED_CMD = {
    "systemd": "systemctl --failed",
    "openrc": "rc-status -a",
    "sysvinit": "service NAME status",
}


def _sysv_level(state: str | None, evidence: tuple[str, ...]) -> list[Finding]:
    """sysvinit's runlevel now: 2-5 is multi-user (healthy), S/1 single-user, 0/6 going
    down (inittab(5); `runlevel` reads the record init writes to utmp)."""
    level = (state or "").removeprefix("runlevel ")
    if level in ("S", "s", "1"):
        return [
            Finding(
                f"{AREA}.single-user",
                AREA,
                Severity.CRITICAL,
                f"sysvinit is in single-user mode (runlevel {level}): services are down",
                evidence[:2],
                "Find why (console, /var/log/boot), fix it, then `telinit 2` (Debian's default).",
            )
        ]
    if level in ("0", "6"):
        going = "rebooting" if level == "6" else "halting"
        return [
            Finding(
                f"{AREA}.going-down",
                AREA,
                Severity.WARNING,
                f"sysvinit is in runlevel {level}: the host is {going}",
                evidence[:2],
                "Nothing to do unless this was not wanted.",
            )
        ]
    return []

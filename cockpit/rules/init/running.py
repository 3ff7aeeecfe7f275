"""The running init against the next boot's: unknown PID 1, a replaced PID 1 binary, and a
migration half done (one init runs, another boots next).

None of these stops the next boot; they change how to reboot safely, so they are WARNING
or INFO, and UNKNOWN without boot_critical.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.init import ExecCheck
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.init.finding import finding
from cockpit.rules.init.remedies import REBOOT_CMD
from cockpit.words import Mode


def running_findings(facts: HostFacts, boot: ExecCheck | None) -> list[Finding]:
    init = facts.init
    pid1 = init.pid1
    out: list[Finding] = []
    if pid1.comm_state != "ok":
        if facts.mode == Mode.OFFLINE:
            out.append(
                finding(
                    "running-unknown",
                    Severity.INFO,
                    "running init unknown: offline root",
                    [f"/proc/1/comm: {pid1.comm_state} in this root"],
                    "Nothing to do: a disk that is not running has no PID 1.",
                )
            )
        else:
            out.append(
                finding(
                    "running-unknown",
                    Severity.UNKNOWN,
                    f"could not read PID 1's name (/proc/1/comm {pid1.comm_state})",
                    [f"/proc/1/comm: {pid1.comm_state}"],
                    "Check /proc is mounted and readable (hidepid?).",
                )
            )
        return out
    cmd = " ".join(pid1.cmdline)[:200]
    if init.running_family == "unknown":
        out.append(
            finding(
                "running-unknown",
                Severity.INFO,
                f"PID 1 is {pid1.comm}, not an init system cockpit knows "
                "(a microVM agent or container entry point?)",
                [f"/proc/1/comm: {pid1.comm}", f"/proc/1/cmdline: {cmd}", *init.running_evidence],
                "Nothing to fix here; reboots of this machine are managed by whatever runs it.",
            )
        )
    if pid1.deleted:
        fix = {
            "systemd": "`systemctl daemon-reexec`",
            "sysvinit": "`telinit u`",
        }.get(init.running_family, "re-exec PID 1 or plan a reboot")
        out.append(
            finding(
                "pid1-deleted",
                Severity.WARNING,
                f"PID 1's binary was replaced since boot ({pid1.exe} (deleted))",
                [f"/proc/1/exe -> {pid1.exe} (deleted)", f"/proc/1/comm: {pid1.comm}"],
                f"{fix} so PID 1 runs the installed binary (and check the next boot's init first).",
            )
        )
    boot_family = boot.family if boot is not None else "unknown"
    if (
        init.running_family != "unknown"
        and boot is not None
        and boot.state == "ok"
        and boot_family not in ("unknown", "missing")
        and boot_family != init.running_family
    ):
        out.append(
            finding(
                "migration-in-progress",
                Severity.WARNING,
                f"init migration in progress: {init.running_family} runs now, "
                f"{boot_family} will boot next",
                [
                    f"/proc/1/comm: {pid1.comm}"
                    + (f", /proc/1/exe -> {pid1.exe}" if pid1.exe else ""),
                    *init.running_evidence,
                    boot.resolution.chain(),
                ],
                f"Finish the migration before rebooting: check that {boot_family} starts ssh and "
                "the network at boot; reboot with the running init's own command "
                f"({REBOOT_CMD.get(init.running_family, '`shutdown -r now`')}).",
            )
        )
    return out

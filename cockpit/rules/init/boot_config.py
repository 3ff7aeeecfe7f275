"""What the next boot's init reads first: sysvinit's /etc/inittab, systemd's default.target.

sysvinit without /etc/inittab, or without a valid `initdefault`, stops at "Enter
runlevel:" on the console (init.c get_init_default -> ask_runlevel); systemd without a
loadable default.target falls back to rescue.target. Each stops the boot before the
network is up. Checked only once the init itself is known to exec.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.rules.chain import cmdline as kcmd
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.init.finding import finding
from cockpit.rules.unread import remedy as unread_remedy

_ASK = "'Enter runlevel:'"


def _runlevel_on_cmdline(cmdline: str | None) -> str | None:
    """The level sysvinit will take from its argv, if the command line names one."""
    found = kcmd.sysvinit_override(cmdline) if cmdline is not None else None
    return found[0] if found is not None else None


def inittab_findings(facts: HostFacts) -> list[Finding]:
    tab = facts.init.inittab
    fix = "Restore /etc/inittab (Debian: `cp /usr/share/sysvinit/inittab /etc/inittab`; Gentoo: "
    fix += "re-emerge sys-apps/sysvinit and run etc-update) and check `id:N:initdefault:`."
    if tab.state in ("absent",) or (tab.state == "ok" and tab.empty):
        what = "absent" if tab.state == "absent" else "has no entries"
        return [
            finding(
                "inittab-unusable",
                Severity.BLOCKER,
                f"sysvinit boot but /etc/inittab {what}: init stops at {_ASK} on the console",
                [
                    f"/etc/inittab: {what}",
                    "sysvinit (init.c): no initdefault -> ask_runlevel() on the console",
                ],
                fix,
                stage=Stage.INIT_CONFIG,
            )
        ]
    if tab.state != "ok":
        return [
            finding(
                "inittab-unknown",
                Severity.UNKNOWN,
                f"sysvinit boot, and /etc/inittab could not be read ({tab.state})",
                [f"/etc/inittab: {tab.state}"],
                unread_remedy([tab.state], facts.host.as_root),
                critical=True,
                stage=Stage.INIT_CONFIG,
            )
        ]
    out: list[Finding] = []
    override = _runlevel_on_cmdline(facts.boot.default_cmdline)
    level = max(tab.initdefault.upper(), default="") if tab.initdefault is not None else ""
    if override is None:
        if tab.initdefault is None or level not in "0123456789S" or not level:
            out.append(
                finding(
                    "inittab-unusable",
                    Severity.BLOCKER,
                    f"no valid initdefault in /etc/inittab: sysvinit stops at {_ASK} "
                    "on the console",
                    [tab.initdefault_line or "/etc/inittab: no 'initdefault' entry"],
                    fix,
                    stage=Stage.INIT_CONFIG,
                )
            )
        elif level in "06":
            what = "halts" if level == "0" else "reboots again"
            out.append(
                finding(
                    "inittab-unusable",
                    Severity.BLOCKER,
                    f"/etc/inittab's default runlevel is {level}: the host {what} at every boot",
                    [tab.initdefault_line or ""],
                    "Set a multi-user default: `id:2:initdefault:` (Debian) / "
                    "`id:3:initdefault:` (Gentoo).",
                    stage=Stage.INIT_CONFIG,
                )
            )
    if not tab.sysinit:
        out.append(
            finding(
                "inittab-incomplete",
                Severity.CRITICAL,
                "/etc/inittab has no sysinit line: the boot scripts (mounts, udev, network) "
                "will not run",
                ["/etc/inittab: no '::sysinit:' entry"],
                fix,
                stage=Stage.INIT_CONFIG,
            )
        )
    target = override if override and override.isdigit() else level
    if (
        target
        and target in "2345"
        and not any(
            target in levels and action not in ("initdefault",)
            for _, levels, action, _ in tab.entries
        )
    ):
        out.append(
            finding(
                "inittab-incomplete",
                Severity.CRITICAL,
                f"/etc/inittab starts nothing in runlevel {target}: no services, no logins",
                [tab.initdefault_line or f"runlevel {target}"],
                fix,
                stage=Stage.INIT_CONFIG,
            )
        )
    return out


def default_target_findings(facts: HostFacts) -> list[Finding]:
    cmdline = facts.boot.default_cmdline or ""
    if "systemd.unit=" in cmdline:
        return []
    targets = facts.init.default_targets
    if not targets:
        return [
            finding(
                "default-target-unknown",
                Severity.UNKNOWN,
                "systemd boot, and its default.target was not checked",
                ["no default.target section in the snapshot"],
                "Refresh; run `systemctl get-default` on the host.",
                critical=True,
                stage=Stage.INIT_CONFIG,
            )
        ]
    unreadable = [t for t in targets if t.state not in ("ok", "absent", "dangling", "loop")]
    good = [t for t in targets if t.found and t.kind == "f"]
    etc = targets[0]
    evidence = [t.chain() for t in targets if t.state != "absent" or t is etc]
    remedy = (
        "`systemctl set-default multi-user.target` (or graphical.target), "
        "then `systemctl get-default`."
    )
    if good:
        if etc.state in ("dangling", "loop"):
            return [
                finding(
                    "default-target-dangling",
                    Severity.WARNING,
                    "/etc/systemd/system/default.target is broken; "
                    f"systemd falls back to {good[0].path}",
                    evidence,
                    remedy,
                    stage=Stage.INIT_CONFIG,
                )
            ]
        return []
    if unreadable:
        return [
            finding(
                "default-target-unknown",
                Severity.UNKNOWN,
                "systemd boot, and its default.target could not be read",
                evidence,
                unread_remedy([t.state for t in unreadable], facts.host.as_root),
                critical=True,
                stage=Stage.INIT_CONFIG,
            )
        ]
    return [
        finding(
            "default-target-missing",
            Severity.BLOCKER,
            "systemd has no default.target: the boot falls back to rescue.target (no network)",
            evidence,
            remedy,
            stage=Stage.INIT_CONFIG,
        )
    ]

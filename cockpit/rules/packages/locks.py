"""Any package manager: a lock held by a running manager, or one left behind by a dead one.

Cross-family because the families' lock kinds (fcntl, pid file, pacman's existence lock)
are read into one Lock shape; a held lock is a reason to wait, a stale one to clean up.
"""

from __future__ import annotations

from cockpit.distros import MANAGERS
from cockpit.facts.packages import Lock, PackageFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding


def _owner(path: str) -> str:
    """The manager whose lock file this is (cockpit/distros)."""
    return next((m.name for m in MANAGERS if path in m.run_locks()), "the package manager")


def _who(lock: Lock) -> str:
    name = lock.comm or "a package manager"
    return f"{name} (pid {lock.pid})" if lock.pid is not None else name


def lock_findings(p: PackageFacts) -> list[Finding]:
    out: list[Finding] = []
    held = [lk for lk in p.locks if lk.held]
    if held:
        who = sorted({_who(lk) for lk in held})
        evidence = [lk.evidence or lk.path for lk in held]
        if p.uu_progress:
            evidence.append(f"/var/run/unattended-upgrades.progress: {p.uu_progress}")
        out.append(
            finding(
                "lock-held",
                Severity.INFO,
                f"{', '.join(who)} is running: let it finish before any reboot",
                evidence,
                "Wait for it to finish (watch it with `ps -p PID`); "
                "do not kill it or reboot meanwhile.",
            )
        )
    for lk in p.locks:
        owner = _owner(lk.path)
        if lk.held is False and lk.kind in ("exists", "pidfile"):
            what = (
                f"{owner}'s lock file is left over and no {owner} is running"
                if lk.kind == "exists"
                else f"{lk.path} names PID {lk.pid}, which is not running it"
            )
            out.append(
                finding(
                    "stale-lock",
                    Severity.WARNING,
                    what,
                    [lk.evidence or lk.path],
                    f"Check nothing is running (`fuser {lk.path}`), then `rm {lk.path}`.",
                )
            )
        elif lk.held is None and lk.kind == "exists" and not p.live:
            out.append(
                finding(
                    "stale-lock",
                    Severity.WARNING,
                    f"{owner}'s lock file is present (offline: no {owner} runs on this disk)",
                    [lk.evidence or lk.path],
                    f"On the booted host: check no {owner} runs (`fuser {lk.path}`), "
                    "then remove it.",
                )
            )
    return out

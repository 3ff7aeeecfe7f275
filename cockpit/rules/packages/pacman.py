"""pacman: an upgrade whose log has a start and no end.

pacman writes no journal; its log (and db.lck, judged with the other locks) is all that
tells an interrupted `pacman -Syu` from a finished one.
"""

from __future__ import annotations

from cockpit.facts.packages import PackageFacts, Transaction
from cockpit.rules.finding import Finding
from cockpit.rules.packages.common import run_interrupted


def pacman_run_interrupted(p: PackageFacts, t: Transaction) -> Finding | None:
    """A pacman run that never finished, unless a pacman is still running it."""
    held = any(lk.path == "/var/lib/pacman/db.lck" and lk.held for lk in p.locks)
    if p.pacman_running or held:
        return None
    remedy = (
        "Re-run the upgrade: `pacman -Syu` (remove /var/lib/pacman/db.lck first if no pacman runs)."
    )
    return run_interrupted(t, remedy)

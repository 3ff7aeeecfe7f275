"""rpm and yum: a yum transaction journal left without its done file.

`transaction-all` without `transaction-done` is yum's own record of a transaction it did
not finish; while rpm, dnf or yum holds a lock it is still running, not interrupted.
"""

from __future__ import annotations

from cockpit.distros.table import RPM
from cockpit.facts.packages import PackageFacts
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.packages.common import finding, held_locks


def yum_findings(p: PackageFacts) -> list[Finding]:
    if not p.yum_unfinished or held_locks(p, RPM.run_locks()):
        return []
    return [
        finding(
            "transaction-interrupted",
            Severity.CRITICAL,
            "a yum transaction was interrupted (transaction-all without transaction-done)",
            list(p.yum_unfinished[:5]),
            "yum-complete-transaction   (or `yum-complete-transaction --cleanup-only` "
            "and `yum history redo last`).",
        )
    ]

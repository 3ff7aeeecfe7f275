"""Service health: failed units now, and whether remote access and networking come back
at the next boot under the rc system that will really run (not leftovers of another)."""

from __future__ import annotations

import re
from datetime import datetime

from cockpit.facts.services import Enablement
from cockpit.rules.services import boot_rc
from cockpit.state import HostState
from cockpit.ui.widgets.pane_base import FactPane, Lines
from cockpit.words import Mode

_ENABLEMENT_LEVEL = {
    "enabled": "ok",
    "disabled": "critical",
    "masked": "critical",
    "broken": "critical",
    "unconfigured": "warning",
    "unknown": "unknown",
}


def _enablement(lines: Lines, role: str, en: Enablement) -> None:
    what = f"{en.state}" + (f" ({en.what})" if en.what else "")
    lines.row(role, what, _ENABLEMENT_LEVEL.get(en.state, "unknown"), note=en.note or "")


def _said_once(why: str, family: str) -> str:
    """`boot init: missing (/sbin/init does not exist) (missing)` says `missing` twice,
    `systemd (systemd)` too: the family in parentheses goes when the label says it."""
    return re.sub(rf"(boot init: {re.escape(family)}\b[^;]*?) \({re.escape(family)}\)", r"\1", why)


class ServicesPane(FactPane):
    AREA = "services"
    TITLE = "service health"

    def build(self, lines: Lines, state: HostState, now: datetime | None) -> None:
        assert state.facts is not None
        svc = state.facts.services
        rt = svc.runtime
        if rt.state == "ok":
            failed = len(rt.failed) + len(rt.crashed)
            level = "warning" if failed else "ok"
            system = f" (system {rt.system_state})" if rt.system_state else ""
            lines.row("now", f"{failed} failed{system}", level, note=rt.source or "")
            for unit in (*rt.failed, *rt.crashed):
                lines.quote(unit, indent=4)
        elif rt.state == "offline" or state.mode == Mode.OFFLINE:
            lines.row("now", "nothing runs on an offline disk")
        else:
            lines.row("now", rt.state, "unknown", note="failed services not known")
        rc, why = boot_rc(state.facts)
        if rc is None:
            lines.row("next boot rc", "unknown", "unknown", note=why)
        else:
            view = svc.view(rc)
            lines.row("next boot rc", rc)
            lines.quote(_said_once(why, state.facts.init.boot_family), indent=4)
            _enablement(lines, "  sshd at next boot", view.sshd)
            _enablement(lines, "  network at next boot", view.network)
        for problem in svc.initscript_problems:
            lines.row("init script", f"{problem.script}: {problem.reason}", "warning")
        for issue in svc.issues:
            lines.mark("unknown", issue)

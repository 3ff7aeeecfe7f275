"""The boot chain: one line of stages in boot order, then each stage with its reason and,
for the stages that are not proven, the evidence they rest on. The verdict is read from
here; it sits after the reboots pane so that at 80x24 the armed reboot stays in view."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from cockpit.rules.chain.model import BootChain, StageState
from cockpit.state import HostState
from cockpit.ui.widgets.pane_base import FactPane, Lines, host

#: StageState -> MARKS level (pane_base): a word and a symbol, never colour alone.
_LEVEL = {StageState.PROVEN: "ok", StageState.BROKEN: "blocker", StageState.UNKNOWN: "unknown"}
_STYLE = {"ok": "$text-success", "blocker": "bold $text-error", "unknown": "bold $text-accent"}
#: Evidence lines shown under a stage: a proven stage is not the news (its evidence is one
#: key away, `v`), a broken or unknown one is.
_EVIDENCE = {StageState.PROVEN: 0, StageState.BROKEN: 3, StageState.UNKNOWN: 2}


def chain_line(chain: BootChain) -> Content:
    """`✓ entry › ? kernel › ✗ mounts … · ✓ remote-access`: the whole chain at a glance."""
    parts: list[tuple[str, str] | str] = []
    for result in chain:
        if parts:
            parts.append(" · " if not result.stage.decides_verdict else " › ")
        style = _STYLE[_LEVEL[result.state]]
        parts.append((f"{result.state.symbol} {result.stage.value}", style))
    return Content.assemble(*parts)


class ChainPane(FactPane):
    AREA = "chain"
    TITLE = "boot chain"

    def build(self, lines: Lines, state: HostState, now: datetime | None) -> None:
        chain = state.chain
        if chain is None:
            lines.mark("unknown", "no boot chain: the host could not be judged")
            return
        lines.append(chain_line(chain))
        changed = chain.changed_since_boot
        if changed:
            lines.row("changed since boot", ", ".join(changed[:6]), "warning")
        for result in chain:
            lines.mark(_LEVEL[result.state], f"{result.stage.label}: {result.reason}")
            for ev in result.evidence[: _EVIDENCE[result.state]]:
                lines.quote(host(ev), indent=4)

    def _area_findings(self, lines: Lines, state: HostState) -> None:
        """The stages already say which findings decided them."""

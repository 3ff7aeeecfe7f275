"""The boot chain: one line of stages in boot order, then each stage with its reason and
the evidence it rests on. The verdict is read from here, so this pane comes first.

Designed for 80 columns: the stage line fits 74 cells (remote access is `remote` there;
its own line below says it whole), each stage's line wraps under its mark, and evidence
keeps its `│` gutter on every wrapped line. Symbols and words are render.marks' own.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from cockpit.render.marks import SYMBOL
from cockpit.rules.chain.model import BootChain, Stage, StageState
from cockpit.state import HostState
from cockpit.ui.widgets.pane_base import FactPane, Lines, host

#: StageState -> MARKS level (pane_base): a word and a symbol, never colour alone.
_LEVEL = {StageState.PROVEN: "ok", StageState.BROKEN: "blocker", StageState.UNKNOWN: "unknown"}
_STYLE = {"ok": "$text-success", "blocker": "bold $text-error", "unknown": "bold $text-accent"}
#: Evidence lines under a stage: a proven stage is not the news (its evidence is a key
#: away, `v`); a broken or unknown one is, and at 80x24 the panes below must stay near.
_EVIDENCE = {StageState.PROVEN: 0, StageState.BROKEN: 6, StageState.UNKNOWN: 4}
#: Names in the one-line chain, short enough for 80 columns.
_SHORT = {Stage.REMOTE_ACCESS: "remote"}


def chain_line(chain: BootChain) -> Content:
    """`✓ entry › ? kernel › ✗ mounts … · ✓ remote`: the whole chain at a glance."""
    parts: list[tuple[str, str] | str] = []
    for result in chain:
        if parts:
            parts.append(" · " if not result.stage.decides_verdict else " › ")
        level = _LEVEL[result.state]
        name = _SHORT.get(result.stage, result.stage.value)
        parts.append((f"{SYMBOL[level]} {name}", _STYLE[level]))
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

    def _area_findings(self, lines: Lines, state: HostState, now: datetime | None) -> None:
        """The stages already say which findings decided them."""

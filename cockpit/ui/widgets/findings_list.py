"""Findings, worst first: title, the host's own words as evidence (verbatim, escaped),
and the remedy. One option per finding; the highlighted one is what `v` opens."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from cockpit.rules.finding import Finding
from cockpit.state import HostState
from cockpit.ui.widgets.pane_base import MARKS, host

MAX_EVIDENCE = 6


def finding_content(f: Finding) -> Content:
    word, style = MARKS.get(f.severity.value, MARKS["unknown"])
    lines = [
        Content.assemble((word, style), " ", host(f.title), ("  " + f.id, "$text-muted")),
    ]
    for ev in f.evidence[:MAX_EVIDENCE]:
        lines.append(Content.assemble(("    │ ", "$text-muted"), host(ev)))
    if len(f.evidence) > MAX_EVIDENCE:
        more = len(f.evidence) - MAX_EVIDENCE
        lines.append(Content.styled(f"    │ … {more} more (v: raw sections)", "$text-muted"))
    if f.remedy:
        lines.append(Content.assemble(("    fix: ", "bold"), host(f.remedy)))
    return Content("\n").join(lines)


def finding_plain(f: Finding) -> str:
    return finding_content(f).plain


class FindingsList(OptionList):
    """The findings of one host; `findings[i]` is option i."""

    AREA = "findings"

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, classes="fact-pane", markup=False)
        self.border_title = "findings"
        self.findings: tuple[Finding, ...] = ()

    def update_from(self, state: HostState | None) -> None:
        findings = state.findings if state is not None else ()
        if findings == self.findings:
            return
        keep = self.highlighted_finding
        self.findings = findings
        self.clear_options()
        if not findings:
            what = "no findings" if state is not None and state.facts else "no data yet"
            self.add_option(Option(Content.styled(what, "$text-muted"), disabled=True))
            return
        self.add_options(
            Option(finding_content(f), id=f"{i}:{f.id}") for i, f in enumerate(findings)
        )
        ids = [f.id for f in findings]
        self.highlighted = ids.index(keep.id) if keep is not None and keep.id in ids else 0
        self.border_title = f"findings ({len(findings)})"

    @property
    def highlighted_finding(self) -> Finding | None:
        i = self.highlighted
        if i is None or not (0 <= i < len(self.findings)):
            return None
        return self.findings[i]

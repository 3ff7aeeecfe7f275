"""Findings, worst first: title, the host's own words as evidence (verbatim, escaped),
and the remedy. One option per finding; the highlighted one is what `v` opens and what
`c` / `C` copy (its remedy / its evidence).

Each option is wrapped here, at the list's width, with hanging indents: a wrapped title
stays indented under its mark, evidence keeps its `│` gutter on every line. Titles are
said at the screen's now (`Finding.title_at`), so a countdown in a finding ticks with
the banner's.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.events import Resize
from textual.widgets.option_list import Option

from cockpit.rules.finding import Finding
from cockpit.state import HostState
from cockpit.ui.widgets.lists import KeyedOptionList
from cockpit.ui.widgets.pane_base import GUTTER, MARKS, hanging, host, wrap_all

MAX_EVIDENCE = 6
#: Cells the option list itself takes (its scrollbar and the option's padding).
_CHROME = 3


def finding_content(f: Finding, now: datetime | None = None, width: int = 10_000) -> Content:
    word, style = MARKS.get(f.severity.value, MARKS["unknown"])
    muted = "$text-muted"
    gutter = Content.styled(f"    {GUTTER}", muted)
    lines = [
        hanging(
            Content.assemble((word, style), " "),
            Content.assemble(host(f.title_at(now)), ("  " + f.id, muted)),
            "  ",
        )
    ]
    for ev in f.evidence[:MAX_EVIDENCE]:
        lines.append(hanging(gutter, host(ev), gutter))
    if len(f.evidence) > MAX_EVIDENCE:
        more = len(f.evidence) - MAX_EVIDENCE
        lines.append(hanging(gutter, Content.styled(f"… {more} more (v: raw sections)", muted)))
    if f.remedy:
        lines.append(hanging(Content.styled("    fix: ", "bold"), host(f.remedy), " " * 9))
    return wrap_all(lines, width)


def finding_plain(f: Finding, now: datetime | None = None) -> str:
    return finding_content(f, now).plain


class FindingsList(KeyedOptionList):
    """The findings of one host; `findings[i]` is option i."""

    AREA = "findings"

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, classes="fact-pane", markup=False)
        self.border_title = "findings"
        self.findings: tuple[Finding, ...] = ()
        self._now: datetime | None = None
        self._width = 0

    def _room(self) -> int:
        return max((self.size.width or self.app.size.width - 6) - _CHROME, 20)

    def update_from(self, state: HostState | None, now: datetime | None = None) -> None:
        findings = state.findings if state is not None else ()
        self._now = now
        if findings == self.findings and self._width == self._room():
            self.tick(now)
            return
        keep = self.highlighted_finding
        self.findings = findings
        self._width = self._room()
        self.clear_options()
        if not findings:
            what = "no findings" if state is not None and state.facts else "no data yet"
            self.add_option(Option(Content.styled(what, "$text-muted"), disabled=True))
            return
        self.add_options(
            Option(finding_content(f, now, self._width), id=f"{i}:{f.id}")
            for i, f in enumerate(findings)
        )
        ids = [f.id for f in findings]
        self.highlighted = ids.index(keep.id) if keep is not None and keep.id in ids else 0
        self.border_title = f"findings ({len(findings)})"

    def tick(self, now: datetime | None) -> None:
        """The screen's clock moved: say again the findings that speak of a time."""
        self._now = now
        for i, f in enumerate(self.findings):
            if f.timed is not None:
                self.replace_option_prompt_at_index(i, finding_content(f, now, self._width))

    def on_resize(self, _event: Resize) -> None:
        if self.findings and self._width != self._room():
            self._width = self._room()
            for i, f in enumerate(self.findings):
                self.replace_option_prompt_at_index(i, finding_content(f, self._now, self._width))

    @property
    def highlighted_finding(self) -> Finding | None:
        i = self.highlighted
        if i is None or not (0 <= i < len(self.findings)):
            return None
        return self.findings[i]

"""The raw sections behind a pane or a finding, one key away: what the host really sent.

Sections are listed by relevance (those whose path the evidence quotes first, then the
rest of the area), each with its state, exit code and size; the highlighted one's text is
shown below, escaped (a hostile crontab is shown, never obeyed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cockpit.snapshot import Section, Snapshot
from cockpit.ui.safe_text import safe_text
from cockpit.ui.widgets.key_hints import BottomDock
from cockpit.ui.widgets.lists import KeyedOptionList
from cockpit.ui.widgets.pane_base import host


def _path(section: Section) -> str | None:
    _, sep, rest = section.name.partition(":")
    return rest if sep and rest.startswith("/") else None


def relevant_sections(
    snapshot: Snapshot | None, area: str | None, evidence: Sequence[str] = ()
) -> list[Section]:
    """Sections quoted by the evidence first, then the area's (all when area is None)."""
    if snapshot is None:
        return []
    sections = list(snapshot.sections.values())
    quoted = [s for s in sections if (p := _path(s)) and any(p in ev for ev in evidence)]
    prefix = f"{area}."
    rest = [
        s
        for s in sections
        if s not in quoted
        and (area is None or s.name.startswith(prefix) or s.probe.startswith(prefix))
    ]
    return quoted + rest


def section_label(s: Section) -> Content:
    size = f"{len(s.text)} chars" + (", truncated" if s.truncated else "")
    style = "$text-success" if s.state == "ok" else "$text-warning"
    return Content.assemble(
        host(s.name), "  ", (s.state, style), (f"  rc {s.rc}  {size}", "$text-muted")
    )


class RawSectionsScreen(Screen[None]):
    """`escape` / `backspace` / `v` go back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace,v", "app.pop_screen", "Back"),
    ]

    def __init__(self, title: str, sections: list[Section]) -> None:
        super().__init__(classes="raw-sections")
        self.heading = title
        self.sections = sections

    def compose(self) -> ComposeResult:
        yield Static(safe_text(self.heading, one_line=True), id="raw-title")
        options = [Option(section_label(s), id=str(i)) for i, s in enumerate(self.sections)]
        if not options:
            options = [Option("no raw sections (no snapshot from this host)", disabled=True)]
        yield KeyedOptionList(*options, id="raw-list", markup=False)
        with VerticalScroll(id="raw-body"):
            yield Static(id="raw-text", markup=False)
        yield BottomDock()

    def on_mount(self) -> None:
        self.sub_title = "raw sections"
        self.query_one(OptionList).focus()
        self._show(0)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _show(self, index: int) -> None:
        body = self.query_one("#raw-text", Static)
        if not (0 <= index < len(self.sections)):
            body.update("")
            return
        s = self.sections[index]
        text = s.text if s.text else f"({s.state}: no text)"
        body.update(safe_text(text))

    @property
    def shown_text(self) -> str:
        return str(self.query_one("#raw-text", Static).render())

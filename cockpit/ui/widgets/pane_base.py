"""What every fact pane shares: a focusable block of lines, built with words AND symbols.

Panes read one HostState and the host's clock and draw themselves (`update_from`); they
never look at siblings or the book. Text is a Textual `Content`: our own labels carry
theme-variable styles (`$error`, `$success`...), and everything that came from a host
goes through `safe_plain` first and is added as plain text, so it is never markup and
never an escape sequence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from textual.content import Content
from textual.widget import Widget

from cockpit.render.marks import mark
from cockpit.state import HostState
from cockpit.ui.safe_text import safe_plain

#: level -> (symbol and word, style). Severity is never told by colour alone; the words
#: and symbols are render.marks', the same in every view.
_STYLES = {
    "blocker": "bold $text-error",
    "critical": "bold $text-error",
    "unknown": "bold $text-accent",
    "warning": "bold $text-warning",
    "ok": "bold $text-success",
    "info": "$text-muted",
}
MARKS: dict[str, tuple[str, str]] = {
    level: (mark(level), style) for level, style in _STYLES.items()
}
GUTTER = "│ "


def host(text: object, one_line: bool = True) -> str:
    """Host text, made safe (one line unless told)."""
    return safe_plain(str(text), one_line=one_line, max_line=400)


@dataclass(frozen=True)
class Hanging:
    """One logical line: `lead` then `body`; when the body wraps, each further line starts
    with `cont` (an indent, or the evidence gutter `│ `), so a wrapped finding keeps its
    indent and evidence keeps its gutter at 80 columns."""

    lead: Content
    body: Content
    cont: Content

    def wrap(self, width: int) -> list[Content]:
        first_room = max(width - self.lead.cell_length, 8)
        room = max(width - self.cont.cell_length, 8)
        if self.body.cell_length <= first_room:
            return [self.lead + self.body]
        head = self.body.wrap(first_room)[0]
        rest = self.body[len(head.plain) :]
        rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")) :]
        out = [self.lead + head.rstrip()]
        out += [self.cont + line.rstrip() for line in rest.wrap(room)] if rest.plain else []
        return out


def hanging(lead: Content | str, body: Content | str, cont: Content | str | None = None) -> Hanging:
    lead = lead if isinstance(lead, Content) else Content(lead)
    body = body if isinstance(body, Content) else Content(body)
    if cont is None:
        cont = Content(" " * (len(lead.plain) - len(lead.plain.lstrip(" ")) + 2))
    return Hanging(lead, body, cont if isinstance(cont, Content) else Content(cont))


def wrap_all(lines: Iterable[Hanging], width: int) -> Content:
    return Content("\n").join(out for line in lines for out in line.wrap(width))


class Lines:
    """A small builder: headings, label/value rows, marks; wrapped at draw time."""

    def __init__(self) -> None:
        self._lines: list[Hanging] = []

    def _add(
        self, lead: Content | str, body: Content | str, cont: Content | str | None = None
    ) -> Lines:
        self._lines.append(hanging(lead, body, cont))
        return self

    def heading(self, text: str) -> Lines:
        return self._add("", Content.styled(text, "bold $text-primary"))

    def row(self, label: str, value: object, level: str | None = None, note: str = "") -> Lines:
        """`label: [mark] value  note`; value and note are host text."""
        lead_parts: list[Content | tuple[str, str] | str] = [(f"{label}: ", "$text-muted")]
        if level is not None:
            word, style = MARKS[level]
            lead_parts += [(word, style), " "]
        body: list[Content | tuple[str, str] | str] = [host(value)]
        if note:
            body += [("  ", ""), (host(note), "$text-muted")]
        return self._add(Content.assemble(*lead_parts), Content.assemble(*body))

    def mark(self, level: str, text: object, detail: str = "") -> Lines:
        word, style = MARKS[level]
        body: list[Content | tuple[str, str] | str] = [host(text)]
        if detail:
            body += ["  ", (host(detail), "$text-muted")]
        return self._add(Content.assemble((word, style), " "), Content.assemble(*body), "  ")

    def quote(self, text: object, indent: int = 2) -> Lines:
        """Verbatim evidence from the host behind a gutter, which wrapped lines keep."""
        gutter = Content.styled(" " * indent + GUTTER, "$text-muted")
        for line in str(text).splitlines() or [""]:
            self._add(gutter, host(line), gutter)
        return self

    def plain(self, text: str, style: str = "") -> Lines:
        return self._add("", Content.styled(text, style) if style else Content(text))

    def items(self, label: str, values: Iterable[object], empty: str = "none") -> Lines:
        shown = [host(v) for v in values]
        return self.row(label, ", ".join(shown) if shown else empty)

    def append(self, line: Content, cont: str = "  ") -> Lines:
        """A line the caller styled itself (our own labels only, never host text)."""
        return self._add("", line, cont)

    def blank(self) -> Lines:
        return self._add("", "")

    def content(self, width: int = 10_000) -> Content:
        return wrap_all(self._lines, width)

    @property
    def plain_text(self) -> str:
        return "\n".join((line.lead + line.body).plain for line in self._lines)


class LinesView(Widget):
    """Shows a Lines builder, wrapped at this widget's width when drawn."""

    def __init__(self, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = ""  # plain text of what is shown (tests, the raw-section screen)
        self._lines = Lines()
        self._wrapped: tuple[int, Content] | None = None

    def show(self, lines: Lines) -> None:
        self._lines, self._wrapped = lines, None
        text = lines.plain_text
        if text != self.text:
            self.text = text
            self.refresh(layout=True)
        else:
            self.refresh()

    def _at(self, width: int) -> Content:
        if self._wrapped is None or self._wrapped[0] != width:
            self._wrapped = (width, self._lines.content(width))
        return self._wrapped[1]

    def render(self) -> Content:
        return self._at(self.size.width or 80)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self._at(width).split("\n"))


class FactPane(LinesView, can_focus=True):
    """One area of one host. Subclasses set AREA and TITLE and implement `build`."""

    AREA: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, classes="fact-pane")
        self.border_title = self.TITLE

    def update_from(self, state: HostState | None, now: datetime | None) -> None:
        lines = Lines()
        if state is None or state.facts is None:
            why = state.error if state is not None and state.error else "no answer yet"
            lines.mark("unknown", f"not known: {why}")
        else:
            self.build(lines, state, now)
            self._area_findings(lines, state, now)
        self.show(lines)

    def build(self, lines: Lines, state: HostState, now: datetime | None) -> None:
        raise NotImplementedError

    def _area_findings(self, lines: Lines, state: HostState, now: datetime | None) -> None:
        """This area's findings as one line each (the findings list has the details),
        their times said at the screen's now."""
        found = [f for f in state.findings if f.area == self.AREA and f.severity.value != "info"]
        if found:
            lines.blank()
            for f in found:
                lines.mark(f.severity.value, f.title_at(now))

    def tick(self, state: HostState | None, now: datetime | None) -> None:
        """Every second: only what speaks of a time changes (timed findings)."""
        if state is not None and any(f.timed and f.area == self.AREA for f in state.findings):
            self.update_from(state, now)

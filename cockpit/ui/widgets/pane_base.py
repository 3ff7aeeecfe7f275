"""What every fact pane shares: a focusable block of lines, built with words AND symbols.

Panes read one HostState and the host's clock and draw themselves (`update_from`); they
never look at siblings or the book. Text is a Textual `Content`: our own labels carry
theme-variable styles (`$error`, `$success`...), and everything that came from a host
goes through `safe_plain` first and is added as plain text, so it is never markup and
never an escape sequence.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

from textual.content import Content
from textual.widgets import Static

from cockpit.state import HostState
from cockpit.ui.safe_text import safe_plain

#: level -> (symbol and word, style). Severity is never told by colour alone.
MARKS: dict[str, tuple[str, str]] = {
    "blocker": ("✖ BLOCKER", "bold $text-error"),
    "critical": ("✖ CRIT", "bold $text-error"),
    "unknown": ("? UNKNOWN", "bold $text-accent"),
    "warning": ("⚠ WARN", "bold $text-warning"),
    "ok": ("✔ OK", "bold $text-success"),
    "info": ("· info", "$text-muted"),
}


def host(text: object, one_line: bool = True) -> str:
    """Host text, made safe (one line unless told)."""
    return safe_plain(str(text), one_line=one_line, max_line=400)


class Lines:
    """A small builder: headings, label/value rows, marks; `content()` joins them."""

    def __init__(self) -> None:
        self._lines: list[Content] = []

    def heading(self, text: str) -> Lines:
        self._lines.append(Content.styled(text, "bold $text-primary"))
        return self

    def row(self, label: str, value: object, level: str | None = None, note: str = "") -> Lines:
        """`label  value  [mark]  note`; value and note are host text."""
        parts: list[Content | tuple[str, str] | str] = [(f"{label}: ", "$text-muted")]
        if level is not None:
            word, style = MARKS[level]
            parts += [(word, style), " "]
        parts.append(host(value))
        if note:
            parts += [("  ", ""), (host(note), "$text-muted")]
        self._lines.append(Content.assemble(*parts))
        return self

    def mark(self, level: str, text: object, detail: str = "") -> Lines:
        word, style = MARKS[level]
        parts: list[Content | tuple[str, str] | str] = [(word, style), " ", host(text)]
        if detail:
            parts += ["  ", (host(detail), "$text-muted")]
        self._lines.append(Content.assemble(*parts))
        return self

    def quote(self, text: object, indent: int = 2) -> Lines:
        """Verbatim evidence from the host, one line each, behind a bar."""
        for line in str(text).splitlines() or [""]:
            self._lines.append(Content.assemble((" " * indent + "│ ", "$text-muted"), host(line)))
        return self

    def plain(self, text: str, style: str = "") -> Lines:
        self._lines.append(Content.styled(text, style) if style else Content(text))
        return self

    def items(self, label: str, values: Iterable[object], empty: str = "none") -> Lines:
        shown = [host(v) for v in values]
        return self.row(label, ", ".join(shown) if shown else empty)

    def append(self, line: Content) -> Lines:
        """A line the caller styled itself (our own labels only, never host text)."""
        self._lines.append(line)
        return self

    def blank(self) -> Lines:
        self._lines.append(Content(""))
        return self

    def content(self) -> Content:
        return Content("\n").join(self._lines)

    @property
    def plain_text(self) -> str:
        return "\n".join(line.plain for line in self._lines)


class FactPane(Static, can_focus=True):
    """One area of one host. Subclasses set AREA and TITLE and implement `build`."""

    AREA: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, classes="fact-pane", markup=False)
        self.border_title = self.TITLE
        self.text = ""  # plain text of what is shown (tests, the raw-section screen)

    def update_from(self, state: HostState | None, now: datetime | None) -> None:
        lines = Lines()
        if state is None or state.facts is None:
            why = state.error if state is not None and state.error else "no answer yet"
            lines.mark("unknown", f"not known: {why}")
        else:
            self.build(lines, state, now)
            self._area_findings(lines, state)
        self.text = lines.plain_text
        self.update(lines.content())

    def build(self, lines: Lines, state: HostState, now: datetime | None) -> None:
        raise NotImplementedError

    def _area_findings(self, lines: Lines, state: HostState) -> None:
        """This area's findings as one line each (the findings list has the details)."""
        found = [f for f in state.findings if f.area == self.AREA and f.severity.value != "info"]
        if found:
            lines.blank()
            for f in found:
                lines.mark(f.severity.value, f.title)

    def tick(self, state: HostState | None, now: datetime | None) -> None:
        """Every second. Most panes show nothing that moves; the reboots pane does."""

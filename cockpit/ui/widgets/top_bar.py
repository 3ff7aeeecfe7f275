"""The top line of every full screen: what is shown, then what to know about it, left to
right by importance, each part whole or not at all.

Textual's Header centred its text after an 8-column icon gap, so at 80 columns the
offline/live marker at the end was cut. Here the title starts at column 1 and parts
that do not fit are dropped from the end, whole, with `…`.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

_SEP = " · "


def fit(title: str, parts: list[str], width: int) -> tuple[str, list[str]]:
    """The title and as many leading parts as fit `width` cells (with a `…` if cut)."""
    shown: list[str] = []
    used = len(title)
    for i, part in enumerate(parts):
        more = i + 1 < len(parts)
        need = len(_SEP) + len(part) + (len(" …") if more else 0)
        if used + need > width:
            return title, [*shown, "…"] if shown or parts else shown
        shown.append(part)
        used += len(_SEP) + len(part)
    return title, shown


class TopBar(Widget):
    DEFAULT_CLASSES = "top-bar"
    # Part of the widget (theme variables only): every app that shows it docks it.
    DEFAULT_CSS = """
    TopBar {
        dock: top;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.parts: list[str] = []

    def show(self, title: str, parts: list[str]) -> None:
        if (title, parts) != (self.title, self.parts):
            self.title, self.parts = title, list(parts)
            self.refresh()

    @property
    def plain(self) -> str:
        return self.render().plain

    def render(self) -> Content:
        width = self.size.width or self.app.size.width - 2
        title, shown = fit(self.title, self.parts, width)
        tail = "".join(f"{_SEP}{p}" if p != "…" else " …" for p in shown)
        return Content.assemble((title, "bold"), tail)

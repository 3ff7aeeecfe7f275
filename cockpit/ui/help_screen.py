"""`?`: every key that works here, generated from the live bindings so it cannot drift.

The rows come from the screen underneath's `active_bindings` (its focused widget, the
screen and the app, as Textual resolves them: a key shadowed lower down is not listed,
because pressing it would not do that). Hand-written help goes stale the day a binding
changes; this list is what the keys do now, grouped by where they work (this screen,
everywhere, the focused list), never by Textual's internal names. The legend is
render.marks', the words and symbols every view uses; in replay, the timeline bar's marks
are explained too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from cockpit.render.marks import LEGEND

#: Group headings for HelpRow.where (the focused widget's own keys: "in this list").
_GROUPS = {"screen": "this screen", "app": "everywhere"}


@dataclass(frozen=True)
class HelpRow:
    key: str  # as shown: "q", "ctrl+q", "?"
    description: str
    where: str  # app | screen | the widget's class name
    enabled: bool  # False: bound, but not available in this state (e.g. read-only)
    builtin: bool = False  # Textual's own (focus, copy, palette): listed last


def _declared(*classes: Any) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for cls in classes:
        for b in cls.BINDINGS:
            if isinstance(b, Binding):  # "ctrl+c,super+c" declares two keys
                found.update((key.strip(), b.action) for key in b.key.split(","))
    return found


#: Keys every Textual app has (tab, ctrl+c copy...): real, but not cockpit's news.
_BUILTIN = _declared(App, Screen, ModalScreen)


def _where(node: Any) -> str:
    if isinstance(node, App):
        return "app"
    if isinstance(node, Screen):
        return "screen"
    return type(node).__name__


def help_rows(screen: Screen[Any]) -> list[HelpRow]:
    """Every binding active on `screen`, hidden ones included (the footer shows few)."""
    rows: list[HelpRow] = []
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        # Each key on its own row: a footer's grouped display (". ,") is not a key.
        plain = replace(binding, key=key, key_display=None)
        shown = screen.app.get_key_display(plain) or key
        text = binding.tooltip or binding.description or binding.action.replace("_", " ")
        if (shown, text) in seen:
            continue
        seen.add((shown, text))
        builtin = binding.system or (binding.key, binding.action) in _BUILTIN
        row = HelpRow(shown, text, _where(active.node), active.enabled, builtin)
        rows.append(row)
    # cockpit's own keys first (screen, then app), then the focused widget's navigation,
    # then Textual's own keys; sorted() keeps the declared order within each group.
    order = {"screen": 0, "app": 1}
    rows.sort(key=lambda r: (r.builtin, order.get(r.where, 2)))
    return rows


def _group(row: HelpRow) -> str:
    if row.builtin:
        return "Textual's own keys"
    return _GROUPS.get(row.where, "in the focused list or pane")


def help_text(rows: list[HelpRow], marks: tuple[tuple[str, str], ...] = ()) -> Text:
    """Keys by group, then the symbols, then (replay) the timeline's marks."""
    out = Text()
    width = max((len(r.key) for r in rows), default=1)
    group = None
    for row in rows:
        if _group(row) != group:
            group = _group(row)
            out.append(f"{'' if not out else chr(10)}{group}\n", style="bold underline")
        out.append(f" {row.key:<{width}}  ", style="bold")
        out.append(row.description, style="" if row.enabled else "dim")
        out.append(" (not available now)\n" if not row.enabled else "\n", "dim")
    for title, table in (("symbols", LEGEND), ("timeline marks (replay)", marks)):
        if not table:
            continue
        out.append(f"\n{title}\n", style="bold underline")
        label_w = max(len(label) for label, _ in table)
        for label, meaning in table:
            out.append(f" {label:<{label_w}}", style="bold")
            out.append(f"  {meaning}\n")
    out.rstrip()
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", show=True),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def __init__(self, rows: list[HelpRow], marks: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(classes="help-screen")
        self.rows = rows
        self.marks = marks

    @classmethod
    def for_screen(cls, screen: Screen[Any]) -> HelpScreen:
        legend = getattr(screen.app, "timeline_legend", None)
        return cls(help_rows(screen), legend() if legend is not None else ())

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text("Keys here (Escape closes)"), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(help_text(self.rows, self.marks), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)


def open_help(app: App[Any]) -> None:
    """The app's `?` action: help for the screen the admin is looking at."""
    if isinstance(app.screen, HelpScreen):
        app.screen.dismiss(None)
        return
    app.push_screen(HelpScreen.for_screen(app.screen))

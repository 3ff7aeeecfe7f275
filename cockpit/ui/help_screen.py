"""`?`: every key that works here, generated from the live bindings so it cannot drift.

The rows come from the screen underneath's `active_bindings` (its focused widget, the
screen and the app, as Textual resolves them: a key shadowed lower down is not listed,
because pressing it would not do that). Hand-written help goes stale the day a binding
changes; this list is what the keys do now. The legend reuses the fleet table's labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from cockpit.ui.fleet_rows import VERDICT_LABEL
from cockpit.words import Verdict

LEGEND = (
    (VERDICT_LABEL[Verdict.UNBOOTABLE], "a blocker holds: the next boot fails or stops early"),
    (VERDICT_LABEL[Verdict.UNKNOWN], "cockpit could not prove it boots (never read as OK)"),
    (VERDICT_LABEL[Verdict.BOOTABLE], "every boot-critical check was read and passed"),
    ("⏰", "an armed reboot, its time and countdown in the host's own clock"),
)


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
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        shown = screen.app.get_key_display(binding) or key
        text = binding.description or binding.action.replace("_", " ")
        builtin = binding.system or (binding.key, binding.action) in _BUILTIN
        row = HelpRow(shown, text, _where(active.node), active.enabled, builtin)
        rows.append(row)
    # cockpit's own keys first (screen, then app), then the focused widget's navigation,
    # then Textual's own keys; sorted() keeps the declared order within each group.
    order = {"screen": 0, "app": 1}
    rows.sort(key=lambda r: (r.builtin, order.get(r.where, 2)))
    return rows


def help_text(rows: list[HelpRow]) -> Text:
    out = Text()
    width = max((len(r.key) for r in rows), default=1)
    for row in rows:
        out.append(f" {row.key:<{width}}  ", style="bold")
        out.append(row.description, style="" if row.enabled else "dim")
        out.append(f"  ({row.where}{'' if row.enabled else ', not available now'})\n", "dim")
    out.append("\n")
    for label, meaning in LEGEND:
        out.append(f" {label:<13}", style="bold")
        out.append(f" {meaning}\n")
    out.rstrip()
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", show=True),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def __init__(self, rows: list[HelpRow]) -> None:
        super().__init__(classes="help-screen")
        self.rows = rows

    @classmethod
    def for_screen(cls, screen: Screen[Any]) -> HelpScreen:
        return cls(help_rows(screen))

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Text("Keys here (Escape closes)"), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(help_text(self.rows), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)


def open_help(app: App[Any]) -> None:
    """The app's `?` action: help for the screen the admin is looking at."""
    if isinstance(app.screen, HelpScreen):
        app.screen.dismiss(None)
        return
    app.push_screen(HelpScreen.for_screen(app.screen))

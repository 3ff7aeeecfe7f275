"""The replay timeline: where the recorded clock is, how fast it runs, what happened when.

One line, docked above the footer on every screen of a replay:

    REPLAY ▶ playing 60x  20:11:00 CDT  15:55 ├──!──●──n──x──┤ 03:59  note: leaving now

Play state and speed in words and symbols (never colour alone); marks for notes (n),
guard events (!), errors (x) and actions (a). The bar reads a `TimelineView` (plain
values the replay source hands it) and never moves the cursor itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cockpit.parsers.text import clean
from cockpit.recording.cursor import Mark, parse_jump

MARK_SYMBOL = {
    "note": "n",
    "quit-refused": "!",
    "quit-override": "!",
    "session-lost": "!",
    "error": "x",
    "action": "a",
}
#: When two marks share a cell, the one first here wins (a guard event outranks a note).
_RANK = ("!", "a", "x", "n")


@dataclass(frozen=True)
class TimelineView:
    position: datetime
    start: datetime
    end: datetime
    speed: float
    playing: bool
    marks: tuple[Mark, ...] = ()
    status: str = ""  # the last thing worth saying (a crossed note, "scanning...")
    skipped: tuple[str, ...] = field(default=())  # reader issues: what was not trusted


def _rank(symbol: str) -> int:
    return _RANK.index(symbol) if symbol in _RANK else len(_RANK)


def _clock(t: datetime) -> str:
    return t.strftime("%H:%M:%S %Z").strip() or t.strftime("%H:%M:%S")


def track(view: TimelineView, width: int) -> str:
    """The track: `├`, `┤` ends, `●` the position, marks in between."""
    inner = max(width - 2, 1)
    cells = ["─"] * inner
    span = (view.end - view.start).total_seconds() or 1.0

    def cell(t: datetime) -> int:
        frac = (t - view.start).total_seconds() / span
        return min(max(int(frac * inner), 0), inner - 1)

    for mark in view.marks:
        symbol = MARK_SYMBOL.get(mark.kind, "·")
        i = cell(mark.t)
        if cells[i] == "─" or _rank(symbol) < _rank(cells[i]):
            cells[i] = symbol
    cells[cell(view.position)] = "●"
    return "├" + "".join(cells) + "┤"


def render_bar(view: TimelineView, width: int) -> Text:
    """Wide: state, speed, clock with zone, both ends, the track, the status. Narrow (a
    shared 80-column tmux): the zone and the ends go first, the track keeps 12 cells,
    and the status is cut with an ellipsis rather than dropped."""
    state = "▶ playing" if view.playing else "⏸ paused"
    if view.position >= view.end and not view.playing:
        state = "■ end"
    status = f"  {clean(view.status)}" if view.status else ""
    wide = f"REPLAY {state} {view.speed:g}x  {_clock(view.position)}  "
    ends = (f"{view.start.strftime('%H:%M')} ", f" {view.end.strftime('%H:%M')}")
    room = width - len(wide) - len(ends[0]) - len(ends[1]) - len(status) - 2
    if room < 20:
        wide = f"REPLAY {state} {view.speed:g}x {view.position.strftime('%H:%M:%S')} "
        ends = ("", "")
        room = width - len(wide) - len(status) - 2
    track_width = min(max(room, 12), 60) + 2
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append("REPLAY", style="bold reverse")
    out.append(wide[len("REPLAY") :], style="bold")
    out.append(f"{ends[0]}{track(view, track_width)}{ends[1]}")
    out.append(status, style="italic")
    out.truncate(width, overflow="ellipsis")
    return out


class TimelineBar(Static):
    """Rendered from the last TimelineView it was given (`update_from`)."""

    DEFAULT_CLASSES = "timeline-bar"

    def __init__(self, view: TimelineView | None = None) -> None:
        super().__init__("", id="timeline-bar")
        self.view = view

    def update_from(self, view: TimelineView) -> None:
        self.view = view
        self.refresh()

    def render(self) -> Text:
        if self.view is None:
            return Text("replay: loading…")
        return render_bar(self.view, self.size.width or 80)


class JumpScreen(ModalScreen[datetime | None]):
    """`g`: a time to jump to (21:30, +10m, -1h, or ISO-8601); dismisses with it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, position: datetime) -> None:
        super().__init__(classes="jump-screen")
        self.position = position

    def compose(self) -> ComposeResult:
        with Vertical(id="jump-box"):
            yield Static(
                Text(
                    f"Jump to (now {_clock(self.position)}): 21:30, 21:30:15, +10m, -1h, "
                    "or 2011-09-30T03:15:00-05:00"
                )
            )
            yield Input(placeholder="time", id="jump-input")
            yield Static("", id="jump-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        target = parse_jump(event.value, self.position)
        if target is None:
            shown = clean(event.value)[:40]
            self.query_one("#jump-error", Static).update(Text(f"not a time: {shown!r}"))
            return
        self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)

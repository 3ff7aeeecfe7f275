"""The replay timeline: where the recorded clock is, how fast it runs, what happened when.

Two lines, docked above the key hints on every screen of a replay:

    REPLAY ⏸ paused     1x  22:59:00 CDT  15:55 ├──n────!●───────r──xx┤ 03:59
    22:58:10 quit refused (via q): weblogs-2011 UNBOOTABLE

Line one has a fixed layout for a given width: the track never moves when a message
appears, so a mark stays where it was seen. Its clock is the screen's own "now" (the
host view's host time, in the host's zone), so the bar and the top line never disagree.
Line two is the last thing worth saying (it expires), else what the keys are. Marks:
n note, ! quit guard (refused, overridden, session lost), a action, x error,
r a reboot that fired, # damaged lines (skipped), ● the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cockpit.parsers.text import clean
from cockpit.recording.cursor import Mark, jump_target

MARK_SYMBOL = {
    "note": "n",
    "quit-refused": "!",
    "quit-override": "!",
    "session-lost": "!",
    "error": "x",
    "action": "a",
    "reboot-fired": "r",
    "damaged": "#",
}
#: What `?` says about the bar (the legend of its symbols).
MARK_LEGEND = (
    ("●", "the cursor: the recorded time on screen"),
    ("!", "quit guard: quit refused, overridden, or session lost"),
    ("r", "an armed reboot fired (the host stopped answering)"),
    ("a", "an action (disarm, re-arm, cancel)"),
    ("n", "an operator's note"),
    ("x", "a refresh that failed"),
    ("#", "damaged lines, skipped (the recording cannot say what happened)"),
    ("] [", "jump to the next / previous mark"),
)
#: When two marks share a cell, the one first here wins (a guard event outranks a note).
_RANK = ("!", "#", "r", "a", "x", "n")
_STATE_W = 9  # "⏸ paused " / "▶ playing" / "■ end    "


@dataclass(frozen=True)
class TimelineView:
    position: datetime
    start: datetime
    end: datetime
    speed: float
    playing: bool
    marks: tuple[Mark, ...] = ()
    status: str = ""  # the last thing worth saying, while it is fresh ("" once expired)
    skipped: tuple[str, ...] = field(default=())  # reader issues: what was not trusted
    damaged: int = 0  # lines found unreadable by the scan for marks


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


def _zone_of(shown: datetime | None, view: TimelineView) -> tzinfo | None:
    return shown.tzinfo if shown is not None else view.position.tzinfo


def bar_line(view: TimelineView, width: int, shown: datetime | None = None) -> Text:
    """Line one. `shown` is the screen's now (host time); the track's ends are said in
    its zone too. Every part has a fixed width, so the track's cells never move."""
    state = "▶ playing" if view.playing else "⏸ paused"
    if view.position >= view.end and not view.playing:
        state = "■ end"
    zone = _zone_of(shown, view)
    now = shown or view.position
    clock = _clock(now).ljust(13)
    ends = (f"{view.start.astimezone(zone):%H:%M} ", f" {view.end.astimezone(zone):%H:%M}")
    head = f" {state:<{_STATE_W}} {view.speed:>5g}x  {clock} "
    room = width - len("REPLAY") - len(head) - len(ends[0]) - len(ends[1])
    if room < 14:  # very narrow: the ends go, the track keeps what is left
        ends = ("", "")
        room = width - len("REPLAY") - len(head)
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append("REPLAY", style="bold reverse")
    out.append(head, style="bold")
    out.append(f"{ends[0]}{track(view, max(room, 4))}{ends[1]}")
    out.truncate(width, overflow="ellipsis")
    return out


def status_line(view: TimelineView, width: int) -> Text:
    """Line two: a fresh message, else damage said up front, else the keys."""
    if view.status:
        text = clean(view.status)
    elif view.skipped or view.damaged:
        lines = max(len(view.skipped), view.damaged)
        text = f"RECORDING DAMAGED: {lines} line(s) skipped (# on the bar); ? explains"
    else:
        text = "] next mark  [ previous  V next verdict change  ? what the marks mean"
    out = Text(text, no_wrap=True, overflow="ellipsis", style="italic")
    out.truncate(width, overflow="ellipsis")
    return out


def render_bar(view: TimelineView, width: int, shown: datetime | None = None) -> Text:
    out = bar_line(view, width, shown)
    out.append("\n")
    out.append_text(status_line(view, width))
    return out


class TimelineBar(Static):
    """Rendered from the last TimelineView it was given (`update_from`) and the screen's
    frame time (`frame_now`, when the screen has one)."""

    DEFAULT_CLASSES = "timeline-bar"

    def __init__(self, view: TimelineView | None = None) -> None:
        super().__init__("", id="timeline-bar")
        self.view = view

    def update_from(self, view: TimelineView) -> None:
        self.view = view
        self.refresh()

    def render(self) -> Text:
        if self.view is None:
            return Text("replay: loading…\n")
        shown = getattr(self.screen, "frame_now", None)
        return render_bar(self.view, self.size.width or 80, shown)


class JumpScreen(ModalScreen[datetime | None]):
    """`t`: a time to jump to; dismisses with it (always inside the recording)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(
        self, position: datetime, start: datetime, end: datetime, zone: tzinfo | None = None
    ) -> None:
        super().__init__(classes="jump-screen")
        self.position, self.start, self.end = position, start, end
        self.zone = zone or position.tzinfo

    def compose(self) -> ComposeResult:
        here = self.position.astimezone(self.zone)
        last = self.end.astimezone(self.zone)
        with Vertical(id="jump-box"):
            yield Static(
                Text(
                    f"Jump to a time (now {_clock(here)}). 03:15 = the first 03:15 at or "
                    "after the cursor, in the recording; +10m, -1h; or "
                    f"{last:%Y-%m-%d}T03:15:00. Escape: cancel."
                )
            )
            yield Input(placeholder="time", id="jump-input")
            yield Static("", id="jump-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        target, why = jump_target(event.value, self.position, self.start, self.end, self.zone)
        if target is None:
            self.query_one("#jump-error", Static).update(Text(why))
            return
        self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)

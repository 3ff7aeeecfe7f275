"""The fleet view: a verdict banner naming the worst host, a filter, and the fleet table.

The screen reads the app's HostBook and clock, never a worker: the app calls
`host_changed(name)` when a host's entry changes and `tick()` every second. The banner
stays one line above the table, so at 80x24 (a shared tmux session) the worst host is
still named in words.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from cockpit.ui import fleet_banner, fleet_rows
from cockpit.ui.book import HostBook, HostEntry
from cockpit.ui.fleet_table import FleetTable
from cockpit.ui.widgets.key_hints import BottomDock
from cockpit.ui.widgets.top_bar import TopBar

#: How often host changes are drawn, at most (the clock's tick is apart: every second).
FLUSH_S = 0.25


class FleetScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("w", "worst", "Worst"),
        Binding("r", "refresh_one", "Refresh"),
        Binding("R", "refresh_all", "Refresh all"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_mode = fleet_rows.SORTS[0]
        self.filter_text = ""
        self._ready = False  # children composed and first drawn: updates may land
        self._banner_shown: tuple[str, str] | None = None
        self._dirty: set[str] = set()
        self._flush_timer: Timer | None = None
        self.frame_now: datetime | None = None

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(id="banner")
        yield Input(
            placeholder="filter: name, tag, verdict, error (enter: done, esc: clear)", id="filter"
        )
        yield FleetTable(id="fleet")
        yield BottomDock()

    # -- data ------------------------------------------------------------------------

    @property
    def book(self) -> HostBook:
        return self.app.book  # type: ignore[attr-defined, no-any-return]

    def now(self) -> datetime:
        """The frame's now (read once per draw), also kept in `frame_now`: in the hosts'
        own zone when they all share one, so the replay bar says CDT, not UTC-05:00."""
        now: datetime = self.app.clock()  # type: ignore[attr-defined]
        zones = {e.state.host_time.tzinfo for e in self.book if e.state and e.state.host_time}
        zone_of = getattr(self.app, "host_zone", None)
        if not zones and zone_of is not None:  # no host answers here: the recorded zones
            zones = {z for z in (zone_of(e.spec.name) for e in self.book) if z is not None}
        self.frame_now = now.astimezone(zones.pop()) if len(zones) == 1 else now
        return now

    @property
    def table(self) -> FleetTable:
        return self.query_one(FleetTable)

    def shown_entries(self) -> list[HostEntry]:
        return [e for e in self.book if fleet_rows.matches(e, self.filter_text)]

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self._ready = True
        self.redraw()
        self.table.focus()

    def _top(self) -> None:
        header = getattr(self.app, "header_text", None)
        parts = header().split(" · ") if header is not None else []
        self.query_one(TopBar).show("cockpit", parts)

    def on_screen_resume(self) -> None:
        if self._ready:
            self.redraw()

    def redraw(self) -> None:
        now = self.now()
        self.table.show(self.shown_entries(), now, self.sort_mode)
        self._banner(now)
        self._top()

    def host_changed(self, name: str) -> None:
        """Noted now, drawn at the next flush: a full table render costs tens of ms, so
        100 hosts answering at 20 a second are drawn a few times a second, not 20."""
        if not self._ready or self.book.get(name) is None:
            return
        self._dirty.add(name)
        if self._flush_timer is None:
            self._flush_timer = self.set_timer(FLUSH_S, self.flush)

    @property
    def pending(self) -> bool:
        """Host changes not drawn yet (tests wait for this to clear)."""
        return bool(self._dirty)

    def flush(self) -> None:
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        names, self._dirty = self._dirty, set()
        entries = [e for e in (self.book.get(n) for n in names) if e is not None]
        if not entries or not self._ready:
            return
        now = self.now()
        moved = self.filter_text and any(
            self._shown(e.spec.name) != fleet_rows.matches(e, self.filter_text) for e in entries
        )
        if moved:  # a host enters or leaves the filter (its verdict or error changed)
            self.table.show(self.shown_entries(), now, self.sort_mode)
        else:
            self.table.update_hosts(entries, now)
        self._banner(now)

    def _shown(self, name: str) -> bool:
        return name in self.table.rows

    def tick(self) -> None:
        if not self._ready:
            return
        now = self.now()
        self.table.tick(now)
        self._banner(now)

    def _banner(self, now: datetime) -> None:
        shown = fleet_banner.banner(list(self.book), now)
        if shown == self._banner_shown:
            return  # Static.update re-lays out the whole screen (~90 ms with 100 rows)
        self._banner_shown = shown
        text, level = shown
        banner = self.query_one("#banner", Static)
        banner.update(Text(text))
        banner.set_classes(f"-{level}")

    @property
    def banner_text(self) -> str:
        return str(self.query_one("#banner", Static).render())

    # -- keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("refresh_one", "refresh_all"):
            return not getattr(self.app, "replay", False)  # a recording has no host to ask
        return True

    def action_cycle_sort(self) -> None:
        i = fleet_rows.SORTS.index(self.sort_mode)
        self.sort_mode = fleet_rows.SORTS[(i + 1) % len(fleet_rows.SORTS)]
        self.table.sort_by(self.sort_mode)
        self.notify(f"sorted by {self.sort_mode}", timeout=2)

    def action_worst(self) -> None:
        top = fleet_rows.worst(self.shown_entries(), self.now())
        if top is not None:
            self.table.select_host(top.spec.name)
        self.table.focus()

    def action_refresh_one(self) -> None:
        name = self.table.selected_host
        if name is not None:
            self.app.refresh_host(name)  # type: ignore[attr-defined]

    def action_refresh_all(self) -> None:
        self.app.refresh_all()  # type: ignore[attr-defined]

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.redraw()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        box = self.query_one("#filter", Input)
        if not box.value:
            box.display = False
        self.table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.open_host(str(event.row_key.value))  # type: ignore[attr-defined]

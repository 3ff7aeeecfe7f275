"""The fleet table: one keyed row per host, updated in place, columns fitted to the width.

The widget only lays out what fleet_rows computes. Rows are keyed by host name and
updated cell by cell inside `App.batch_update()`; they are added or removed only when
the filter changes. Colour comes from the theme's variables (`$error`, `$warning`,
`$success`) and always doubles a word and a symbol, never replaces them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from cockpit.ui import fleet_rows
from cockpit.ui.book import HostEntry
from cockpit.ui.widgets.lists import RowTable

#: Text colours made for text on the theme's backgrounds ($text-error, not $error).
_LEVEL_VARIABLE = {
    "blocker": "text-error",
    "critical": "text-error",
    "unknown": "text-warning",
    "warning": "text-warning",
    "ok": "text-success",
}


def _fit(text: str, width: int) -> str:
    """Cut with an ellipsis, so a cut name never passes for a whole one."""
    return text if width <= 0 or len(text) <= width else text[: width - 1] + "…"


def _look(text: Text) -> tuple[str, str]:
    return text.plain, str(text.style)


class NameCell(Text):
    """The name cell remembers its host, so sorting never depends on the shown text."""

    host: str = ""


class FleetTable(RowTable):
    """Keyed by host name. `show(entries, now, sort)` is the only way rows change."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Open")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._columns: tuple[fleet_rows.Column, ...] = ()
        self._entries: list[HostEntry] = []
        self._now: datetime | None = None
        self._sort = "worst"
        self._colours: dict[str, str] = {}
        #: Until someone moves the cursor it stays on the top (worst) row; after that it
        #: follows its host when rows move.
        self.pinned = False
        #: What each cell shows now: a refresh that changes nothing touches nothing.
        self._shown: dict[tuple[str, str], tuple[str, str]] = {}
        self._order: dict[str, tuple[object, ...]] = {}  # sort key per host, as sorted

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._colours = self._theme_colours()

    def _theme_changed(self, _theme: object) -> None:
        self._colours = self._theme_colours()
        if self._now is not None:
            self.show(self._entries, self._now, self._sort)

    def _theme_colours(self) -> dict[str, str]:
        variables = self.app.get_css_variables()
        return {k: variables.get(k, "") for k in set(_LEVEL_VARIABLE.values())}

    def _style(self, variable: str | None, bold: bool = False) -> Style:
        colour = self._colours.get(variable or "", "")
        try:
            return Style(color=colour or None, bold=bold)
        except Exception:  # a theme colour Rich cannot parse: the word still says it
            return Style(bold=bold)

    # -- selection -------------------------------------------------------------------

    @property
    def selected_host(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None
        return str(key.value) if key.value is not None else None

    def select_host(self, name: str) -> bool:
        try:
            row = self.get_row_index(name)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=row)
        self.pinned = True
        return True

    def on_key(self, _event: events.Key) -> None:
        self.pinned = True

    def on_click(self, _event: events.Click) -> None:
        self.pinned = True

    def _keep(self) -> str | None:
        return self.selected_host if self.pinned else None

    # -- content ---------------------------------------------------------------------

    def cells(self, entry: HostEntry, now: datetime) -> dict[str, Text]:
        texts = fleet_rows.row_cells(entry, now)
        verdict, level = fleet_rows.verdict_cell(entry)
        shown = _fit(texts["name"], self._width("name"))
        name = NameCell(shown, style=self._style(None, bold=True))
        name.host = entry.spec.name
        out: dict[str, Text] = {key: Text(value) for key, value in texts.items()}
        out["name"] = name
        out["verdict"] = Text(verdict, style=self._style(_LEVEL_VARIABLE.get(level), bold=True))
        return out

    def show(self, entries: Sequence[HostEntry], now: datetime, sort: str = "worst") -> None:
        """Make the rows be exactly `entries` (the filtered fleet), sorted by `sort`."""
        self._entries, self._now, self._sort = list(entries), now, sort
        if not self._columns:
            self._fit_columns()
        keep = self._keep()
        with self.app.batch_update():
            wanted = {e.spec.name for e in entries}
            for row_key in list(self.rows):
                if row_key.value not in wanted:
                    self.remove_row(row_key)
                    self._forget(str(row_key.value))
            for entry in entries:
                self._put(entry, now)
            self._resort(now, force=True)
        if keep is not None:
            self.select_host(keep)

    def update_hosts(self, entries: Sequence[HostEntry], now: datetime) -> None:
        """Hosts changed: their changed cells in place; the order only if a key moved."""
        keep = self._keep()
        with self.app.batch_update():
            for entry in entries:
                if entry.spec.name in self.rows:
                    self._put(entry, now)
            self._resort(now)
        if keep is not None and keep != self.selected_host:
            self.select_host(keep)

    def sort_by(self, sort: str) -> None:
        """Another order, same cells: nothing is re-rendered but the row order."""
        self._sort = sort
        keep = self.selected_host
        self._resort(self._now or self.app.clock(), force=True)  # type: ignore[attr-defined]
        if keep is not None:
            self.select_host(keep)

    def tick(self, now: datetime) -> None:
        """The clock moved: countdowns and ages only."""
        self._now = now
        with self.app.batch_update():
            for entry in self._entries:
                if entry.spec.name not in self.rows:
                    continue
                cells = fleet_rows.row_cells(entry, now)
                for key in fleet_rows.TICKING:
                    if key in self._column_keys:
                        self._set(entry.spec.name, key, Text(cells[key]))

    def _width(self, key: str) -> int:
        return next((c.width for c in self._columns if c.key == key), 0)

    @property
    def _column_keys(self) -> set[str]:
        return {c.key for c in self._columns}

    def _put(self, entry: HostEntry, now: datetime) -> None:
        cells = self.cells(entry, now)
        name = entry.spec.name
        if name in self.rows:
            for col in self._columns:
                self._set(name, col.key, cells[col.key])
        else:
            self.add_row(*(cells[c.key] for c in self._columns), key=name)
            for col in self._columns:
                self._shown[(name, col.key)] = _look(cells[col.key])

    def _set(self, name: str, key: str, value: Text) -> None:
        look = _look(value)
        if self._shown.get((name, key)) != look:
            self._shown[(name, key)] = look
            self.update_cell(name, key, value)

    def _forget(self, name: str) -> None:
        self._order.pop(name, None)
        for col in self._columns:
            self._shown.pop((name, col.key), None)

    def _resort(self, now: datetime, force: bool = False) -> None:
        order = fleet_rows.sort_keys(self._sort, self._entries, now)
        if not force and order == self._order:
            return
        self._order = order
        self.sort("name", key=lambda cell: order.get(getattr(cell, "host", ""), ()))

    # -- width -----------------------------------------------------------------------

    def _fit_columns(self) -> bool:
        """Pick the columns that fit; True if they changed (rows are then rebuilt)."""
        width = self.size.width or self.app.size.width
        longest = max((len(fleet_rows.clean(e.spec.name)) for e in self._entries), default=8)
        scrolls = len(self._entries) >= max(1, (self.size.height or self.app.size.height) - 1)
        planned = fleet_rows.plan_columns(width, longest, scrollbar=scrolls)
        if planned == self._columns:
            return False
        self._columns = planned
        self._shown.clear()
        self.clear(columns=True)
        for col in planned:
            self.add_column(col.label, width=col.width, key=col.key)
        return True

    def on_resize(self, _event: events.Resize) -> None:
        if self._now is not None and self._fit_columns():
            self.show(self._entries, self._now, self._sort)

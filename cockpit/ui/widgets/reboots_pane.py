"""Pending reboots: every armed reboot as a selectable row, with a live countdown.

Rows are keyed by `reboot_key` (source + the evidence line), stable across refreshes, so
the countdown updates cells in place and an action keeps its row: enter posts
`RebootsPane.RebootSelected(host, reboot, key)`, which the host view answers with the
row's disarm (as `d`, which reads `selected`).
Below the table: each row's evidence line (verbatim, escaped), reboot-required flags,
automatic reboots, and the places that could not be read ("no reboot armed" is only
said when every place was read).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable

from cockpit.rules.finding import ArmedReboot
from cockpit.rules.reboots.armed import armed
from cockpit.rules.when import ago, countdown, is_past
from cockpit.state import HostState
from cockpit.ui.safe_text import safe_text
from cockpit.ui.widgets.lists import RowTable
from cockpit.ui.widgets.pane_base import Lines, LinesView

COLUMNS = (
    ("when", "next (host time)"),
    ("in", "in"),
    ("kind", "what"),
    ("source", "source"),
)


#: Findings that restate a table row (the row already says it, with a live countdown).
_ROW_FINDINGS = frozenset(
    f"reboots.{rule}" for rule in ("cron-reboot", "at-reboot", "timer-reboot", "shutdown-scheduled")
)


def reboot_key(reboot: ArmedReboot) -> str:
    """Stable across refreshes: the same line in the same place is the same reboot."""
    return f"{reboot.source}\n{reboot.evidence}"


def when_cell(reboot: ArmedReboot, now: datetime | None) -> str:
    if reboot.at is None:
        return "time unknown"
    if now is not None and abs(reboot.at.timestamp() - now.timestamp()) < 86400:
        return reboot.at.strftime("%a %H:%M %Z")
    return reboot.at.strftime("%Y-%m-%d %H:%M %Z")


def in_cell(reboot: ArmedReboot, now: datetime | None) -> str:
    """The countdown; a time already past is overdue (never "now" or a countdown)."""
    if reboot.at is None or now is None:
        return "?"
    if is_past(reboot.at, now):
        return f"overdue, {ago(reboot.at, now)}"
    return countdown(reboot.at, now)


class RebootsPane(Vertical):
    AREA: ClassVar[str] = "reboots"

    class RebootSelected(Message):
        """An armed reboot was chosen (enter): the host view offers its disarm."""

        def __init__(self, host: str, reboot: ArmedReboot, key: str) -> None:
            super().__init__()
            self.host = host
            self.reboot = reboot
            self.key = key

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, classes="fact-pane")
        self.border_title = "pending reboots"
        self.host = ""
        self.reboots: dict[str, ArmedReboot] = {}
        self.text = ""

    def compose(self) -> ComposeResult:
        table = RowTable(cursor_type="row", zebra_stripes=False, id="reboot-table")
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield LinesView(id="reboot-notes")

    @property
    def table(self) -> RowTable:
        return self.query_one("#reboot-table", RowTable)

    @property
    def selected(self) -> ArmedReboot | None:
        """The reboot under the cursor (the first row until it moves), None if none."""
        row = self.table.cursor_row
        keys = list(self.reboots)
        return self.reboots[keys[row]] if 0 <= row < len(keys) else None

    def update_from(self, state: HostState | None, now: datetime | None) -> None:
        self.host = state.name if state is not None else ""
        found = armed(state.facts, now) if state and state.facts and now else []
        if not found and state is not None and state.next_reboot is not None:
            found = [state.next_reboot]  # no facts (replay of an old state): still shown
        self._sync(found, now)
        notes = self._notes(state, found, now)
        self.query_one("#reboot-notes", LinesView).show(notes)
        rows = [" | ".join(cell.plain for cell in self._cells(r, now)) for r in found]
        self.text = "\n".join([*rows, notes.plain_text])

    def tick(self, state: HostState | None, now: datetime | None) -> None:
        self.update_from(state, now)

    def _cells(self, r: ArmedReboot, now: datetime | None) -> list[Text]:
        kind = r.kind + (", recurring" if r.recurring else "")
        return [
            Text(when_cell(r, now)),
            Text(in_cell(r, now), style="bold"),
            Text(kind),
            safe_text(r.source, one_line=True, max_line=80),
        ]

    def _sync(self, found: list[ArmedReboot], now: datetime | None) -> None:
        """Same rows: update cells in place (the cursor stays); else rebuild in order."""
        table = self.table
        wanted = {reboot_key(r): r for r in found}
        if list(wanted) == list(self.reboots):
            with self.app.batch_update():
                for key, r in wanted.items():
                    for (col, _), cell in zip(COLUMNS, self._cells(r, now), strict=True):
                        table.update_cell(key, col, cell)
        else:
            table.clear()
            for key, r in wanted.items():
                table.add_row(*self._cells(r, now), key=key)
        self.reboots = wanted
        table.display = bool(wanted)

    def _notes(
        self, state: HostState | None, found: list[ArmedReboot], now: datetime | None
    ) -> Lines:
        lines = Lines()
        if state is None or state.facts is None:
            lines.mark("unknown", "whether a reboot is armed is unknown (no data from the host)")
            return lines
        for r in found:  # the line each row rests on, verbatim (too wide for a column)
            lines.quote(r.evidence, indent=1)
        rb = state.facts.reboots
        bad = [s for s in rb.sources if s.state not in ("ok", "absent")]
        if not found:
            if bad:
                lines.mark("unknown", "no armed reboot found, but some places could not be read")
            else:
                lines.mark("ok", "no reboot armed", detail="every place was read")
        for s in bad:
            lines.row(f"  {s.what}", f"{s.path}: {s.state}", "unknown")
        for flag in rb.flags:
            pkgs = f" (asked for by {', '.join(flag.packages[:6])})" if flag.packages else ""
            lines.mark("warning", f"reboot required: {flag.path}{pkgs}")
        for auto in rb.auto:
            on = {True: "enabled", False: "disabled", None: "state unknown"}[auto.enabled]
            lines.row(
                "automatic reboot",
                f"{auto.tool}: reboot={auto.reboot}, {on}",
                note=f"at {auto.time}" if auto.time else "",
            )
        for sd in rb.shutdowns:
            if not sd.live:
                lines.mark("info", f"leftover {sd.path} (nothing waits on an offline disk)")
        for f in state.findings:
            if f.area == "reboots" and f.severity.value != "info" and f.id not in _ROW_FINDINGS:
                lines.mark(f.severity.value, f.title_at(now))
        return lines

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key is not None and key in self.reboots:
            self.post_message(self.RebootSelected(self.host, self.reboots[key], key))

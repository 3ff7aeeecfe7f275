"""Lists move as in htop, k9s and lazygit: j/k, Home/End and g/G, besides the arrows.

Textual's DataTable in row mode sends Home/End sideways (scroll_x), so row tables bind
them to the first and last row; OptionList already has Home/End (first/last).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, OptionList

_UP_DOWN = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
]


class RowTable(DataTable[Text]):
    """A DataTable of rows with the list keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_UP_DOWN,
        Binding("home,g", "scroll_top", "First", show=False),
        Binding("end,G", "scroll_bottom", "Last", show=False),
    ]


class KeyedOptionList(OptionList):
    """An OptionList with the list keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_UP_DOWN,
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

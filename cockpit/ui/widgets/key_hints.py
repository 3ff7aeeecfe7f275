"""The footer, designed for 80 columns: every shown key, wrapped onto two lines, never cut.

Textual's Footer is one line that scrolls sideways: at 80 columns the host view lost
`? Help`, `n Note` and the pane keys, and replay lost every timeline key. Here `? Help`
comes first, always; then the screen's own keys, then the app's, in declared order, as
`key Description` items wrapped at item boundaries onto at most two lines. If they still
do not fit, the last items give way to `… ? every key`, so help is always one key away.
A screen's docked `BottomDock` holds the hints (and, in replay, the timeline bar above
them), so nothing docked on the same edge overlaps.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget

#: At most this many lines: the rest of 24 rows belongs to the host.
MAX_LINES = 2
_SEP = "  "
_KEY_STYLE = "bold $footer-key-foreground"
_MORE = ("…", "? every key")


def hint_items(screen: Any) -> list[tuple[str, str]]:
    """(key as shown, description) for every binding shown on `screen` now: `?` first,
    Textual's system keys left out, one item per description (the first key wins)."""
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    help_item: tuple[str, str] | None = None
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.show or binding.system or not active.enabled:
            continue
        key = binding.key_display or screen.app.get_key_display(binding)
        text = binding.description
        if not text or text in seen:
            continue
        seen.add(text)
        if binding.action in ("help", "app.help"):
            help_item = (key, text)
        else:
            items.append((key, text))
    if getattr(screen.app, "ENABLE_COMMAND_PALETTE", False):
        items.append(("^p", "Palette"))
    return ([help_item] if help_item else []) + items


def wrap(items: list[tuple[str, str]], width: int, max_lines: int = MAX_LINES) -> list[list[int]]:
    """Item indexes per line: whole items only, at most `max_lines` lines; when they do
    not fit, trailing items make room for the `…` marker (see `layout`)."""
    lines: list[list[int]] = [[]]
    used = 0
    for i, (key, text) in enumerate(items):
        size = len(key) + 1 + len(text)
        gap = len(_SEP) if lines[-1] else 0
        if used + gap + size > width and lines[-1]:
            lines.append([])
            used, gap = 0, 0
        lines[-1].append(i)
        used += gap + size
    return lines


def layout(items: list[tuple[str, str]], width: int) -> list[list[tuple[str, str]]]:
    """The items as they are drawn: at most MAX_LINES lines of `width` cells."""
    lines = wrap(items, width)
    if len(lines) <= MAX_LINES:
        return [[items[i] for i in line] for line in lines]
    kept = list(items)
    while kept and len(wrap([*kept, _MORE], width)) > MAX_LINES:
        kept.pop()
    return [[[*kept, _MORE][i] for i in line] for line in wrap([*kept, _MORE], width)]


class KeyHints(Widget):
    """Redrawn whenever the screen's bindings change (focus moves, a check_action flips)."""

    DEFAULT_CLASSES = "key-hints"
    DEFAULT_CSS = """
    KeyHints {
        height: auto;
        padding: 0 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, _screen: Any) -> None:
        self.refresh(layout=True)

    def lines(self, width: int) -> list[list[tuple[str, str]]]:
        return layout(hint_items(self.screen), max(width, 20))

    @property
    def plain(self) -> str:
        width = self.size.width or self.app.size.width
        return "\n".join(_SEP.join(f"{k} {t}" for k, t in line) for line in self.lines(width))

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        out: list[Content] = []
        for line in self.lines(self.size.width or self.app.size.width):
            parts: list[Content | tuple[str, str] | str] = []
            for key, text in line:
                if parts:
                    parts.append(_SEP)
                parts += [(key, _KEY_STYLE), f" {text}"]
            out.append(Content.assemble(*parts))
        return Content("\n").join(out)


class BottomDock(Vertical):
    """Docked at the bottom of a screen: the key hints, and whatever must sit above them
    (replay mounts its timeline bar here, first)."""

    DEFAULT_CLASSES = "bottom-dock"
    DEFAULT_CSS = """
    BottomDock {
        dock: bottom;
        height: auto;
    }
    """

    def compose(self) -> ComposeResult:
        yield KeyHints()

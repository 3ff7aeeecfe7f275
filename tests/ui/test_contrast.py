"""Issue 13 §8: WCAG contrast of every foreground/background pair each theme produces.

The pairs are read from what the app really draws (the compositor's cells), not from the
theme files: the fleet with its cursor row, the host view with the findings list focused
(the selected finding, severity words, evidence, muted ids), the banners, the refusal
(its title, blockers and name prompt) and the key hints. Each text cell's colours are
resolved (reverse applied) and held to WCAG's 4.5:1, 7:1 for cockpit-high-contrast.
Scrollbars and box-drawing glyphs are not text. The `terminal` theme draws in the
terminal's own palette, which only the terminal knows: it is left out.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.terminal_theme import DEFAULT_TERMINAL_THEME

from cockpit.ui.app import CockpitApp
from tests.support_log import MemoryLog
from tests.ui.conftest import FrozenClock, all_read, sample_specs, wait_until

THRESHOLD = {"cockpit-dark": 4.5, "cockpit-light": 4.5, "cockpit-high-contrast": 7.0}
#: Not text: scrollbars, borders, the cursor's block.
_GLYPHS = set("▁▂▃▄▅▆▇█▔▏▎▊▋▌▍▐▕ ─│┃━╭╮╰╯┏┓┗┛├┤╶╴")


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def pairs(app: Any, where: str) -> list[tuple[str, str, tuple[int, ...], tuple[int, ...]]]:
    out = []
    for strip in app.screen._compositor.render_strips():
        for seg in strip:
            text = "".join(ch for ch in seg.text if ch not in _GLYPHS)
            style = seg.style
            if not text or style is None or style.color is None or style.bgcolor is None:
                continue
            fg = tuple(style.color.get_truecolor(DEFAULT_TERMINAL_THEME, True))
            bg = tuple(style.bgcolor.get_truecolor(DEFAULT_TERMINAL_THEME, False))
            if style.reverse:
                fg, bg = bg, fg
            out.append((where, text.strip(), fg, bg))
    return out


async def frames(theme: str) -> list[tuple[str, str, tuple[int, ...], tuple[int, ...]]]:
    specs = sample_specs("weblogs-2011", "ubuntu2204-dpkg-interrupted", "debian12-systemd")
    app = CockpitApp(specs, log=MemoryLog(), clock=FrozenClock(), theme=theme)
    found = []
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, all_read(app))
        assert app.theme == theme
        found += pairs(app, "fleet (cursor on the worst row)")
        app.open_host("weblogs-2011")
        await pilot.pause()
        await pilot.press("f")  # the findings list: the selected finding is highlighted
        await pilot.pause()
        found += pairs(app, "host view, findings focused")
        await pilot.press("j")
        await pilot.pause()
        found += pairs(app, "host view, second finding selected")
        await pilot.press("q")
        await pilot.pause(0.3)
        found += pairs(app, "refusal")
    return found


@pytest.mark.parametrize("theme", sorted(THRESHOLD))
async def test_every_drawn_pair_meets_wcag(theme: str) -> None:
    low = {
        (where, text[:30], fg, bg, round(contrast(fg, bg), 2))  # type: ignore[arg-type]
        for where, text, fg, bg in await frames(theme)
        if contrast(fg, bg) < THRESHOLD[theme]  # type: ignore[arg-type]
    }
    assert not low, "\n".join(map(str, sorted(low, key=lambda x: x[-1])))

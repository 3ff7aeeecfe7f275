"""The verdict banner: one sentence a whole room can read, severity as a CSS class.

The symbol and the word (✗ UNBOOTABLE, ✓ BOOTABLE, ? UNKNOWN: render.marks) lead the
sentence, so the verdict reads the same in a 16-colour terminal, on a projector or to a colour-blind
reader; the theme's `$error`/`$warning`/`$success` only reinforce it.
"""

from __future__ import annotations

from textual.widgets import Static

from cockpit.render.sentences import Banner
from cockpit.ui.safe_text import safe_text

SEVERITIES = ("blocker", "warning", "ok", "unknown")


class VerdictBanner(Static):
    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.sentence = ""
        self.severity = "unknown"

    def show(self, banner: Banner) -> None:
        self.sentence = banner.sentence
        self.severity = banner.severity
        self.update(safe_text(f"{banner.symbol} {banner.sentence}", max_line=600))
        self.set_classes(f"-{banner.severity}")

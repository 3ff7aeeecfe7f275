"""Inventory problems: each one names the file, the line, and what to write instead.

A broken inventory is reported whole (every problem at once, in line order), because an
admin fixing a fleet file at 1 AM should not have to rerun the check once per typo.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cockpit.escape import escaped

#: Problems listed in the message (all of them stay in `problems`).
SHOWN = 50


@dataclass(frozen=True)
class Problem:
    """One mistake in an inventory file; `line` is 1-based (0 when no line applies)."""

    file: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        """One line, whatever the file held: its host names and values are quoted in
        messages, escaped (a newline in a YAML key must not start a line of its own)."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}" + (f"; {self.hint}" if self.hint else "")
        return escaped(text)


class InventoryError(Exception):
    """An inventory that cannot be used; `problems` lists all of its mistakes."""

    def __init__(self, file: str, problems: Sequence[Problem], label: str = "") -> None:
        self.file = file
        self.problems = tuple(sorted(problems, key=lambda p: (p.file, p.line)))
        count = len(self.problems)
        lines = [f"{label or 'inventory ' + file}: {count} problem{'s' if count != 1 else ''}"]
        lines += [str(p) for p in self.problems[:SHOWN]]
        if count > SHOWN:  # a file of garbage must not flood the terminal or the log
            lines.append(f"... and {count - SHOWN} more")
        super().__init__("\n".join(lines))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """The hint for an unknown key: the closest known one, else the list of known ones."""
    known = sorted(choices)
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "known keys: " + ", ".join(known)

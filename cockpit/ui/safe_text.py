"""Host text made safe for the screen: every byte a host sent is shown, none is obeyed.

A crontab comment can hold `ESC[2J` (clear the screen), an OSC 52 sequence (set the
viewer's clipboard), `[bold red]` or `[link=...]` (Rich/Textual markup). Three rules:

1. Escape sequences and control characters are never passed through: each control
   character becomes its Unicode "control picture" (ESC -> U+241B), so the sequence is
   still readable as evidence (`␛]52;c;...␇`) but the terminal sees printable text.
2. Markup is never interpreted: the result is a `rich.text.Text` built from plain text
   (never `Text.from_markup`, never a str handed to a widget with markup on).
3. Bidi overrides (Trojan Source) are shown as `<U+202E>`, and a line longer than
   `max_line` is cut with a count, so one hostile line cannot reorder or flood a pane.
"""

from __future__ import annotations

import re

from rich.text import Text

#: C0 (except tab and newline), DEL, C1. CR is handled apart (CRLF files are common).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Characters that reorder the display of what follows (CVE-2021-42574, "Trojan Source").
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_TAB = "    "
MAX_LINE = 2000


def _picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟ (ESC -> ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<{code:02X}>"  # C1: no control picture exists; CSI (0x9B) shows as <9B>


def _cut(line: str, max_line: int) -> str:
    if len(line) <= max_line:
        return line
    return f"{line[:max_line]}… (+{len(line) - max_line} chars)"


def safe_plain(text: str, *, max_line: int = MAX_LINE, one_line: bool = False) -> str:
    """Printable text only: controls as pictures, bidi as `<U+XXXX>`, tabs as spaces.

    `one_line`: newlines become `⏎` (titles, table cells, the screen's subtitle).
    """
    text = text.replace("\r\n", "\n")
    text = _CONTROL.sub(lambda m: _picture(m.group()), text)  # a lone CR -> ␍
    text = _BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    text = text.replace("\t", _TAB)
    if one_line:
        return _cut(text.replace("\n", "⏎"), max_line)
    return "\n".join(_cut(line, max_line) for line in text.split("\n"))


def safe_text(
    text: str, style: str = "", *, max_line: int = MAX_LINE, one_line: bool = False
) -> Text:
    """A Rich `Text` of host text: nothing in it is markup, an escape or a control."""
    return Text(safe_plain(text, max_line=max_line, one_line=one_line), style=style)


def assemble(*parts: str | tuple[str, str] | Text) -> Text:
    """`Text.assemble` where every str part is host text (made safe); our own styled
    literals are passed as Text or (text, style) tuples, which are made safe too."""
    out = Text()
    for part in parts:
        if isinstance(part, Text):
            out.append_text(part)
        elif isinstance(part, tuple):
            out.append(safe_plain(part[0]), style=part[1])
        else:
            out.append(safe_plain(part))
    return out

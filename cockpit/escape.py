"""Host text in plain-text output (`cockpit check`, inventory problems, the CLI's stderr
lines): shown, never obeyed, and never able to forge a line. Dependency-free, so that any
layer that words a message about host text can use it.

Any text a host or an inventory wrote (host names included: `--root` takes any directory
name, a TOML inventory any string) may hold a terminal escape (ESC ]52 sets the viewer's
clipboard), a newline (a forged `== web1: BOOTABLE` line, or a second Nagios status
line), a bidi override (U+202E shows `gnp.exe` as `exe.png`), or a `|` (Nagios reads the
rest of the line as performance data). `escaped()` writes every control character as
`\\xNN` and every invisible format character (bidi controls, zero-width marks, line and
paragraph separators) as `\\uXXXX`, so what is shown is exactly what is there.
"""

from __future__ import annotations

import unicodedata

#: Invisible characters that move or hide text: format (bidi, zero-width), line and
#: paragraph separators. Controls (Cc: C0, DEL, C1) are handled apart, by code.
_INVISIBLE = ("Cf", "Zl", "Zp")


def _escape(ch: str, keep_tabs: bool) -> str:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return ch if keep_tabs and ch == "\t" else f"\\x{code:02x}"
    if code > 0x9F and unicodedata.category(ch) in _INVISIBLE:
        return f"\\u{code:04x}"
    return ch


def escaped(text: str, *, keep_tabs: bool = False) -> str:
    """`text` on one line, every control and invisible character written out.
    `keep_tabs`: a tab stays a tab (fstab and crontab lines quoted as evidence)."""
    if text.isascii() and text.isprintable():
        return text  # the usual case, without a Python step per character
    return "".join(_escape(ch, keep_tabs) for ch in text)


def escaped_lines(text: str) -> list[str]:
    """Multi-line host text (evidence, a remedy) as lines, each escaped: its newlines
    become line breaks of the output, never a line the host chose the start of."""
    return [escaped(line, keep_tabs=True) for line in text.split("\n")]


def plugin_text(text: str) -> str:
    """Text for a monitoring plugin's status line: escaped, and `|` (which starts the
    performance data there) written as `\\x7c`."""
    return escaped(text).replace("|", "\\x7c")

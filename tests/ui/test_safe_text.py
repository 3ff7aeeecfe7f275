"""Hostile host text through safe_text: shown, never obeyed (no escape, no markup)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from cockpit.ui.safe_text import assemble, safe_plain, safe_text

CLEAR = "\x1b[2J\x1b[H"
OSC52 = "\x1b]52;c;cm0gLXJmIC8K\x07"  # set the viewer's clipboard to "rm -rf /"
OSC8 = "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
TITLE = "\x1b]0;owned\x07"
C1_CSI = "\x9b31m"  # 8-bit CSI: some terminals obey it
RLO = "cron\u202eexe.hsab"  # Trojan Source: shows as "cronbash.exe"


def _rendered(text: Text) -> str:
    """What a real terminal would receive from Rich for this Text."""
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=200).print(text)
    return out.getvalue()


def _no_controls(s: str) -> bool:
    return not any((ord(c) < 0x20 and c not in "\n") or 0x7F <= ord(c) <= 0x9F for c in s)


def test_escape_sequences_become_visible_pictures() -> None:
    for hostile in (CLEAR, OSC52, OSC8, TITLE, C1_CSI):
        plain = safe_plain(f"15 3 * * * reboot # {hostile}")
        assert _no_controls(plain), repr(plain)
        assert "\x1b" not in plain and "\x07" not in plain and "\x9b" not in plain
    assert safe_plain(CLEAR) == "␛[2J␛[H"
    assert safe_plain(OSC52) == "␛]52;c;cm0gLXJmIC8K␇"
    assert safe_plain(C1_CSI) == "<9B>31m"


def test_markup_is_literal_text() -> None:
    hostile = "[bold red]ALL CLEAR[/] [link=http://evil.example/]fix[/link] [@click=app.quit]x[/]"
    text = safe_text(hostile)
    assert text.plain == hostile
    assert text.spans == []  # nothing was parsed into a style
    rendered = _rendered(text)
    assert "[bold red]ALL CLEAR[/]" in rendered
    assert "\x1b]8;" not in rendered  # no hyperlink was made


def test_rendered_output_holds_only_our_own_escapes() -> None:
    text = assemble(("BLOCKER ", "bold"), f"/etc/crontab: {OSC52}{CLEAR}{TITLE}")
    rendered = _rendered(text)
    assert "\x1b]" not in rendered  # no OSC from the host survives
    assert "\x1b[2J" not in rendered and "\x07" not in rendered
    assert "␛]52;c;" in rendered


def test_carriage_return_cannot_overwrite_what_was_shown() -> None:
    # "ok" printed over the start of the line would hide "reboot" on a real terminal
    assert safe_plain("15 3 * * * /sbin/reboot\rok # harmless") == (
        "15 3 * * * /sbin/reboot␍ok # harmless"
    )
    assert safe_plain("a\r\nb\r\n") == "a\nb\n"  # CRLF files stay plain lines


def test_invalid_utf8_and_bidi_are_visible() -> None:
    decoded = b"root \xff\xfe crontab".decode("utf-8", errors="replace")
    assert safe_plain(decoded) == "root \ufffd\ufffd crontab"
    assert safe_plain(RLO) == "cron<U+202E>exe.hsab"


def test_long_lines_are_cut_with_a_count_and_one_line_mode() -> None:
    long = "x" * 100_000
    plain = safe_plain(long + "\nnext")
    first, second = plain.split("\n")
    assert first.endswith("… (+98000 chars)") and len(first) < 2100
    assert second == "next"
    assert safe_plain("a\nb\tc", one_line=True) == "a⏎b    c"
    assert "\n" not in safe_text("line1\nline2", one_line=True).plain

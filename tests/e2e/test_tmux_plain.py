"""Issue 13: meaning never rests on colour alone, checked in a real terminal.

The real `cockpit` on the 8 sample trees inside tmux at 80x24, once with NO_COLOR=1 and
once with TERM=xterm-16color: every verdict, severity and the refusal read in words and
symbols on the plain screen (`capture-pane` without colours), and the escape codes the
app sends stay within what was asked (greys only under NO_COLOR, the 16 ANSI colours
under xterm-16color: no 256-colour or truecolor sequence).
"""

from __future__ import annotations

import re
import shlex
import sys
import time

import pytest

from tests.e2e.test_tmux import Tmux, tmux  # noqa: F401  (the fixture)
from tests.support import SAMPLES

INVENTORY = SAMPLES / "inventory.toml"
#: SGR colour parameters of the greys: black, white, bright black, bright white, defaults.
GREYS = {"30", "37", "39", "40", "47", "49", "90", "97", "100", "107"}
#: ...and in the 256-colour palette: black, white and the 24-step grey ramp.
GREY_256 = {0, 7, 8, 15, 16, 231, *range(232, 256)}


def is_grey(code: str) -> bool:
    if code in GREYS:
        return True
    parts = code.split(";")
    if parts[:2] in (["38", "5"], ["48", "5"]):
        return int(parts[2]) in GREY_256
    if parts[:2] in (["38", "2"], ["48", "2"]):
        return len(set(parts[2:5])) == 1  # r == g == b
    return False


def sgr_colours(screen: str) -> set[str]:
    """Every colour parameter of every SGR sequence on the screen (bold, reverse... not)."""
    found: set[str] = set()
    for params in re.findall(r"\x1b\[([0-9;]*)m", screen):
        parts = params.split(";")
        i = 0
        while i < len(parts):
            p = parts[i]
            if p in ("38", "48"):  # extended colour: 5;N or 2;R;G;B
                found.add(";".join(parts[i : i + (3 if parts[i + 1 : i + 2] == ["5"] else 5)]))
                i += 3 if parts[i + 1 : i + 2] == ["5"] else 5
                continue
            if p and (30 <= int(p) <= 49 or 90 <= int(p) <= 107):
                found.add(p)
            i += 1
    return found


def start(tmux: Tmux, env: str) -> None:  # noqa: F811
    argv = [sys.executable, "-m", "cockpit", "--inventory", str(INVENTORY), "--no-record"]
    tmux.start(f"env -u COLORTERM {env} {shlex.join(argv)}")


def coloured(tmux: Tmux) -> str:  # noqa: F811
    return tmux.tmux("capture-pane", "-p", "-e", "-t", "cockpit").stdout


def walk(tmux: Tmux) -> list[str]:  # noqa: F811
    """Fleet, host view with the findings, and the refusal: the words that carry the
    meaning checked on each plain screen; each screen's escape codes returned."""
    tmux.wait_for("verdict")
    deadline = time.monotonic() + 30
    while "connecting" in (fleet := tmux.screen()) or "reading" in fleet:
        assert time.monotonic() < deadline, fleet
        time.sleep(0.2)
    assert re.search(r"✗ weblogs +UNBOOTABLE: reboot at 03:15 C[DS]T", fleet), fleet
    assert re.search(r"^ weblogs +✗ UNBOOTABLE", fleet, re.M), fleet
    assert re.search(r"^ ubuntu2204 +\? UNKNOWN CRIT|^ ubuntu2204 +✓ BOOTABLE CRIT", fleet, re.M)
    assert "? Help" in fleet
    codes = [coloured(tmux)]
    time.sleep(0.3)
    tmux.keys("Enter")
    host = tmux.wait_for("boot chain")
    tmux.keys("f")
    found = tmux.wait_for("✗ BLOCKER next boot has no init")
    assert "✗ UNBOOTABLE: /sbin/init is missing." in host
    assert "✗ BLOCKER next boot has no init" in found
    assert "1-7 Panes" in found and "? Help" in found
    codes.append(coloured(tmux))
    tmux.keys("q")
    refusal = tmux.wait_for("QUIT REFUSED")
    assert "✗ weblogs UNBOOTABLE" in refusal and "type weblogs" in refusal.replace("\n", " ")
    return [*codes, coloured(tmux)]


@pytest.mark.parametrize(
    ("env", "greys_only"),
    [("NO_COLOR=1 TERM=xterm-256color", True), ("TERM=xterm-16color", False)],
    ids=["NO_COLOR", "xterm-16color"],
)
def test_meaning_in_words_without_colour(tmux: Tmux, env: str, greys_only: bool) -> None:  # noqa: F811
    start(tmux, env)
    codes = set().union(*(sgr_colours(screen) for screen in walk(tmux)))
    if greys_only:
        assert all(is_grey(c) for c in codes), sorted(c for c in codes if not is_grey(c))
    else:
        assert not any(c.startswith(("38;", "48;")) for c in codes), codes
    tmux.keys("Escape")

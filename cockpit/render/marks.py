"""One set of symbols and words for every view: the fleet row, the host view's banner and
panes, the boot chain, the refusal and the help legend say a level the same way.

Meaning never rests on colour alone: each level has a symbol AND a word, and the symbols
are narrow, plain characters that every terminal and font shows in one cell (no emoji,
no ambiguous-width glyphs): ✓ proven/ok, ✗ broken/blocker, ? unknown, ! warning or
critical (the word tells which). Pure: no terminal library.
"""

from __future__ import annotations

from cockpit.words import Verdict

#: level -> symbol. Levels: verdicts' (blocker, unknown, ok), severities', and status.
SYMBOL = {
    "blocker": "✗",
    "critical": "!",
    "unknown": "?",
    "warning": "!",
    "ok": "✓",
    "info": "·",
}
#: level -> the word beside the symbol in panes and findings.
WORD = {
    "blocker": "BLOCKER",
    "critical": "CRIT",
    "unknown": "UNKNOWN",
    "warning": "WARN",
    "ok": "OK",
    "info": "info",
}

VERDICT_LABEL = {
    Verdict.UNBOOTABLE: f"{SYMBOL['blocker']} UNBOOTABLE",
    Verdict.BOOTABLE: f"{SYMBOL['ok']} BOOTABLE",
    Verdict.UNKNOWN: f"{SYMBOL['unknown']} UNKNOWN",
}
#: CSS-like level per verdict, for styling through theme variables only.
VERDICT_LEVEL = {Verdict.UNBOOTABLE: "blocker", Verdict.BOOTABLE: "ok", Verdict.UNKNOWN: "unknown"}
#: What the status adds to a verdict in a row: the worst severity a host has besides it.
_TAG = {"critical": "CRIT", "warning": "WARN"}


def mark(level: str) -> str:
    """`✗ BLOCKER`, `! CRIT`, `? UNKNOWN`, `! WARN`, `✓ OK`, `· info`."""
    level = level if level in WORD else "unknown"
    return f"{SYMBOL[level]} {WORD[level]}"


def status_tag(verdict: str, status: str) -> str:
    """The word a fleet row adds after its verdict: `CRIT` for a bootable or unknown host
    with a critical finding, `WARN` for warnings; an unbootable host is critical anyway,
    and ok or unknown add nothing (the verdict says them)."""
    if verdict == Verdict.UNBOOTABLE:
        return ""
    return _TAG.get(status, "")


#: The help legend: every symbol and word the screens use, and what it means.
LEGEND = (
    (
        VERDICT_LABEL[Verdict.UNBOOTABLE],
        "a boot stage is broken: the next boot fails or stops early",
    ),
    (VERDICT_LABEL[Verdict.UNKNOWN], "cockpit could not prove it boots (never read as OK)"),
    (VERDICT_LABEL[Verdict.BOOTABLE], "every boot stage proven by the files it rests on"),
    ("CRIT / WARN", "after a verdict: the host's worst finding besides it"),
    (mark("blocker"), "a finding that breaks a boot stage"),
    (mark("critical"), "fix before any reboot (an interrupted upgrade, no sshd at boot)"),
    (mark("warning"), "worth knowing: an armed reboot, a stale lock"),
    ("│", "the host's own words (evidence), shown, never obeyed"),
    ("overdue / stale?", "a reboot time already past: never a countdown"),
)

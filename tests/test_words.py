"""The verdict, status and mode words: typed members that still ARE their words.

The JSON contract, the recording and the screens keep the same text; a misspelt word is
now an AttributeError (and a mypy error) instead of a comparison that is silently False.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from cockpit.words import Mode, Status, Verdict

COCKPIT = Path(__file__).resolve().parent.parent / "cockpit"


@pytest.mark.parametrize("member", [*Verdict, *Status, *Mode])
def test_a_member_is_its_word_everywhere(member: Verdict | Status | Mode) -> None:
    word = member.value
    assert member == word and hash(member) == hash(word)
    assert str(member) == f"{member}" == f"{member:>0}" == "%s" % member == word  # noqa: UP031
    assert json.dumps({"k": member}) == json.dumps({"k": word})
    assert {word: 1}[member] == 1 and {member: 1}[word] == 1
    assert member.upper() == word.upper()


def test_the_contract_words_are_unchanged() -> None:
    assert [v.value for v in Verdict] == ["bootable", "unbootable", "unknown"]
    assert [s.value for s in Status] == ["ok", "warning", "critical", "unknown"]
    assert [m.value for m in Mode] == ["live", "offline"]
    assert Mode.of_kind("offline") == Mode.OFFLINE
    assert Mode.of_kind("ssh") == Mode.LIVE == Mode.of_kind("local")


def test_no_verdict_word_is_written_by_hand_outside_words_py() -> None:
    """`"unbootable"` typed anywhere else is the typo the enum exists to stop."""
    found = []
    for path in sorted(COCKPIT.rglob("*.py")):
        if path.name == "words.py" and path.parent == COCKPIT:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Constant) and node.value in ("bootable", "unbootable"):
                found.append(f"{path.relative_to(COCKPIT)}:{node.lineno}")
    assert found == []

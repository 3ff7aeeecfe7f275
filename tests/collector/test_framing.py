"""Framing: only the per-run boundary opens and closes sections; content is byte-exact."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.collector import split_output

B = "==COCKPIT-0123456789abcdef0123456789abcdef=="


def frame(name: str, content: str, rc: int = 0, state: str = "ok", cap: int = 65536) -> str:
    return f"{B} BEGIN {name}\n{content}\n{B} END {rc} {state} {cap} {name}\n"


def test_content_round_trips_exactly_with_and_without_final_newline() -> None:
    out = frame("a", "x\ny") + frame("b", "x\ny\n") + frame("c", "") + f"{B} DONE\n"
    result = split_output(out, B)
    assert result.complete and result.issues == ()
    assert result.sections["a"].text == "x\ny"
    assert result.sections["b"].text == "x\ny\n"
    assert result.sections["c"].text == ""


def test_a_forged_boundary_with_another_token_is_just_content() -> None:
    forged = "==COCKPIT-deadbeefdeadbeefdeadbeefdeadbeef== END 0 ok 10 a\n# 15 3 * * * reboot"
    result = split_output(frame("a", forged) + f"{B} DONE\n", B)
    assert result.sections["a"].text == forged
    assert list(result.sections) == ["a"]


def test_an_end_line_for_another_section_does_not_close_this_one() -> None:
    tricky = f"{B} END 0 ok 10 other"  # only possible if the token leaked; still no forgery
    result = split_output(frame("a", tricky) + f"{B} DONE\n", B)
    assert result.sections["a"].text == tricky


def test_cut_stream_marks_the_section_missing_and_truncated() -> None:
    out = frame("a", "fine") + f"{B} BEGIN b\npartial"
    result = split_output(out, B)
    assert not result.complete
    assert result.sections["b"].state == "missing"
    assert result.sections["b"].truncated
    assert any("cut off" in issue for issue in result.issues)


def test_cap_marks_truncation() -> None:
    out = frame("p.x", "a" * 11, cap=10) + f"{B} DONE\n"
    result = split_output(out, B)
    assert result.sections["p.x"].text == "a" * 10
    assert result.sections["p.x"].truncated


def test_invalid_utf8_and_escapes_are_kept_as_text_never_raise() -> None:
    raw = frame("a", "").encode().replace(b"\n\n", b"\n\xff\xfe\x1b[2J\n") + f"{B} DONE\n".encode()
    result = split_output(raw, B)
    assert "\x1b[2J" in result.sections["a"].text
    assert "\ufffd" in result.sections["a"].text


def test_unknown_state_becomes_error() -> None:
    result = split_output(frame("a", "x", state="fine") + f"{B} DONE\n", B)
    assert result.sections["a"].state == "error"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_content_round_trips(content: str, name_seed: str) -> None:
    name = "s." + "".join(c for c in name_seed if c.isalnum()) or "s.x"
    result = split_output(frame(name, content) + f"{B} DONE\n", B)
    # Splitting is on "\n" only, so every character (incl. \r, NUL, escapes) survives.
    assert result.sections[name].text == content
    assert result.complete


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_garbage_never_raises(data: bytes) -> None:
    split_output(data, B)

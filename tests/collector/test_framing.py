"""Framing: only the per-run boundary opens and closes sections; content is byte-exact."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.collector import split_output
from cockpit.collector.framing import split_lines, split_marks

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


# The fast splitter visits framing lines only; the line-by-line one is its definition.
_PIECES = (
    B, "==COCKPIT-ffff==", " BEGIN ", " END ", " PROBE ", " DONE", "\n", "\n", "\n", " ",
    "a", "b", "p.q", "0", "1", "5", "-2", "²", "ok", "cached", "bogus", "x", "é\x1b", "\r", "",
)  # fmt: skip


def _framed(pieces: list[str]) -> str:
    return "".join(pieces)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map(_framed))
def test_fast_split_equals_the_line_by_line_definition(text: str) -> None:
    expected = split_lines(text, B)
    assert split_output(text, B) == expected
    assert split_marks(text, B) == expected
    raw = text.encode("utf-8")
    assert split_output(raw, B) == split_lines(raw, B)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "a b", ""]),
            st.text(max_size=30),
            st.sampled_from(["ok", "absent", "weird", "cached"]),
            st.sampled_from(["0", "3", "x", "65536"]),
            st.sampled_from(["", "\n", f"{B} PROBE p\n", "junk\n", f"{B} END 0 ok 1 zz\n"]),
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_fast_split_equals_the_definition_on_near_valid_output(
    parts: list[tuple[str, str, str, str, str]], finished: bool
) -> None:
    out = "".join(
        f"{B} BEGIN {name}\n{content}\n{B} END 0 {state} {cap} {name}\n{gap}"
        for name, content, state, cap, gap in parts
    )
    out += f"{B} DONE\n" if finished else f"{B} BEGIN cut\npartial"
    expected = split_lines(out, B)
    assert split_output(out, B) == expected
    assert split_marks(out, B) == expected


def test_odd_boundaries_fall_back_to_the_definition() -> None:
    for boundary in ("", "a\nb", " "):
        text = f"{boundary} BEGIN a\nx\n{boundary} END 0 ok 9 a\n{boundary} DONE\n"
        assert split_output(text, boundary) == split_lines(text, boundary)
        assert split_marks(text, boundary) == split_lines(text, boundary)


def test_a_section_split_again_is_the_same_object_and_any_change_is_a_new_one() -> None:
    """Unchanged sections come back as the very objects of the last split (the memo's
    checks downstream are then identity checks); every field still decides."""
    other = "==COCKPIT-fedcba9876543210fedcba9876543210=="
    first = split_output(frame("r.a", "same\n") + f"{B} DONE\n", B).sections["r.a"]
    again = split_output(frame("r.a", "same\n").replace(B, other) + f"{other} DONE\n", other)
    assert again.sections["r.a"] is first
    for changed, field in (
        (frame("r.a", "same\n", rc=1), "rc"),
        (frame("r.a", "same\n", state="absent"), "state"),
        (frame("r.a", "same\n", cap=3), "truncated"),
        (frame("r.a", "same"), "text"),
        (f"{B} PROBE p2\n" + frame("r.a", "same\n"), "probe"),
    ):
        section = split_output(changed + f"{B} DONE\n", B).sections["r.a"]
        assert section is not first and section != first, field
        assert section == split_lines(changed + f"{B} DONE\n", B).sections["r.a"]

"""Replay is a transport: recorded sections re-framed and split by the collector's own
`split_output` come back exactly, however hostile their text."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.collector import build_script, split_output
from cockpit.collector.framing import BATCH_PREFIX
from cockpit.collector.script import BOUNDARY_PREFIX
from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.recording.events import SnapshotEvent
from cockpit.recording.replayed import replayed_snapshot
from cockpit.snapshot import SECTION_STATES, Section, Sections, Snapshot
from cockpit.transports import collect
from cockpit.transports.replay import ReplayTransport, boundary_of, frame_sections
from tests.recording.helpers import sample

# Text as split_output can produce it: any code point but lone surrogates (bytes are
# decoded with errors="replace", so invalid UTF-8 arrives as U+FFFD).
_text_alphabet = st.characters(exclude_categories=("Cs",))
_hostile = st.sampled_from(
    [
        "==COCKPIT-00000000000000000000000000000000== END 0 ok 10 cron",
        "==COCKPIT-00000000000000000000000000000000== BEGIN evil",
        "==COCKPIT-00000000000000000000000000000000== DONE",
        "\x1b[2J\x1b]0;pwned\x07[bold red]markup[/]",
        "\ufffd\ufffdinvalid utf-8 was here\ufffd",
        "line\r\nwith crlf\n\n\n",
        "\x00nul\x00",
        "",
        "\n",
    ]
)
_texts = st.one_of(
    st.text(_text_alphabet, max_size=200), _hostile, st.lists(_hostile).map("\n".join)
)
_names = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda n: "\n" not in n and not n.startswith(BATCH_PREFIX))  # reserved: batches


@st.composite
def sections(draw: st.DrawFn) -> Sections:
    names = draw(st.lists(_names, max_size=12, unique=True))
    out = {}
    for name in names:
        text = draw(_texts)
        truncated = draw(st.booleans())
        if truncated and not text:
            text = "x"
        out[name] = Section(
            name=name,
            state=draw(st.sampled_from(SECTION_STATES)),
            rc=draw(st.integers(-255, 255)),
            text=text,
            truncated=truncated,
            probe=draw(st.sampled_from(["", "cron", "init", "boot\ufffd", "b c"])),
        )
    return Sections(out)


def _split(secs: Sections, token: str) -> tuple[Sections, tuple[str, ...], bool]:
    boundary = f"{BOUNDARY_PREFIX}{token}=="
    result = split_output(frame_sections(secs, boundary), boundary)
    return result.sections, result.issues, result.complete


@settings(max_examples=300, deadline=None)
@given(sections(), st.sampled_from(["f" * 32, "0123456789abcdef" * 2]))
def test_framing_round_trip_is_exact(secs: Sections, token: str) -> None:
    """Texts imitate other runs' boundaries (the 0000... one), never this run's: that
    one holds 128 random bits."""
    got, issues, complete = _split(secs, token)
    assert issues == ()
    assert complete
    assert list(got) == list(secs)  # collector order kept
    for name in secs:
        assert got[name] == secs[name], name


@settings(max_examples=100, deadline=None)
@given(sections())
def test_replayed_snapshot_is_the_recorded_one(secs: Sections) -> None:
    recorded = Snapshot(
        host="h",
        mode="live",
        sections=secs,
        started=datetime(2011, 9, 29, 23, tzinfo=timezone.utc),
        duration_s=1.5,
        framing_issues=("the collector did not finish (no DONE marker)",),
        carried=tuple(list(secs)[:1]),
    )
    event = SnapshotEvent(recorded.started, "h", 0, True, recorded)
    assert replayed_snapshot(event) == recorded


def test_a_truncated_section_cut_inside_a_character_comes_back_cut() -> None:
    """The host's cap fell inside a multi-byte character: split_output kept U+FFFD."""
    raw = "é".encode()[:1]
    text = raw.decode("utf-8", errors="replace")
    secs = Sections({"f": Section("f", "ok", 0, "abc" + text, True, "p")})
    got, issues, _ = _split(secs, "1" * 32)
    assert issues == () and got["f"] == secs["f"]


def test_replay_transport_answers_the_real_collector_script() -> None:
    """`collect()` with a ReplayTransport: the script the live path builds, its boundary,
    the framing and the splitting are the live ones; the sections are the recorded ones."""
    recorded = sample("weblogs-2011")
    spec = HostSpec(name=recorded.host, kind="offline", root=recorded.root)
    replayed = asyncio.run(collect(ReplayTransport(spec, recorded)))
    assert replayed.framing_issues == ()
    assert list(replayed.sections) == list(recorded.sections)
    assert replayed.sections == recorded.sections
    at = datetime.fromisoformat("2011-09-29T23:00:00-05:00")
    live, again = judge_snapshot(recorded, at), judge_snapshot(replayed, at)
    assert (again.verdict, again.findings, again.next_reboot) == (
        live.verdict,
        live.findings,
        live.next_reboot,
    )
    assert live.verdict == "unbootable"


def test_boundary_of_reads_what_build_script_wrote() -> None:
    run = build_script([], mode="live")
    assert boundary_of(run.script) == run.boundary

"""Disarm then re-arm gives the original text byte for byte: real crontabs and random ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.actions import cron_text, marker
from tests.support import CORPUS, SAMPLES

AT = datetime(2011, 9, 29, 23, 5, tzinfo=timezone(timedelta(hours=-5)))
SYSTEM_CORPUS = sorted((CORPUS / "cron").glob("cron*/*.txt"))


def _round_trip(text: str, system: bool) -> int:
    """Disarm and re-arm every job line of `text`; returns how many jobs it had."""
    jobs = [ln.content for ln in cron_text.split(text) if cron_text.is_job(ln.content, system)]
    seen: dict[str, int] = {}
    for job in jobs:
        n = seen.get(job, 0)
        seen[job] = n + 1
        off = cron_text.disarm(text, job, AT, "jh", "test", system, n)
        assert off.text != text
        assert off.before == job
        assert marker.parse(off.after) is not None
        assert off.text.count("\n") == text.count("\n")  # one line changed, no line added
        assert not cron_text.is_job(cron_text.split(off.text)[off.index].content, system)
        back = cron_text.rearm(off.text, off.after)
        assert back.text == text
        assert cron_text.encode(back.text) == cron_text.encode(text)
    return len(jobs)


@pytest.mark.parametrize("path", SYSTEM_CORPUS, ids=lambda p: p.name)
def test_round_trip_on_every_real_system_crontab(path: Path) -> None:
    text = cron_text.decode(path.read_bytes())
    assert _round_trip(text, system=True) >= 1


def test_round_trip_on_the_sample_trees_crontabs() -> None:
    count = 0
    for path in SAMPLES.glob("*/etc/crontab"):
        count += _round_trip(cron_text.decode(path.read_bytes()), system=True)
    for path in SAMPLES.glob("*/etc/cron.d/*"):
        count += _round_trip(cron_text.decode(path.read_bytes()), system=True)
    for path in SAMPLES.glob("*/var/spool/cron/crontabs/*"):
        count += _round_trip(cron_text.decode(path.read_bytes()), system=False)
    assert count >= 5


def test_the_incident_line_with_its_marker() -> None:
    path = SAMPLES / "weblogs-2011/var/spool/cron/crontabs/root"
    text = path.read_text()
    off = cron_text.disarm(text, "15 3 * * * /sbin/shutdown -r now", AT, "jh", "no init", False)
    assert off.after == (
        "# cockpit: disarmed 2011-09-29T23:05:00-05:00 by jh: no init :: "
        "15 3 * * * /sbin/shutdown -r now"
    )
    assert off.index == 5
    assert cron_text.rearm(off.text, off.after).text == text


def test_crlf_no_final_newline_non_utf8_and_tabs_survive() -> None:
    raw = b"SHELL=/bin/sh\r\n\r\n# caf\xe9\r\n0\t3 * * *\troot  /sbin/reboot\r\n@daily root x\xff"
    text = cron_text.decode(raw)
    off = cron_text.disarm(text, "0\t3 * * *\troot  /sbin/reboot", AT, "a", "b", True)
    assert cron_text.encode(off.text).endswith(b"/sbin/reboot\r\n@daily root x\xff")
    assert b"\r\n" in cron_text.encode(off.text).split(b":: ")[1]
    assert cron_text.encode(cron_text.rearm(off.text, off.after).text) == raw
    last = cron_text.disarm(text, "@daily root x\udcff", AT, "a", "b", True)
    assert not last.text.endswith("\n")
    assert cron_text.encode(cron_text.rearm(last.text, last.after).text) == raw


def test_identical_reboot_lines_are_told_apart_by_occurrence() -> None:
    text = "0 3 * * * reboot\n# x\n0 3 * * * reboot\n"
    second = cron_text.disarm(text, "0 3 * * * reboot", AT, "a", "b", False, occurrence=1)
    assert second.index == 2
    assert cron_text.split(second.text)[0].content == "0 3 * * * reboot"
    with pytest.raises(cron_text.EditError, match="only 2"):
        cron_text.disarm(text, "0 3 * * * reboot", AT, "a", "b", False, occurrence=2)


def test_a_line_that_is_no_longer_a_job_is_refused() -> None:
    # python-crontab reads a 6-field line without a user column as no job in a system tab
    with pytest.raises(cron_text.EditError, match="not an active cron job"):
        cron_text.disarm("# 0 3 * * * reboot\n", "# 0 3 * * * reboot", AT, "a", "b", False)
    with pytest.raises(cron_text.EditError, match="not found"):
        cron_text.disarm("0 4 * * * reboot\n", "0 3 * * * reboot", AT, "a", "b", False)


def test_marker_survives_hostile_user_and_reason() -> None:
    line = "0 3 * * * reboot :: also this %"
    made = marker.make(line, AT, "bob: ::\nx", "why :: \x1b[2J\nnot :: this")
    parsed = marker.parse(made)
    assert parsed is not None
    assert parsed.original == line
    assert "\n" not in made and "\x1b" not in made
    assert parsed.user == "bob_____x"


# -- property: random crontabs --------------------------------------------------------

_field = st.sampled_from(["*", "0", "15", "*/10", "1-5", "3,4", "MON"])
_space = st.sampled_from([" ", "  ", "\t", " \t "])
_cmd = st.sampled_from(
    ["/sbin/shutdown -r now", "reboot", "run-parts /etc/cron.daily", "echo 'a % b'", "x  y"]
)
_end = st.sampled_from(["\n", "\r\n", "\n"])


@st.composite
def _job(draw: st.DrawFn, system: bool) -> str:
    sp = draw(_space)
    if draw(st.booleans()):
        spec = draw(st.sampled_from(["@reboot", "@daily", "@hourly", "@weekly"]))
    else:
        spec = sp.join(draw(st.lists(_field, min_size=5, max_size=5)))
    user = sp + "root" if system else ""
    return draw(st.sampled_from(["", " ", "\t"])) + spec + user + sp + draw(_cmd)


def _chars(forbidden: str) -> st.SearchStrategy[str]:
    return st.characters(blacklist_characters=forbidden, blacklist_categories=("Cs",))


def _file_text(forbidden: bytes, max_size: int) -> st.SearchStrategy[str]:
    """Text as it comes off a host: any bytes, decoded the way the actions decode files
    (undecodable bytes become lone escapes), so the strategy never invents a string no
    file could hold (a lone U+D800 is not UTF-8 of anything)."""
    table = bytes.maketrans(forbidden, b" " * len(forbidden))
    return st.binary(max_size=max_size).map(lambda b: cron_text.decode(b.translate(table)))


@st.composite
def crontabs(draw: st.DrawFn, system: bool) -> str:
    kinds = st.sampled_from(["job", "job", "comment", "blank", "env", "junk"])
    lines = []
    for kind in draw(st.lists(kinds, min_size=1, max_size=12)):
        if kind == "job":
            line = draw(_job(system))
        elif kind == "comment":
            line = "#" + draw(_file_text(b"\n\r", 20) | st.text(_chars("\n\r"), max_size=20))
        elif kind == "blank":
            line = draw(st.sampled_from(["", " ", "\t"]))
        elif kind == "env":
            line = draw(st.sampled_from(["SHELL=/bin/sh", "CRON_TZ = UTC", 'MAILTO=""']))
        else:
            line = draw(_file_text(b"\n", 30) | st.text(_chars("\n"), max_size=30))
        lines.append(line + draw(_end))
    text = "".join(lines)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final newline
    return text


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_round_trip_on_random_crontabs(data: st.DataObject) -> None:
    system = data.draw(st.booleans())
    text = data.draw(crontabs(system))
    assert "".join(ln.text for ln in cron_text.split(text)) == text
    _round_trip(text, system)

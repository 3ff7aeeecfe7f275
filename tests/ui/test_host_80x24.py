"""Issue 13 §2, §3, §4, §7, §9, §10 on the host view at 80x24: every exit through the
guard (ctrl+c too), copy by key, one clock, host zones, a layout designed for 80
columns (top line, key hints, gutters), notes that say where they go, the palette and
help, list keys, one set of symbols."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.app import SystemCommand

from cockpit.rules.finding import Severity
from cockpit.ui.app import CockpitApp
from cockpit.ui.fleet_screen import FleetScreen
from cockpit.ui.help_screen import HelpScreen, help_rows, help_text
from cockpit.ui.host_screen import HostScreen
from cockpit.ui.note_screen import NoteScreen
from cockpit.ui.palette import save_screenshot
from cockpit.ui.refusal_screen import RefusalScreen
from cockpit.ui.widgets.findings_list import FindingsList, finding_content
from cockpit.ui.widgets.pane_base import Lines
from tests.support_log import MemoryLog
from tests.ui.conftest import FrozenClock, all_read, sample_specs, screen_lines, wait_until
from tests.ui.test_host_screen import T0, HostApp, sample, screen_text

#: Symbols the views used to disagree on (✖/✗, ✔/✓, ⚠) or that are emoji (⏰).
RETIRED = "✖✔⚠⏰■"


def countdowns(text: str) -> set[str]:
    return set(re.findall(r"\bin (\d+h\d\dm|\d+m\d\ds|\d+m|\d+s)\b", text))


async def test_ctrl_c_meets_the_quit_guard_like_q(clock: FrozenClock) -> None:
    log = MemoryLog()
    app = CockpitApp(sample_specs("weblogs-2011", "debian12-systemd"), log=log, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen) and app.is_running
        await pilot.press("ctrl+c")  # in the name prompt too: still asking, still running
        await pilot.pause()
        assert isinstance(app.screen, RefusalScreen) and app.is_running
    assert [e["via"] for e in log.of("quit-refused")] == ["ctrl+c"]


async def test_c_copies_the_remedy_and_shift_c_the_evidence() -> None:
    state = sample("weblogs-2011")
    app = HostApp([state])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "c")
        worst = state.findings[0]
        assert app.clipboard == worst.remedy
        await pilot.press("C")
        assert app.clipboard == "\n".join(worst.evidence)


async def test_every_countdown_on_the_frame_ticks_together() -> None:
    """Findings used to keep the countdown they were judged with while the banner
    ticked: two clocks on one screen."""
    app = HostApp([sample("weblogs-2011")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        app.clock.now = T0 + timedelta(minutes=2, seconds=5)
        app.screen.tick()
        await pilot.pause()
        frame = screen_text(app)
        assert "verdict.reboot-armed-while-unbootable" in frame  # its countdown is in view
        assert countdowns(frame) == {"4h12m"}, frame


async def test_host_times_are_in_the_hosts_zone_with_its_abbreviation() -> None:
    app = HostApp([sample("weblogs-2011"), sample("ubuntu2204-dpkg-interrupted")])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        packages = app.screen.query_one("#pane-packages").text  # type: ignore[attr-defined]
        assert "UTC" not in packages, packages  # emerge's epoch, said in CDT
        assert re.search(r"started 2011-09-29 \d\d:\d\d CDT", packages), packages
        app.pop_screen()
        await app.push_screen(HostScreen("ubuntu2204-dpkg-interrupted"))
        await pilot.pause()
        findings = app.screen.query_one(FindingsList)
        now = app.screen.frame_now
        titles = [f.title_at(now) for f in findings.findings]
        apt = next(t for t in titles if t.startswith("apt run started"))
        assert re.match(r"apt run started 2024-04-17 21:41 [A-Z]{3,4} never finished", apt), apt


async def test_80x24_top_line_and_two_lines_of_keys(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs("weblogs-2011"), log=MemoryLog(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HostScreen))
        await wait_until(pilot, all_read(app))
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[0].startswith(" weblogs-2011 · offline · host time "), lines[0]
        assert lines[0].rstrip().endswith("old"), lines[0]  # nothing cut
        keys = " ".join(lines[-2:])
        for hint in ("? Help", "esc Fleet", "v Raw", "f Findings", "1-7 Panes", "n Note", "q Quit"):
            assert hint in keys, (hint, lines[-2:])


def test_wrapped_evidence_keeps_its_gutter_and_titles_their_indent() -> None:
    lines = Lines()
    lines.quote("x " * 60, indent=4)
    lines.mark("blocker", "a title long enough to wrap " * 3)
    drawn = lines.content(40).plain.splitlines()
    quote = drawn[: len(drawn) - 3]
    assert len(quote) >= 3 and all(line.startswith("    │ ") for line in quote), drawn
    assert drawn[-3].startswith("✗ BLOCKER ") and all(d.startswith("  ") for d in drawn[-2:])
    state = sample("weblogs-2011")
    worst = next(f for f in state.findings if f.severity is Severity.BLOCKER)
    body = finding_content(worst, None, 70).plain.splitlines()
    fix = next(i for i, line in enumerate(body) if line.startswith("    fix: "))
    assert all(line.startswith("    │ ") for line in body[2:fix]), body
    assert all(line.startswith("         ") for line in body[fix + 1 :]), body


async def test_the_frame_keeps_gutters_at_80_columns() -> None:
    app = HostApp([sample("weblogs-2011")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause(0.3)
        frame = screen_lines(app)
        inside = [line for line in frame if line.startswith("│")]
        starts = [i for i, line in enumerate(inside) if "│     │ " in line[:9]]
        assert starts, frame
        for i in starts:  # a gutter line is followed by a gutter, the fix, or a new finding
            nxt = inside[i + 1] if i + 1 < len(inside) else ""
            assert re.match(r"│ (    │ |    fix: |[✗!?✓·] )", nxt) or not nxt.strip("│ "), nxt


async def test_notes_say_where_they_go(clock: FrozenClock) -> None:
    from cockpit.recording.session_log import NullLog

    app = CockpitApp(sample_specs("debian12-systemd", "weblogs-2011"), log=NullLog(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        rows = {r.description: r for r in help_rows(app.screen)}
        assert not rows["Note"].enabled  # listed, said unavailable: nothing would record it
        assert "n Note" not in " ".join(screen_lines(app)[-2:])
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)


async def test_palette_holds_every_action_and_keys_is_cockpits_help(
    clock: FrozenClock, isolated_xdg: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("HOME", str(isolated_xdg / "home-without-downloads"))
    app = CockpitApp(sample_specs("weblogs-2011", "debian12-systemd"), log=MemoryLog(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))

        def titles() -> dict[str, SystemCommand]:
            return {c.title: c for c in app.get_system_commands(app.screen)}

        assert {"Filter", "Note", "Sort", "Quit", "Keys", "Screenshot"} <= set(titles())
        app.open_host("weblogs-2011")
        await pilot.pause()
        assert {"Disarm", "Raw", "Findings", "Note", "Copy", "Refresh all"} <= set(titles())
        titles()["Keys"].callback()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HostScreen)
        saved = save_screenshot(app)
        assert saved is not None and saved.is_file()
        assert saved.parent == isolated_xdg / "xdg_state_home" / "cockpit" / "screenshots"


async def test_help_names_places_not_classes_and_R_works_here(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs("weblogs-2011", "debian12-systemd"), log=MemoryLog(), clock=clock)
    asked: list[str] = []
    app.refresh_all = lambda: asked.append("all")  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        text = help_text(help_rows(app.screen)).plain
        assert "(screen)" not in text and "FleetTable" not in text and "(app)" not in text
        app.open_host("weblogs-2011")
        await pilot.pause()
        rows = help_rows(app.screen)
        assert any(r.key == "R" and r.enabled for r in rows)
        await pilot.press("R")
        assert asked == ["all"]


async def test_lists_move_with_j_k_g_and_G() -> None:
    app = HostApp([sample("weblogs-2011")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        findings = app.screen.query_one(FindingsList)
        assert findings.highlighted == 0
        await pilot.press("j", "j")
        assert findings.highlighted == 2
        await pilot.press("k")
        assert findings.highlighted == 1
        await pilot.press("G")
        assert findings.highlighted == len(findings.findings) - 1
        await pilot.press("g")
        assert findings.highlighted == 0


async def test_one_set_of_symbols_in_every_view(clock: FrozenClock) -> None:
    app = CockpitApp(sample_specs("weblogs-2011", "debian12-systemd"), log=MemoryLog(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, all_read(app))
        frames = ["\n".join(screen_lines(app))]
        assert isinstance(app.screen, FleetScreen)
        app.open_host("weblogs-2011")
        await pilot.pause()
        frames.append("\n".join(screen_lines(app)))
        await pilot.press("f")
        await pilot.pause()
        frames.append("\n".join(screen_lines(app)))
        await pilot.press("q")
        await pilot.pause()
        frames.append("\n".join(screen_lines(app)))
        for frame in frames:
            assert not set(RETIRED) & set(frame), frame
        assert "✗ UNBOOTABLE" in frames[0] and "✗ UNBOOTABLE" in frames[1]

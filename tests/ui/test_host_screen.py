"""The host view on the real sample trees: banner, panes, countdown, raw sections, sizes.

States come from the real engine on sample_hosts/ (collected offline once per tree and
cached); a tiny app holds them in a HostBook with an injected clock, as the real app does.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from textual.app import App

from cockpit.hostspec import HostSpec
from cockpit.recording.session_log import NullLog
from cockpit.state import HostState
from cockpit.ui.book import HostBook
from cockpit.ui.host_screen import HostScreen
from cockpit.ui.themes import themes_dir
from cockpit.ui.widgets.banner import VerdictBanner
from cockpit.ui.widgets.findings_list import FindingsList
from cockpit.ui.widgets.raw_section_screen import RawSectionsScreen
from cockpit.ui.widgets.reboots_pane import RebootsPane
from tests.support import SAMPLES, judge_root

INCIDENT = (
    "UNBOOTABLE: /sbin/init is missing. root's crontab reboots this host at 03:15 CDT, in 4h15m."
)
T0 = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)  # the client's clock


@cache
def sample(name: str) -> HostState:
    """Collected in a thread: judge_root runs its own event loop, the test has one."""
    at = (SAMPLES / name / "AT").read_text().strip()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(judge_root, SAMPLES / name, at).result()


class StepClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class HostApp(App[None]):
    """What HostScreen needs from the app (book, clock, read_only, replay, session_log)."""

    CSS_PATH = [themes_dir() / "host.tcss"]  # noqa: RUF012

    def __init__(self, states: list[HostState], open_host: str | None = None) -> None:
        super().__init__()
        self.book = HostBook.of([HostSpec(name=s.name, kind="offline") for s in states])
        self.clock = StepClock()
        self.read_only = False
        self.replay = False
        self.session_log = NullLog()
        for s in states:
            entry = self.book.get(s.name)
            assert entry is not None
            entry.state, entry.taken_at, entry.updated_at, entry.phase = s, T0, T0, "ok"
        self.open_host = open_host or states[0].name

    screen_class: type[HostScreen] = HostScreen

    def get_theme_variable_defaults(self) -> dict[str, str]:
        from cockpit.ui.themes import VARIABLE_DEFAULTS

        return {**super().get_theme_variable_defaults(), **VARIABLE_DEFAULTS}

    def on_mount(self) -> None:
        self.push_screen(self.screen_class(self.open_host))


def banner_of(app: Any) -> VerdictBanner:
    return app.screen.query_one(VerdictBanner)  # type: ignore[no-any-return]


def screen_text(app: Any) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def test_incident_banner_and_countdown_tick_at_80x24() -> None:
    app = HostApp([sample("weblogs-2011")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        banner = banner_of(app)
        assert banner.sentence == INCIDENT
        assert banner.has_class("-blocker")
        text = screen_text(app)
        assert "✗ UNBOOTABLE: /sbin/init is missing." in text  # word + symbol, on screen
        assert "in 4h15m." in text
        assert banner.region.y < 3 and banner.region.bottom <= 6  # at the top, always
        reboots = app.screen.query_one(RebootsPane)
        assert list(reboots.reboots) == [
            "root's crontab\n/var/spool/cron/crontabs/root: 15 3 * * * /sbin/shutdown -r now"
        ]
        table = reboots.table
        assert str(table.get_cell_at((0, 1))) == "4h15m"
        assert str(table.get_cell_at((0, 0))) == "Fri 03:15 CDT"

        app.clock.now = T0 + timedelta(hours=4, minutes=14, seconds=30)
        app.screen.tick()
        await pilot.pause()
        assert banner.sentence.endswith("at 03:15 CDT, in 30s.")
        assert str(table.get_cell_at((0, 1))) == "30s"
        assert "host time Fri 03:14:30 CDT" in app.screen.sub_title
        assert "data 4h old" in app.screen.sub_title


async def test_panes_say_what_the_incident_table_says() -> None:
    app = HostApp([sample("weblogs-2011")])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-wide")
        init = screen.query_one("#pane-init").text  # type: ignore[attr-defined]
        assert "/sbin/init" in init and "✗ BLOCKER" in init
        assert "offline disk has no PID 1" in init
        pk = screen.query_one("#pane-packages").text  # type: ignore[attr-defined]
        assert "sys-apps/sysvinit" in pk and "emerge resume list" in pk
        assert "not checked" in pk  # locks on an offline disk: unknown, not "none"
        assert "sys-apps/sysvinit at 2011-09-29 20:10 CDT" in pk  # host time, not UTC
        svc = screen.query_one("#pane-services").text  # type: ignore[attr-defined]
        assert "proftpd" in svc and "baselayout1" in svc
        boot = screen.query_one("#pane-boot").text  # type: ignore[attr-defined]
        assert "grub" in boot and "fstab" in boot
        findings = screen.query_one(FindingsList)
        assert findings.findings[0].severity.value == "blocker"
        # two columns: init and reboots side by side
        a, b = screen.query_one("#pane-init").region, screen.query_one("#pane-reboots").region
        assert a.y == b.y and a.right <= b.x


async def test_raw_sections_one_key_away_and_back() -> None:
    app = HostApp([sample("weblogs-2011")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")  # the reboots pane's table (1 is the boot chain)
        await pilot.press("v")
        raw = app.screen
        assert isinstance(raw, RawSectionsScreen)
        first = raw.sections[0]
        assert first.name == "reboots.spool.crontabs:/var/spool/cron/crontabs/root"
        assert all(s.name.startswith("reboots.") for s in raw.sections)
        assert "15 3 * * * /sbin/shutdown -r now" in raw.shown_text
        await pilot.press("escape")
        assert isinstance(app.screen, HostScreen)
        await pilot.press("f", "v")  # the worst finding: init.boot-init-missing
        raw = app.screen
        assert isinstance(raw, RawSectionsScreen)
        assert raw.sections[0].name == "init.boot:/sbin/init"
        await pilot.press("backspace")
        assert isinstance(app.screen, HostScreen)


async def test_enter_on_a_reboot_posts_reboot_selected() -> None:
    seen: list[Any] = []

    class Spy(HostScreen):
        def on_reboots_pane_reboot_selected(self, message: RebootsPane.RebootSelected) -> None:
            seen.append(message)

    class SpyApp(HostApp):
        screen_class = Spy

    app = SpyApp([sample("weblogs-2011")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter")
        await pilot.pause()
        assert len(seen) == 1
        msg = seen[0]
        assert msg.host == "weblogs-2011" and msg.reboot.source == "root's crontab"
        assert msg.key.startswith("root's crontab\n")


async def test_escape_goes_back_to_the_screen_below() -> None:
    app = HostApp([sample("debian12-systemd")])
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HostScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HostScreen)


async def test_bootable_host_and_a_host_not_yet_answered() -> None:
    app = HostApp([sample("fedora40-bls-reboot-scheduled")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        banner = banner_of(app)
        assert banner.has_class("-warning")
        assert "BOOTABLE" in banner.sentence and "22:30 EDT" in banner.sentence
        table = app.screen.query_one(RebootsPane).table
        assert table.row_count == 1
        entry = app.book.get("fedora40-bls-reboot-scheduled")
        assert entry is not None
        entry.state, entry.phase, entry.updated_at = None, "connecting", None
        app.screen.host_changed("fedora40-bls-reboot-scheduled")
        await pilot.pause()
        assert banner.has_class("-unknown")
        assert banner.sentence.startswith("CONNECTING")
        assert "no data yet" in app.screen.sub_title
        assert table.row_count == 0
        app.screen.host_changed("some-other-host")  # not ours: ignored


async def test_every_sample_renders_at_both_sizes() -> None:
    """One app holding all eight trees; each host view opened at 80x24 and 120x40."""
    names = sorted(p.name for p in SAMPLES.iterdir() if (p / "AT").is_file())
    app = HostApp([sample(n) for n in names])
    async with app.run_test(size=(80, 24)) as pilot:
        for size in ((80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            for name in names:
                app.pop_screen()
                await app.push_screen(HostScreen(name))
                await pilot.pause()
                banner = banner_of(app)
                word = banner.sentence.split(":")[0]
                assert f"{word}:" in screen_text(app), (name, size)
                assert banner.region.y <= 2 and banner.region.height <= 5, (name, size)
                assert app.screen.has_class("-wide") == (size[0] >= 120)


async def test_theme_switch_keeps_the_banner_word() -> None:
    from cockpit.ui.themes import register_all

    app = HostApp([sample("weblogs-2011")])
    async with app.run_test(size=(80, 24)) as pilot:
        register_all(app)
        for name in ("cockpit-light", "cockpit-high-contrast", "terminal", "cockpit-dark"):
            app.theme = name
            await pilot.pause()
            assert "✗ UNBOOTABLE" in screen_text(app)


ESCAPES = "\x1b]52;c;cm0gLXJmIC8K\x07\x1b]0;owned\x07\x1b[2J\x1b[31m"


def hostile_root(tmp_path: Path) -> Path:
    root = tmp_path / "hostile"
    for d in ("etc", "usr/bin", "sbin", "var/spool/cron/crontabs", "boot"):
        (root / d).mkdir(parents=True)
    (root / "etc/os-release").write_text("ID=debian\n")
    (root / "var/spool/cron/crontabs/root").write_bytes(
        b"15 3 * * * /sbin/reboot # [bold red]ALL CLEAR[/] [link=http://x/]y[/link] "
        + ESCAPES.encode()
        + b"\xff\xfe\r\n"
    )
    return root


async def test_hostile_sections_are_shown_escaped_and_the_screen_stays_usable(
    tmp_path: Path,
) -> None:
    root = hostile_root(tmp_path)
    with ThreadPoolExecutor(1) as pool:
        state = pool.submit(judge_root, root, "2024-06-12T20:00:00+00:00").result()
    app = HostApp([state])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reboots = app.screen.query_one(RebootsPane)
        assert reboots.reboots, "the real job is still found"
        shown = reboots.text + screen_text(app)
        assert "\x1b" not in shown and "\x07" not in shown
        assert "[bold red]ALL CLEAR[/]" in reboots.text  # literal, not styled
        assert "␛]52;c;" in reboots.text
        await pilot.press("3", "v")
        raw = app.screen
        assert isinstance(raw, RawSectionsScreen)
        assert "\x1b" not in raw.shown_text and "␛[2J" in raw.shown_text
        assert "[link=http://x/]" in raw.shown_text
        await pilot.press("escape", "f")
        assert isinstance(app.screen, HostScreen)
        assert banner_of(app).region.y <= 2  # the findings scrolled in; the banner stayed

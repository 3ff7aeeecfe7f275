"""CockpitApp: owns the HostBook, the clock, the session log and the refresh workers.

Data flows one way: workers (live refresh loops, or a replay source) post `HostPhase` /
`HostUpdated`; the app writes them into the book and tells every screen on the stack
which host changed; screens read the book. Every way out (q, ctrl+q, the command
palette, signals) goes through `request_quit(via)`, i.e. the quit guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import Any, ClassVar, Protocol

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from cockpit.hostspec import HostSpec
from cockpit.recording.session_log import NullLog, SessionLog
from cockpit.transports.base import Transport
from cockpit.ui.book import Clock, HostBook
from cockpit.ui.fleet_screen import FleetScreen
from cockpit.ui.host_screen import HostScreen
from cockpit.ui.messages import HostPhase, HostUpdated
from cockpit.ui.quit_guard import QuitGuard
from cockpit.ui.refresh import Refresher, TransportFactory, now_utc
from cockpit.ui.signals import install_signal_handlers
from cockpit.ui.themes import ThemeError, register_all, resolve, themes_dir

# Every module above is cockpit's own and imported here, at the top, on purpose: a broken
# one must stop the app from starting, loudly. Importing the quit guard lazily and
# exiting when that failed turned a packaging mistake into a silent exit past an
# unbootable host. Only optional third-party packages may be guarded.

THEMES_DIR = themes_dir()
#: Loaded first; every other .tcss in themes/ (one per screen, each scoped under its
#: screen's class) follows in name order, so a new screen's styles need no change here.
_FIRST = ("app.tcss", "fleet.tcss")


def css_path(themes: Path = THEMES_DIR) -> list[str | PurePath]:
    """The app's stylesheets, from the themes package (`cockpit.themes`), layout first."""
    found = sorted(p.name for p in themes.glob("*.tcss"))
    names = [n for n in _FIRST if n in found] + [n for n in found if n not in _FIRST]
    return [themes / n for n in names]


class UpdateSource(Protocol):
    """What replay provides instead of live workers: it posts HostUpdated messages."""

    async def run(self, post: Callable[[Any], object]) -> None: ...


def host_screen_class() -> Callable[[str], Screen[Any]]:
    """The host view; a function so that fleet tests can stand a placeholder in."""
    return HostScreen


class CockpitApp(App[object]):
    TITLE = "cockpit"
    CSS_PATH = css_path()
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "request_quit('q')", "Quit"),
        # Replaces Textual's own ctrl+q (which would exit without asking anyone), and its
        # ctrl+c (copy): a sysadmin's ctrl+c means leave, so it meets the guard too. Copy
        # is the mouse's selection or a finding's remedy (`c` in the host view).
        Binding("ctrl+q", "request_quit('ctrl+q')", "Quit", show=False, priority=True),
        Binding("ctrl+c", "request_quit('ctrl+c')", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
        Binding("n", "note", "Note"),
    ]

    def __init__(
        self,
        specs: list[HostSpec],
        *,
        log: SessionLog | None = None,
        clock: Clock | None = None,
        read_only: bool = False,
        theme: str | None = None,
        source: UpdateSource | None = None,
        transport_for: TransportFactory | None = None,
        hangup_ends_process: bool = False,
    ) -> None:
        """`hangup_ends_process`: the real command's app (cli/app_cmd.py); after SIGHUP
        the process ends within a second even if the app cannot (ui/signals.py)."""
        super().__init__()
        self.book = HostBook.of(specs)
        self.clock: Clock = clock or now_utc
        # Named session_log: Textual's App.log is its own logger and cannot be replaced.
        self.session_log: SessionLog = log if log is not None else NullLog()
        self.replay = source is not None
        self.read_only = read_only or self.replay
        self._theme_name = theme
        self._source = source
        self._refresher: Refresher | None = None
        self._transport_for = transport_for
        self._unsignal: Callable[[], None] = lambda: None
        self._guard: QuitGuard | None = None
        self._hangup_ends_process = hangup_ends_process

    # -- start and stop ----------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return FleetScreen()

    def on_mount(self) -> None:
        self.sub_title = self.header_text()
        self._apply_theme()
        self.set_interval(1.0, self.tick)
        if self._source is not None:
            self.run_worker(self._source.run(self.post_message), name="replay", group="source")
        else:
            self._start_refresh()
        self._unsignal = install_signal_handlers(self, hard_exit=self._hangup_ends_process)
        if len(self.book) == 1:
            self.push_screen(host_screen_class()(next(iter(self.book)).spec.name))

    def _apply_theme(self) -> None:
        """cockpit's and the user's TOML themes (ui/themes.py), then `--theme` or the
        default; an unknown name is said on screen and the default kept."""
        loaded = register_all(self)
        try:
            self.theme = resolve(self._theme_name, loaded)
        except ThemeError as exc:
            self.notify(str(exc), severity="warning", markup=False)

    def _start_refresh(self) -> None:
        specs = [entry.spec for entry in self.book]
        self._refresher = Refresher(
            specs,
            self.post_message,
            self.session_log,
            self.clock,
            transport_for=self._transport_for,
        )
        for spec in specs:
            self.run_worker(
                self._refresher.run_host(spec.name),
                name=f"refresh {spec.name}",
                group="refresh",
                exit_on_error=False,
            )

    async def on_unmount(self) -> None:
        self._unsignal()
        self.workers.cancel_group(self, "refresh")
        if self._refresher is not None:
            await self._refresher.aclose()

    def header_text(self) -> str:
        n = len(self.book)
        parts = [f"{n} host" + ("" if n == 1 else "s")]
        if self.replay:
            parts.append("REPLAY: read-only, no quit guard")
        elif self.read_only:
            parts.append("READ-ONLY")
        path = self.session_log.path
        parts.append(f"recording {path}" if path else "not recorded")
        return " · ".join(parts)

    # -- messages from workers -----------------------------------------------------------

    def on_host_updated(self, message: HostUpdated) -> None:
        entry = self.book.get(message.host)
        if entry is None:
            return
        now = self.clock()
        entry.record(message.state, message.taken_at, now, message.watch)
        entry.updated_at = now
        self._changed(message.host)

    def on_host_phase(self, message: HostPhase) -> None:
        entry = self.book.get(message.host)
        if entry is None:
            return
        entry.phase = message.phase
        entry.attempts = message.attempts
        entry.next_try_at = message.next_try_at
        self._changed(message.host)

    def _changed(self, name: str) -> None:
        for screen in self.screen_stack:
            changed = getattr(screen, "host_changed", None)
            if changed is not None:
                changed(name)

    def tick(self) -> None:
        """Every second: countdowns and ages move on the visible screen."""
        ticker = getattr(self.screen, "tick", None)
        if ticker is not None:
            ticker()

    # -- what screens call ---------------------------------------------------------------

    def refresh_host(self, name: str) -> None:
        if self._refresher is not None:
            self._refresher.wake(name)

    def refresh_all(self) -> None:
        if self._refresher is not None:
            self._refresher.wake_all()

    def transport_for_host(self, name: str) -> Transport:
        """The host's own transport (its pooled SSH connection, its sudo): actions write
        through the same path the refresh reads, never a second login."""
        entry = self.book.get(name)
        if entry is None or self._refresher is None:
            raise LookupError(f"{name}: not a live host in this session")
        return self._refresher.transport(entry.spec)

    def action_help(self) -> None:
        from cockpit.ui.help_screen import open_help

        open_help(self)

    def action_note(self) -> None:
        from cockpit.ui.note_screen import open_note

        open_note(self, getattr(self.screen, "host_name", None))

    def open_host(self, name: str) -> None:
        self.push_screen(host_screen_class()(name))

    # -- every way out -------------------------------------------------------------------

    def request_quit(self, via: str) -> None:
        """q, ctrl+q, the palette and signals all end here: the guard decides."""
        if self.replay:
            self.exit()
            return
        if self._guard is None:
            self._guard = QuitGuard(self.session_log, self.clock)
        self._guard.request(self, via)

    def action_request_quit(self, via: str) -> None:
        self.request_quit(via)

    async def action_quit(self) -> None:
        """Textual's quit action (anything that still calls it) goes through the guard."""
        self.request_quit("palette")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's, with Quit through the guard, then every action of the screen (its
        bindings: Refresh all, Filter, Disarm, Note...): cockpit/ui/palette.py."""
        from cockpit.ui.palette import system_commands

        yield from system_commands(self, screen, super().get_system_commands(screen))

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The banners' colours for themes that do not set them (Textual's own, a user's):
        white on dark red, black on amber, both well past WCAG's 7:1."""
        from cockpit.ui.themes import VARIABLE_DEFAULTS

        return {**super().get_theme_variable_defaults(), **VARIABLE_DEFAULTS}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n` is offered only where a note goes somewhere: not in replay (the session is
        over), and listed as unavailable when this session is not recorded."""
        if action == "note":
            if self.replay:
                return False
            return None if isinstance(self.session_log, NullLog) else True
        return True

"""The host view: the verdict banner, then the boot chain, init, reboots, packages,
services, boot and the findings.

Reads the app's HostBook and clock only (`app.book.get(name)`, `app.clock()`); the app
calls `host_changed(name)` when an entry changed and `tick()` every second. One "now"
per frame (`frame_now`): the top line's host time, the banner's countdown, the reboot
rows, the findings' own times and (in replay) the timeline bar are all said from it.

At 80x24 (a shared tmux session): one top line (host, mode, host time, age), the banner
(verdict and armed reboot, always in view), the panes scrolling below, and two lines of
key hints; from 120 columns the panes form a two-column grid.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget

from cockpit.actions import Offer, offers_for
from cockpit.recording.reboot_watch import view as watch_view
from cockpit.render import sentences
from cockpit.render.marks import SYMBOL
from cockpit.rules.finding import ArmedReboot
from cockpit.rules.when import countdown
from cockpit.state import HostState
from cockpit.ui.action_screen import actions_allowed
from cockpit.ui.book import HostEntry
from cockpit.ui.safe_text import safe_plain
from cockpit.ui.widgets.actions_menu import (
    READ_ONLY,
    ActionsMenu,
    no_offer_reason,
    offer_for_reboot,
    start_action,
)
from cockpit.ui.widgets.banner import VerdictBanner
from cockpit.ui.widgets.boot_pane import BootPane
from cockpit.ui.widgets.chain_pane import ChainPane
from cockpit.ui.widgets.findings_list import FindingsList
from cockpit.ui.widgets.init_pane import InitPane
from cockpit.ui.widgets.key_hints import BottomDock
from cockpit.ui.widgets.packages_pane import PackagesPane
from cockpit.ui.widgets.pane_base import FactPane
from cockpit.ui.widgets.raw_section_screen import RawSectionsScreen, relevant_sections
from cockpit.ui.widgets.reboots_pane import RebootsPane
from cockpit.ui.widgets.services_pane import ServicesPane
from cockpit.ui.widgets.top_bar import TopBar

#: Width from which the panes sit side by side (a 120x40 terminal and wider).
WIDE = 120
PANES = ("chain", "init", "reboots", "packages", "services", "boot", "findings")


def age(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s}s" if s < 120 else f"{s // 60}m" if s < 7200 else f"{s // 3600}h"


class HostScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "Fleet"),
        # Actions first (what an incident needs), every key fitting the footer at 80
        # columns. Shown only when the session may act; in read-only and replay the
        # hidden twins answer instead, so the keys say why nothing opens (check_action).
        Binding("d", "disarm", "Disarm"),
        Binding("a", "actions", "Actions"),
        Binding("d", "no_actions", show=False),
        Binding("a", "no_actions", show=False),
        Binding("v", "raw", "Raw"),
        Binding("r", "refresh_host", "Refresh"),
        Binding("R", "refresh_all", "Refresh all", show=False),
        Binding("f", "focus_pane('findings')", "Findings"),
        Binding(
            "1",
            "focus_pane('chain')",
            "Panes",
            key_display=f"1-{len(PANES)}",
            tooltip="pane: chain (2-7: the next panes)",
        ),
        *(
            Binding(str(i + 1), f"focus_pane('{pane}')", f"pane: {pane}", show=False)
            for i, pane in enumerate(PANES)
            if i
        ),
        Binding("c", "copy('remedy')", "Copy", tooltip="Copy the finding's remedy (or selection)"),
        Binding("C", "copy('evidence')", "Copy evidence", show=False),
    ]

    def __init__(self, name: str) -> None:
        super().__init__(classes="host-screen")
        self.host_name = name
        self._shown: HostState | None = None
        self._shown_any = False
        #: The time this frame was drawn at (host time if known): the timeline bar says it.
        self.frame_now: datetime | None = None

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield VerdictBanner(id="host-banner")
        with VerticalScroll(id="host-panes"):
            yield ChainPane(id="pane-chain")
            yield InitPane(id="pane-init")
            yield RebootsPane(id="pane-reboots")
            yield PackagesPane(id="pane-packages")
            yield ServicesPane(id="pane-services")
            yield BootPane(id="pane-boot")
            yield FindingsList(id="pane-findings")
        yield BottomDock()

    # -- data --------------------------------------------------------------------------

    @property
    def entry(self) -> HostEntry | None:
        return self.app.book.get(self.host_name)  # type: ignore[attr-defined, no-any-return]

    @property
    def state(self) -> HostState | None:
        entry = self.entry
        return entry.state if entry is not None else None

    def _now(self) -> tuple[datetime, datetime | None]:
        """(client now, host now), read once per frame: countdowns are in host time,
        ages in client time, and every time on the frame comes from this pair."""
        client: datetime = self.app.clock()  # type: ignore[attr-defined]
        entry = self.entry
        host_now = entry.host_now(client) if entry is not None else None
        self.frame_now = host_now or self._in_host_zone(client)
        return client, host_now

    def _in_host_zone(self, client: datetime) -> datetime:
        """No host clock on this frame (unreachable, never read): the client's time, said
        in the host's zone when the app knows it (replay: from the recording)."""
        zone_of = getattr(self.app, "host_zone", None)
        zone = zone_of(self.host_name) if zone_of is not None else None
        return client.astimezone(zone) if zone is not None else client

    def on_mount(self) -> None:
        self.title = safe_plain(self.host_name, one_line=True, max_line=80)
        self.redraw()
        self.query_one(ChainPane).focus()

    def on_screen_resume(self) -> None:
        self.redraw()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    def host_changed(self, name: str) -> None:
        # An answer can arrive (judged off the loop) before this screen is composed, or
        # while the app tears it down: nothing to draw then, on_mount draws it whole.
        if name == self.host_name and self.is_mounted and self.query(VerdictBanner):
            self.redraw()

    def tick(self) -> None:
        """Every second: the banner's countdown, the reboot rows, the data's age."""
        if not self.is_mounted or not self.query(VerdictBanner):
            return  # not composed yet, or being torn down (the app's exit): nothing to draw
        client, host_now = self._now()
        state = self.state
        self._banner(state, host_now)
        self.query_one(RebootsPane).tick(state, host_now)
        for pane in self.query(FactPane):
            pane.tick(state, host_now)
        self.query_one(FindingsList).tick(host_now)
        self._subtitle(client, host_now)

    def redraw(self) -> None:
        client, host_now = self._now()
        state = self.state
        self._banner(state, host_now)
        if state is not self._shown or not self._shown_any:
            self._shown, self._shown_any = state, True
            for pane in self.query(FactPane):
                pane.update_from(state, host_now)
            self.query_one(FindingsList).update_from(state, host_now)
        else:
            self.query_one(FindingsList).tick(host_now)
        self.query_one(RebootsPane).update_from(state, host_now)
        self._subtitle(client, host_now)

    def _banner(self, state: HostState | None, host_now: datetime | None) -> None:
        """The verdict sentence, led by the reboot watched through when there is one
        (`rebooting since 03:15:00 (root's crontab reboot fired…)`, `back after 47 s…`,
        with when it went down and came back, kernel and init before and after): what the
        state alone cannot say. Live and replay alike: both fold the same states."""
        entry = self.entry
        phase = entry.phase if entry is not None else "waiting"
        banner = sentences.banner(state, host_now, phase)
        seen = watch_view(entry.watch, host_now) if entry is not None else None
        if seen is not None:
            detail = f" ({seen.detail})" if seen.detail else ""
            banner = replace(banner, sentence=f"{seen.sentence}{detail}. {banner.sentence}")
            if seen.phase in ("rebooting", "not-back") or seen.level == "blocker":
                banner = replace(banner, symbol=SYMBOL[seen.level], severity=seen.level)
        self.query_one(VerdictBanner).show(banner)

    def _subtitle(self, client: datetime, host_now: datetime | None) -> None:
        """Most important first: the top line drops whole parts from the end."""
        entry = self.entry
        parts: list[str] = []
        if getattr(self.app, "replay", False):
            parts.append("REPLAY")
        elif getattr(self.app, "read_only", False):
            parts.append("READ-ONLY")
        if entry is not None and entry.state is not None:
            parts.append(entry.state.mode)
        if entry is not None and entry.phase != "ok":
            phase = entry.phase
            if phase == "backoff" and entry.next_try_at is not None:
                phase += f", retry in {countdown(entry.next_try_at, client)}"
            if entry.attempts:
                phase += f" ({entry.attempts} failed)"
            parts.append(phase)
        if host_now is not None:
            parts.append(f"host time {host_now.strftime('%a %H:%M:%S %Z')}")
        if entry is not None:
            if entry.updated_at is not None:
                parts.append(f"data {age((client - entry.updated_at).total_seconds())} old")
            else:
                parts.append("no data yet")
        self.sub_title = " · ".join(parts)
        self.query_one(TopBar).show(self.title or self.host_name, parts)

    # -- keys ----------------------------------------------------------------------------

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_refresh_host(self) -> None:
        refresh = getattr(self.app, "refresh_host", None)
        if refresh is not None:
            refresh(self.host_name)

    def action_refresh_all(self) -> None:
        refresh = getattr(self.app, "refresh_all", None)
        if refresh is not None:
            refresh()

    def action_copy(self, what: str) -> None:
        """`c`: the mouse's selection if there is one, else the highlighted finding's
        remedy (`C`: its evidence), to the clipboard (OSC 52: through tmux and ssh)."""
        selected = self.get_selected_text()
        finding = self.query_one(FindingsList).highlighted_finding
        if selected:
            text, said = selected, "the selected text"
        elif finding is None:
            self.notify("nothing to copy: select text with the mouse, or a finding (f)")
            return
        elif what == "evidence":
            text, said = "\n".join(finding.evidence), f"the evidence of {finding.id}"
        else:
            text, said = finding.remedy, f"the remedy of {finding.id}"
        self.app.copy_to_clipboard(text)
        self.notify(f"copied {said} ({len(text)} characters)", timeout=3)

    def action_focus_pane(self, pane: str) -> None:
        widget: Widget = self.query_one(f"#pane-{pane}")
        if isinstance(widget, RebootsPane):
            widget = widget.table
        widget.focus()

    def _focused_area(self) -> tuple[str | None, tuple[str, ...], str]:
        """(area, evidence, what) for the focused pane or finding (None: everything)."""
        node: Any = self.focused
        while node is not None and not hasattr(node, "AREA"):
            node = node.parent
        if isinstance(node, FindingsList):
            f = node.highlighted_finding
            if f is not None:
                return f.area, f.evidence, f"finding {f.id}"
            return None, (), "all sections"
        if isinstance(node, RebootsPane):
            row = node.table.cursor_row
            keys = list(node.reboots)
            if 0 <= row < len(keys):
                return "reboots", (node.reboots[keys[row]].evidence,), "the selected reboot"
            return "reboots", (), "pending reboots"
        if node is not None:
            return str(node.AREA), (), f"the {node.AREA} pane"
        return None, (), "all sections"

    def action_raw(self) -> None:
        area, evidence, what = self._focused_area()
        state = self.state
        snapshot = state.snapshot if state is not None else None
        found = relevant_sections(snapshot, area, evidence)
        self.app.push_screen(RawSectionsScreen(f"{self.host_name}: raw sections for {what}", found))

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("disarm", "actions"):
            return actions_allowed(self.app)
        if action == "no_actions":
            return not actions_allowed(self.app)
        if action in ("refresh_host", "refresh_all"):
            return not getattr(self.app, "replay", False)  # a recording has no host to ask
        return True

    def action_no_actions(self) -> None:
        self.notify(READ_ONLY, severity="warning")

    def _offers(self) -> list[Offer]:
        state = self.state
        return offers_for(state) if state is not None else []

    def action_disarm(self) -> None:
        """`d`: disarm the reboot under the pane's cursor (the first row if not moved)."""
        pane = self.query_one(RebootsPane)
        reboot = pane.selected
        if reboot is None:
            self.notify("no armed reboot to disarm (a: every action on this host)")
            return
        self._disarm(reboot)

    def _disarm(self, reboot: ArmedReboot) -> None:
        if not actions_allowed(self.app):
            self.notify(READ_ONLY, severity="warning")
            return
        offer = offer_for_reboot(self.state, self._offers(), reboot)
        if offer is None:
            self.notify(no_offer_reason(self.state, reboot), markup=False, timeout=6)
            return
        start_action(self.app, self.host_name, offer)

    def action_actions(self) -> None:
        """`a`: every offer of this host, re-arms of what cockpit disarmed included."""
        if not actions_allowed(self.app):
            self.notify(READ_ONLY, severity="warning")
            return
        offers = self._offers()
        if not offers:
            self.notify(
                "no actions for this host: nothing armed cockpit can disarm, nothing to re-arm"
            )
            return

        def chosen(offer: Offer | None) -> None:
            if offer is not None:
                start_action(self.app, self.host_name, offer)

        self.app.push_screen(ActionsMenu(self.host_name, offers), chosen)

    def on_reboots_pane_reboot_selected(self, message: RebootsPane.RebootSelected) -> None:
        """enter on a row: its disarm, as `d`."""
        message.stop()
        self._disarm(message.reboot)

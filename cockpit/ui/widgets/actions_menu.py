"""The host view's actions: which offer a reboot row means, and the `a` menu.

The host view asks two things: "what disarms this armed reboot?" (`d` or enter on a row
of the pending-reboots pane) and "what can I do on this host?" (`a`, which also lists the
re-arms for lines cockpit disarmed earlier, which are no longer rows). Both answers come
from `cockpit.actions.offers_for` on the state the admin sees; a row is matched to its
offer through the same fact both rest on (the file and the line), never by title text.
`start_action` is the one way into the confirmation screen: it refuses in read-only and
replay sessions, and uses the host's own transport (its pooled connection, its sudo).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cockpit.actions import ActionResult, Offer
from cockpit.rules.finding import ArmedReboot
from cockpit.state import HostState
from cockpit.ui.action_screen import actions_allowed, open_action
from cockpit.ui.safe_text import safe_plain, safe_text

READ_ONLY = "read-only session: no actions"
_DISARMS = ("disarm-cron", "disarm-script", "cancel-shutdown", "atrm")
#: Sources cockpit does not act on, and what to do by hand instead.
_BY_HAND = (
    ("systemd timer", "disable the timer by hand (systemctl disable --now)"),
    ("unattended-upgrades", 'set Unattended-Upgrade::Automatic-Reboot "false" by hand'),
    ("dnf-automatic", "set reboot = never in automatic.conf by hand"),
)


def offer_for_reboot(
    state: HostState | None, offers: list[Offer], reboot: ArmedReboot
) -> Offer | None:
    """The disarm offer for one armed-reboot row, or None.

    Cron and at rows say `path: line` (rules.reboots.armed); a run-parts script has one
    offer for all its reboot lines; a scheduled shutdown is found through its fact.
    """
    for offer in offers:
        line = f"{offer.path}: {offer.line.strip()}"
        if offer.kind in ("disarm-cron", "atrm") and reboot.evidence == line:
            return offer
        if offer.kind == "disarm-script" and reboot.evidence.startswith(f"{offer.path}: "):
            return offer
    if state is not None and state.facts is not None:
        for sd in state.facts.reboots.shutdowns:
            shown = sd.evidence[0] if sd.evidence else sd.path
            if sd.source == reboot.source and shown == reboot.evidence:
                for offer in offers:
                    if offer.kind == "cancel-shutdown" and offer.path == sd.path:
                        return offer
    return None


def no_offer_reason(state: HostState | None, reboot: ArmedReboot) -> str:
    """Why a row has no action: said, never a silent key."""
    source = safe_plain(reboot.source, one_line=True, max_line=60)
    if state is None or state.facts is None or state.snapshot is None or not state.reachable:
        return f"{source}: no action without a fresh read of the host (refresh first)"
    for prefix, how in _BY_HAND:
        if reboot.source.startswith(prefix):
            return f"{source}: no action for this source: {how}"
    return f"{source}: no action for this source: change it by hand"


def start_action(app: App[Any], host: str, offer: Offer) -> bool:
    """Open the confirmation for `offer` on `host`; False (and said why) if it cannot."""
    if not actions_allowed(app):
        app.notify(READ_ONLY, severity="warning")
        return False
    entry = app.book.get(host)  # type: ignore[attr-defined]
    if entry is None:
        app.notify(f"{safe_plain(host, one_line=True)}: not in this session", markup=False)
        return False
    try:
        transport = app.transport_for_host(host)  # type: ignore[attr-defined]
    except Exception as exc:  # not a live host, ssh unavailable: say so, open nothing
        app.notify(f"no action: {safe_plain(str(exc), one_line=True)}", markup=False)
        return False

    def done(result: ActionResult | None) -> None:
        if result is not None:
            word = "done" if result.ok else "not done"
            app.notify(
                f"{word}: {safe_plain(result.message, one_line=True, max_line=200)}",
                severity="information" if result.ok else "error",
                markup=False,
            )

    return open_action(app, offer, entry, transport, callback=done)


def menu_label(offer: Offer) -> Text:
    """One option: the offer's own title (host text, escaped), disarms marked first."""
    word = "disarm" if offer.kind in _DISARMS else "re-arm"
    label = Text(f"{word:<7} ", style="bold")
    label.append_text(safe_text(offer.title, one_line=True, max_line=160))
    return label


class ActionsMenu(ModalScreen[Offer | None]):
    """Every offer of one host; enter picks one (dismissed with it), escape picks none."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, host: str, offers: list[Offer]) -> None:
        super().__init__(classes="actions-menu")
        self.host = host
        self.offers = list(offers)

    def compose(self) -> ComposeResult:
        with Vertical(id="actions-box"):
            yield Static(
                safe_text(f"Actions on {self.host} (Enter chooses, Escape cancels)", one_line=True),
                id="actions-title",
            )
            yield OptionList(
                *(Option(menu_label(o), id=str(i)) for i, o in enumerate(self.offers)),
                id="actions-list",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.offers[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)

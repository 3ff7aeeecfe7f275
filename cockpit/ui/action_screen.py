"""Confirm one action on one host: what changes, exactly, then type the host's name.

Opened from the host's pending-reboots pane with an `Offer` (cockpit.actions.offers_for).
On mount it reads the file fresh on the host (apply.prepare) and shows the exact line
before and after, or, if the file changed since the refresh the admin saw, the refusal
and the difference (nothing can be confirmed then). Confirming takes typing the host's
name (molly-guard's rule); the write is compare-and-swap on the host, recorded through
the app's SessionLog whatever its outcome, and the host is refreshed at once. Read-only
and replay apps never open it (`open_action` says no, and the screen closes itself).

Dismisses with the ActionResult, or None if nothing was done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from cockpit.actions import ActionResult, Offer, Plan, execute, prepare
from cockpit.recording.session_log import NullLog, SessionLog
from cockpit.recording.writer import session_user
from cockpit.rules.finding import Severity
from cockpit.transports.base import Transport
from cockpit.ui.book import HostEntry
from cockpit.ui.safe_text import safe_text
from cockpit.words import Verdict

DEFAULT_REASON = {
    "disarm-cron": "disarmed from cockpit",
    "rearm-cron": "re-armed from cockpit",
}


def default_reason(offer: Offer, entry: HostEntry) -> str:
    """What the marker says unless the admin types otherwise: the blocker, if there is one."""
    state = entry.state
    if offer.kind == "disarm-cron" and state is not None and state.verdict == Verdict.UNBOOTABLE:
        blockers = [f for f in state.findings if f.severity is Severity.BLOCKER]
        if blockers:
            return f"host unbootable: {blockers[0].title}"[:120]
    return DEFAULT_REASON.get(offer.kind, "")


def actions_allowed(app: App[Any]) -> bool:
    """No actions at all in a read-only or replay session."""
    return not (getattr(app, "read_only", False) or getattr(app, "replay", False))


def open_action(
    app: App[Any],
    offer: Offer,
    entry: HostEntry,
    transport: Transport,
    log: SessionLog | None = None,
    callback: Callable[[ActionResult | None], Any] | None = None,
) -> bool:
    """Push the confirmation for `offer`, unless the session may not act (then False)."""
    if not actions_allowed(app):
        app.notify("read-only session: no actions", severity="warning")
        return False
    log = log if log is not None else getattr(app, "session_log", NullLog())
    app.push_screen(ActionScreen(offer, entry, transport, log), callback)
    return True


class ActionScreen(ModalScreen[ActionResult | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel / close", show=True),
    ]
    DEFAULT_CSS = """
    ActionScreen { align: center middle; }
    ActionScreen #action-box {
        width: 90%; max-width: 120; height: auto; max-height: 90%;
        border: thick $warning; background: $panel; padding: 0 1;
    }
    ActionScreen #action-title { text-style: bold; }
    ActionScreen #action-plan { height: auto; max-height: 16; }
    ActionScreen .-refused { color: $text-error; }
    ActionScreen .-done { color: $text-success; }
    ActionScreen #action-error { color: $text-error; }
    """

    def __init__(
        self,
        offer: Offer,
        entry: HostEntry,
        transport: Transport,
        log: SessionLog,
        *,
        user: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(classes="action")
        self.offer = offer
        self.entry = entry
        self.transport = transport
        self.session_log = log
        self.user = user or session_user()  # the marker names who the record names
        self._clock = clock
        self.plan: Plan | None = None
        self.planned_reason: str | None = None
        self.result: ActionResult | None = None
        self.busy = False

    @property
    def host(self) -> str:
        return self.entry.spec.name

    def compose(self) -> ComposeResult:
        with Vertical(id="action-box"):
            yield Static(safe_text(self.offer.title, one_line=True), id="action-title")
            yield Static(Text(f"host {self.host} ({self.offer.mode})"), id="action-host")
            yield VerticalScroll(Static(Text("reading the file on the host…"), id="action-plan"))
            yield Input(
                value=default_reason(self.offer, self.entry),
                placeholder="reason (goes in the marker comment)",
                id="action-reason",
            )
            yield Static(Text(""), id="action-prompt")
            yield Input(placeholder=self.host, id="action-confirm", disabled=True)
            yield Static(Text(""), id="action-error")

    def on_mount(self) -> None:
        if not actions_allowed(self.app):
            self.dismiss(None)
            return
        self.query_one("#action-reason", Input).display = self.offer.kind in DEFAULT_REASON
        self.run_worker(self._prepare(), name="action-prepare", exit_on_error=False)

    def _now(self) -> datetime:
        """The given clock, else the app's (frozen in tests), else the real one."""
        clock = self._clock or getattr(self.app, "clock", None)
        return clock() if callable(clock) else datetime.now(timezone.utc)

    async def _prepare(self) -> Plan:
        reason = self.query_one("#action-reason", Input).value
        at = self.entry.host_now(self._now()) or self._now()
        self.plan = await prepare(self.transport, self.offer, at, self.user, reason)
        self.planned_reason = reason
        self._show_plan(self.plan)
        return self.plan

    def _show_plan(self, plan: Plan) -> None:
        body = self.query_one("#action-plan", Static)
        prompt = self.query_one("#action-prompt", Static)
        confirm = self.query_one("#action-confirm", Input)
        if not plan.ok:
            text = safe_text(f"REFUSED: {plan.message}\n", "bold")
            if plan.diff:
                text.append_text(safe_text(plan.diff))
            body.update(text)
            body.add_class("-refused")
            prompt.update(Text("Nothing will be written. Escape to close, then refresh."))
            return
        text = Text()
        text.append("before: ", style="bold")
        text.append_text(safe_text(plan.before_line, one_line=True))
        text.append("\nafter:  ", style="bold")
        text.append_text(safe_text(plan.after_line, one_line=True))
        body.update(text)
        prompt.update(
            Text.assemble("Type ", (self.host, "bold reverse"), " and press Enter to do it.")
        )
        confirm.disabled = False
        confirm.focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "action-reason":
            self.run_worker(self._prepare(), name="action-prepare", exit_on_error=False)
            return
        if self.plan is None or not self.plan.ok or self.busy or self.result is not None:
            return
        if event.value.strip() != self.host:
            shown = event.value.strip()[:40]
            self.query_one("#action-error", Static).update(
                safe_text(f"'{shown}' is not {self.host}: type it exactly, or Escape.")
            )
            return
        self.busy = True
        event.input.disabled = True
        self.query_one("#action-error", Static).update(Text("working…"))
        self.run_worker(self._execute(self.plan), name="action-execute", exit_on_error=False)

    async def _execute(self, plan: Plan) -> None:
        if self.query_one("#action-reason", Input).value != self.planned_reason:
            plan = await self._prepare()  # the reason was edited: the marker must say it
            if not plan.ok:
                self.busy = False
                return
        result = await execute(self.transport, plan, self.session_log, self._now())
        self.result = result
        self.busy = False
        refresh = getattr(self.app, "refresh_host", None)
        if callable(refresh):
            refresh(self.host)
        body = self.query_one("#action-plan", Static)
        text = safe_text(("DONE: " if result.ok else "FAILED: ") + result.message + "\n", "bold")
        if result.diff:
            text.append_text(safe_text(result.diff))
        body.update(text)
        body.set_class(result.ok, "-done")
        body.set_class(not result.ok, "-refused")
        # Done (or failed): there is nothing left to type. The name prompt and the reason
        # go, so nobody reads "Type web1 and press Enter" under DONE and types it again.
        self.query_one("#action-reason", Input).display = False
        self.query_one("#action-confirm", Input).display = False
        said = "Done" if result.ok else "Failed"
        self.query_one("#action-prompt", Static).update(
            Text(f"{said}: nothing more to type; the host is being read again.")
        )
        self.query_one("#action-error", Static).update(Text("Escape to close."))

    def action_close(self) -> None:
        if self.busy:
            return  # the write is in flight: its outcome must be seen (and is recorded)
        self.dismiss(self.result)

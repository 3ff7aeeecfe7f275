"""Actions on the record: disarm/re-arm a reboot, cancel a shutdown, remove an at job.

offers (pure: what a HostState offers) -> apply.prepare (fresh read, refuse if changed,
plan) -> confirmation (the UI) -> apply.execute (compare-and-swap write on the host, then
SessionLog.action). cron_text and marker are the pure line edits; scripts the sh that runs
on the host. Nothing here imports textual or rich.
"""

from cockpit.actions.apply import ActionResult, Plan, execute, prepare
from cockpit.actions.offers import KINDS, Offer, offers_for

__all__ = ["KINDS", "ActionResult", "Offer", "Plan", "execute", "offers_for", "prepare"]

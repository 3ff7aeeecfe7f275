"""Run an offer on its host: read fresh, plan, then write with compare-and-swap, and record.

Two round trips through the host's own transport (local, offline root, or the ssh
connection the refreshes use, with `sudo -n` where configured):

1. `prepare`: read the file exactly as it is now (the refresh's copy is capped and
   line-normalized, fine for judging but not for writing), refuse with a diff if it
   differs from what the refresh showed the admin, and plan the new content. The
   confirmation screen shows this plan before asking for the host's name.
2. `execute`: the write script carries the exact bytes the plan was made from and refuses
   if the file changed in between; the outcome (content before and after) goes on the
   record through the SessionLog, whatever it is.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from cockpit.actions import cron_text, offline, scripts
from cockpit.actions.offers import Offer
from cockpit.recording.session_log import SessionLog
from cockpit.transports.base import CollectError, Transport
from cockpit.transports.offline import OfflineRootTransport
from cockpit.words import Mode

TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Plan:
    """What the action will do, made from a fresh read; `ok` False: refused, say why."""

    offer: Offer
    ok: bool
    message: str
    before_line: str = ""
    after_line: str = ""
    before: str = ""  # whole content (or mode) before, as text
    after: str = ""  # whole content (or mode) after, as planned
    diff: str = ""  # refused: refresh vs now; ok: before vs after
    expected: bytes = b""  # the bytes the write must still find on the host
    new: bytes = b""  # the bytes to write (a live spool: the table for `crontab -u`)
    mode: int | None = None
    new_mode: int | None = None


@dataclass(frozen=True)
class ActionResult:
    ok: bool
    message: str
    before: str
    after: str
    diff: str
    refused: bool = False  # the file changed: nothing was written


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _safe(text: str) -> str:
    """surrogateescape'd text -> plain text (for the record and the screen)."""
    return _text(cron_text.encode(text))


def diff(a: str, b: str, a_name: str, b_name: str) -> str:
    lines = difflib.unified_diff(
        a.splitlines(keepends=True), b.splitlines(keepends=True), a_name, b_name, n=2
    )
    return "".join(ln if ln.endswith("\n") else ln + "\n" for ln in lines)


def same_as_seen(seen: str, truncated: bool, now: bytes) -> bool:
    """Does the file now match what the refresh read? The collector decodes as UTF-8
    with replacement and may add a missing final newline (and cut at its cap)."""
    text = _text(now)
    if seen in (text, text + "\n"):
        return True
    return truncated and (text + "\n").startswith(seen.rstrip("\n"))


def _root(transport: Transport) -> str:
    return transport.spec.root if transport.mode == Mode.OFFLINE else ""


def _local_root(transport: Transport) -> str | None:
    """The directory of an offline root on this machine: its files are read and written
    here, in Python, resolved inside the root (actions/offline.py), never by a script
    whose paths the kernel would resolve through the root's links. None otherwise (a
    live host runs the scripts; a replay has nothing to write)."""
    return transport.spec.root if isinstance(transport, OfflineRootTransport) else None


def _live_spool(transport: Transport, offer: Offer) -> bool:
    return transport.mode == Mode.LIVE and offer.spool_user is not None


async def _run(transport: Transport, script: str, token: str) -> scripts.Answer:
    try:
        raw = await transport.run(script, TIMEOUT_S)
    except CollectError as exc:
        return scripts.Answer("error", f"{exc.category}: {exc.message}")
    except Exception as exc:  # a host key error, a pool closed: say so, never hang the screen
        return scripts.Answer("error", f"{type(exc).__name__}: {exc}")
    return scripts.parse_answer(raw, token)


async def prepare(
    transport: Transport,
    offer: Offer,
    at: datetime | None = None,
    user: str = "unknown",
    reason: str = "disarmed from cockpit",
) -> Plan:
    """Read the target fresh and plan the change; `at`/`user`/`reason` go in the marker."""
    at = at or datetime.now(timezone.utc)
    token = scripts.new_token()
    spool_user = offer.spool_user if _live_spool(transport, offer) else None
    local = _local_root(transport)
    if local is not None:
        answer = offline.read(local, offer.path)
    else:
        read = scripts.read_script(token, _root(transport), offer.path, spool_user)
        answer = await _run(transport, read, token)
    if answer.status != "ok":
        return Plan(offer, False, f"cannot read {offer.path}: {answer.message}")
    content = answer.sections.get("content")
    meta = _text(answer.sections.get("meta", b"")).split()
    if meta[:1] == ["symlink"]:
        return Plan(offer, False, f"{offer.path} is a symlink: edit its target by hand")
    if content is None:
        return Plan(offer, False, f"{offer.path} is gone since the refresh: refresh first")
    if offer.seen is None:
        return Plan(offer, False, f"the refresh did not read {offer.path}: nothing to compare")
    if not same_as_seen(offer.seen, offer.seen_truncated, content):
        return Plan(
            offer,
            False,
            f"{offer.path} changed since the refresh you saw: refused (refresh and look again)",
            diff=diff(offer.seen, _text(content), "as the refresh saw it", "now on the host"),
        )
    where = _text(answer.sections.get("where", b""))
    ready = f"ready ({offer.path} is {where} in the root)" if where else "ready"
    base = Plan(offer, True, ready, expected=content)
    try:
        mode = int(meta[0], 8) if meta and meta[0] != "unknown" else None
    except ValueError:
        mode = None
    if offer.kind in ("disarm-cron", "rearm-cron"):
        body = answer.sections.get("body", b"") if spool_user else content
        return _plan_cron(base, body, at, user, reason)
    if offer.kind in ("disarm-script", "rearm-script"):
        return _plan_chmod(base, mode)
    if offer.kind in ("cancel-shutdown", "atrm"):
        text = _text(content)
        return replace(base, before_line=offer.title, after_line="(gone)", before=text)
    return Plan(offer, False, f"unknown action {offer.kind!r}")


def _plan_cron(base: Plan, body: bytes, at: datetime, user: str, reason: str) -> Plan:
    offer = base.offer
    text = cron_text.decode(body)
    try:
        if offer.kind == "disarm-cron":
            edit = cron_text.disarm(
                text, offer.line, at, user, reason, offer.system, offer.occurrence,
                check_job=not offer.anacron,
            )  # fmt: skip
        else:
            edit = cron_text.rearm(text, offer.line, offer.occurrence)
    except cron_text.EditError as exc:
        return replace(base, ok=False, message=str(exc))
    return replace(
        base,
        before_line=_safe(edit.before),
        after_line=_safe(edit.after),
        before=_safe(text),
        after=_safe(edit.text),
        diff=diff(_safe(text), _safe(edit.text), f"{offer.path} now", f"{offer.path} after"),
        new=cron_text.encode(edit.text),
    )


def _plan_chmod(base: Plan, mode: int | None) -> Plan:
    offer = base.offer
    if mode is None:
        return replace(base, ok=False, message=f"cannot read the mode of {offer.path}")
    if offer.kind == "disarm-script":
        if not mode & 0o111:
            return replace(base, ok=False, message=f"{offer.path} is not executable already")
        new = mode & ~0o111
    else:
        new = mode | ((mode & 0o444) >> 2)  # execute wherever it is readable, as it was
        if new == mode:
            return replace(base, ok=False, message=f"{offer.path} is executable already")
    return replace(
        base,
        before_line=f"mode {mode:04o}",
        after_line=f"mode {new:04o}",
        before=f"mode {mode:04o}",
        after=f"mode {new:04o}",
        mode=mode,
        new_mode=new,
    )


def target(offer: Offer) -> str:
    """What the record names as the action's target."""
    if offer.kind == "atrm":
        return f"at job {offer.job}: {offer.path}"
    if offer.kind in ("disarm-cron", "rearm-cron"):
        return f"{offer.path}: {offer.line.strip()}"
    return offer.path


def _write_script(transport: Transport, plan: Plan, token: str) -> str:
    offer, root = plan.offer, _root(transport)
    live = transport.mode == Mode.LIVE
    if offer.kind in ("disarm-cron", "rearm-cron"):
        if _live_spool(transport, offer):
            assert offer.spool_user is not None
            return scripts.crontab_install_script(
                token, offer.path, offer.spool_user, plan.expected, plan.new
            )
        return scripts.atomic_write_script(token, root, offer.path, plan.expected, plan.new)
    if offer.kind in ("disarm-script", "rearm-script"):
        assert plan.mode is not None and plan.new_mode is not None
        return scripts.chmod_script(
            token, root, offer.path, plan.expected, plan.mode, plan.new_mode
        )
    command = None
    if live:
        command = f"atrm {int(offer.job or 0)}" if offer.kind == "atrm" else offer.command
    return scripts.remove_script(token, root, offer.path, plan.expected, command)


def _write_offline(root: str, plan: Plan) -> scripts.Answer:
    """The write of `plan` on an offline root (actions/offline.py), as _write_script's."""
    offer = plan.offer
    if offer.kind in ("disarm-cron", "rearm-cron"):
        return offline.atomic_write(root, offer.path, plan.expected, plan.new)
    if offer.kind in ("disarm-script", "rearm-script"):
        assert plan.mode is not None and plan.new_mode is not None
        return offline.chmod(root, offer.path, plan.expected, plan.mode, plan.new_mode)
    return offline.remove(root, offer.path, plan.expected)


async def execute(
    transport: Transport, plan: Plan, log: SessionLog, at: datetime | None = None
) -> ActionResult:
    """Write the plan (compare-and-swap on the host) and record the outcome."""
    offer = plan.offer
    if not plan.ok:
        return ActionResult(False, plan.message, plan.before, plan.before, plan.diff, True)
    local = _local_root(transport)
    if local is not None:
        answer = _write_offline(local, plan)
    else:
        token = scripts.new_token()
        answer = await _run(transport, _write_script(transport, plan, token), token)
    result = _result(plan, answer)
    log.action(
        at or datetime.now(timezone.utc),
        offer.host,
        offer.kind,
        target(offer),
        result.before,
        result.after,
        result.ok,
        result.message,
    )
    return result


def _result(plan: Plan, answer: scripts.Answer) -> ActionResult:
    offer = plan.offer
    got = answer.sections
    if answer.status == "refused":
        now = _text(got["current"]) if "current" in got else "(gone)"
        if "current_meta" in got:
            now = "mode " + _text(got["current_meta"]).split()[0]
        changed = "current" in got or "current_meta" in got or "gone" in answer.message
        return ActionResult(
            False,
            f"refused: {answer.message} (nothing was written)",
            plan.before,
            plan.before,
            diff(_text(plan.expected), now, "as planned from", "now on the host")
            if changed
            else "",
            refused=True,
        )
    if answer.status != "ok":
        return ActionResult(False, answer.message, plan.before, plan.before, "")
    where = _text(got.get("where", b""))
    note = f" (in the root: {where})" if where else ""
    if offer.kind in ("disarm-script", "rearm-script"):
        mode = _text(got.get("meta", b"")).split()[:1]
        after = f"mode {int(mode[0], 8):04o}" if mode else "mode unknown"
        return ActionResult(
            True, f"{offer.path}: {plan.before} -> {after}{note}", plan.before, after, ""
        )
    if offer.kind in ("cancel-shutdown", "atrm"):
        return ActionResult(True, f"{target(offer)}: removed{note}", plan.before, "", "")
    after = _text(got["body"] if "body" in got else got.get("after", b""))
    message = f"{offer.path} line {plan.before_line!r} -> {plan.after_line!r}{note}"
    if after != plan.after:
        message += " (the host's copy differs from the plan: see the diff)"
    return ActionResult(
        True, message, plan.before, after, diff(plan.before, after, "before", "after")
    )

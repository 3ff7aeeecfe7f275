"""`cockpit check`: judge the selected hosts once and exit like a monitoring plugin."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from cockpit.budget import Judge, within_budget
from cockpit.cli.args import ArgumentParser, plugin_status
from cockpit.cli.hosts import SelectionError, add_selection_arguments, select_hosts
from cockpit.cli.output import emit
from cockpit.escape import escaped, plugin_text
from cockpit.hostspec import HostSpec
from cockpit.recording import JsonlRecorder, NullLog, RecordingError, SessionLog
from cockpit.render import formats, text_out
from cockpit.state import HostState
from cockpit.transports import CollectError, collect
from cockpit.transports.factory import SshUnavailable, ssh_pool, transport_for
from cockpit.words import Mode

#: A host's whole check (connect + collect) gets --timeout; the collector run itself gets
#: the same bound, and this grace lets the run's own timeout fire first (it stops the
#: local child or closes the channel and says what timed out); the outer bound catches
#: what the run's cannot, such as a connection that never completes.
TIMEOUT_GRACE_S = 2.0
DEFAULT_TIMEOUT_S = 60.0


async def check_host(
    spec: HostSpec,
    at: datetime | None,
    pool: Any = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    log: SessionLog | None = None,
) -> HostState:
    """One host, whatever happens to it: its failure becomes its own state, never the run's.
    With a `log` (--record), the raw snapshot or the error goes on the record."""
    mode = Mode.of_kind(spec.kind)
    log = log or NullLog()
    try:
        transport = transport_for(spec, pool)
        snapshot = await asyncio.wait_for(
            collect(transport, timeout=timeout), timeout + TIMEOUT_GRACE_S
        )
    except CollectError as exc:
        failed = HostState.failed(spec.name, mode, exc.category, exc.message)
    except asyncio.TimeoutError:
        failed = HostState.failed(spec.name, mode, "timeout", f"no answer within {timeout:g}s")
    except Exception as exc:  # a bug must cost one host, not the fleet's report
        failed = HostState.failed(spec.name, mode, "internal", f"{type(exc).__name__}: {exc}")
    else:
        snapshot = within_budget(snapshot)
        log.snapshot(snapshot)
        return await Judge().judge(snapshot, at)  # off the loop: the other hosts go on
    log.error(
        spec.name, failed.error_category or "", failed.error or "", datetime.now(timezone.utc)
    )
    return failed


async def check_all(
    specs: Sequence[HostSpec],
    at: datetime | None,
    timeout: float = DEFAULT_TIMEOUT_S,
    log: SessionLog | None = None,
) -> list[HostState]:
    """Every host concurrently; ssh hosts share one pool, closed before returning."""
    pool = None
    unavailable = None
    if any(s.kind == "ssh" for s in specs):
        try:
            pool = ssh_pool(timeout)
        except SshUnavailable as exc:
            unavailable = str(exc)

    async def one(spec: HostSpec) -> HostState:
        if spec.kind == "ssh" and unavailable:
            if log is not None:
                log.error(spec.name, "unsupported", unavailable, datetime.now(timezone.utc))
            return HostState.failed(spec.name, Mode.LIVE, "unsupported", unavailable)
        return await check_host(spec, at, pool, timeout, log)

    try:
        return list(await asyncio.gather(*(one(s) for s in specs)))
    finally:
        if pool is not None:
            await pool.close()


def parse_timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 86400:
        raise SelectionError(f"--timeout {text!r} is not a number of seconds (e.g. 30)")
    return value


def parse_at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SelectionError(
            f"--at {text!r} is not ISO-8601 (e.g. 2011-09-29T23:00:00-05:00)"
        ) from exc


def unknown_status(message: str) -> str:
    """`COCKPIT UNKNOWN - message`: its first line a status line (no `|`), the rest (an
    inventory's problems, quoting its host names) escaped line by line."""
    first, *rest = message.split("\n")
    return "\n".join([f"COCKPIT UNKNOWN - {plugin_text(first)}", *map(escaped, rest)]) + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="cockpit check",
        say=plugin_status,
        description="Judge hosts once: will each come back from a reboot, and when is one armed?",
        epilog="Exit codes: 0 OK, 1 WARNING, 2 CRITICAL (unbootable or critical), 3 UNKNOWN.",
    )
    add_selection_arguments(parser)
    parser.add_argument("--at", metavar="ISO-8601", help="fix 'now' (offline roots, tests)")
    parser.add_argument(
        "--format",
        choices=formats.FORMATS,
        default="text",
        help="text (default: the nagios line, then details), nagios, json, openmetrics",
    )
    parser.add_argument(
        "--timeout",
        default=str(DEFAULT_TIMEOUT_S),
        metavar="SECONDS",
        help=f"per host: connect and collect (default {DEFAULT_TIMEOUT_S:g})",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="all evidence, info findings")
    parser.add_argument(
        "--record",
        metavar="FILE",
        help="record the raw snapshots and errors (replay or report them later)",
    )
    return parser


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    try:
        specs = select_hosts(args)
        at = parse_at(args.at)
        timeout = parse_timeout(args.timeout)
    except SelectionError as exc:
        emit(unknown_status(str(exc)))
        return 3
    log: SessionLog | None = None
    if args.record:
        try:
            log = JsonlRecorder.create(
                args.record,
                argv=["cockpit", "check", *argv],
                hosts=specs,
                now=datetime.now(timezone.utc).astimezone(),
            )
        except RecordingError as exc:
            emit(unknown_status(str(exc)))
            return 3
    try:
        states = asyncio.run(check_all(specs, at, timeout, log))
    finally:
        if log is not None:
            log.close()
    if isinstance(log, JsonlRecorder) and log.failed:
        print(f"cockpit check: recording stopped: {log.failed}", file=sys.stderr)
    emit(formats.render(args.format, states, args.verbose, datetime.now(timezone.utc)))
    return text_out.exit_code(states)  # even when the reader left early (`| head -c 100`)

"""`cockpit check`: judge the selected hosts once and exit like a monitoring plugin."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import datetime, timezone

from cockpit.cli.hosts import SelectionError, add_selection_arguments, select_hosts
from cockpit.engine import judge_snapshot
from cockpit.render import json_out, text_out
from cockpit.state import HostState
from cockpit.transports import (
    CollectError,
    HostSpec,
    LocalTransport,
    OfflineRootTransport,
    Transport,
    collect,
)


def transport_for(spec: HostSpec) -> Transport:
    if spec.kind == "offline":
        return OfflineRootTransport(spec)
    return LocalTransport(spec)


async def check_host(spec: HostSpec, at: datetime | None) -> HostState:
    transport = transport_for(spec)
    try:
        snapshot = await collect(transport)
    except CollectError as exc:
        return HostState.failed(spec.name, transport.mode, exc.category, exc.message)
    return judge_snapshot(snapshot, at)


async def check_all(specs: Sequence[HostSpec], at: datetime | None) -> list[HostState]:
    return list(await asyncio.gather(*(check_host(s, at) for s in specs)))


def parse_at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SelectionError(
            f"--at {text!r} is not ISO-8601 (e.g. 2011-09-29T23:00:00-05:00)"
        ) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cockpit check",
        description="Judge hosts once: will each come back from a reboot, and when is one armed?",
        epilog="Exit codes: 0 OK, 1 WARNING, 2 CRITICAL (unbootable or critical), 3 UNKNOWN.",
    )
    add_selection_arguments(parser)
    parser.add_argument("--at", metavar="ISO-8601", help="fix 'now' (offline roots, tests)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("-v", "--verbose", action="store_true", help="all evidence, info findings")
    return parser


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    try:
        specs = select_hosts(args)
        at = parse_at(args.at)
    except SelectionError as exc:
        print(f"COCKPIT UNKNOWN - {exc}", file=sys.stdout)
        return 3
    states = asyncio.run(check_all(specs, at))
    if args.format == "json":
        doc = json_out.document(states, datetime.now(timezone.utc))
        print(json.dumps(doc, indent=2, ensure_ascii=True))
    else:
        sys.stdout.write(text_out.render(states, args.verbose))
    return text_out.exit_code(states)

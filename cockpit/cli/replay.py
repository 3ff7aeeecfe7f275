"""`cockpit replay FILE [--speed X] [--start ISO-8601]`: the session's screens again.

Read-only, no quit guard, on the recorded clock. A file that is not a readable recording
exits 3 (UNKNOWN, as `cockpit check` does for what it cannot read) with one line saying
what the file is and what to do; lines that could not be trusted are listed on stderr
before the screen opens, and the bar says the first of them.

`--speed X` (1 to 1000) starts playing at that speed; without it replay opens paused on
the first event (space plays). `--start` opens at that time (a time without an offset is
in the recording's own zone).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime

from cockpit.cli.args import ArgumentParser
from cockpit.recording.cursor import MAX_SPEED, MIN_SPEED
from cockpit.recording.format import RecordingError
from cockpit.recording.reader import open_recording

UNKNOWN = 3


def _speed(text: str) -> float:
    try:
        value = float(text.rstrip("xX"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a speed: {text!r} (1 to 1000, e.g. 60)") from None
    if not MIN_SPEED <= value <= MAX_SPEED:
        raise argparse.ArgumentTypeError(f"speed {text} is outside 1 to 1000")
    return value


def _time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO-8601 time: {text!r} (e.g. 2011-09-29T23:00:00-05:00)"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="cockpit replay", description="Replay a cockpit recording.")
    parser.add_argument("file", metavar="FILE", help="a recording (JSON Lines)")
    parser.add_argument("--speed", type=_speed, default=None, help="1 to 1000; starts playing")
    parser.add_argument("--start", type=_time, default=None, metavar="ISO-8601")
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def main(argv: Sequence[str]) -> int:
    args = parse(argv)
    try:
        recording = open_recording(args.file)
    except RecordingError as exc:
        print(f"cockpit replay: {exc}", file=sys.stderr)
        return UNKNOWN
    if not recording.hosts:
        print(f"cockpit replay: {args.file} names no hosts: nothing to show", file=sys.stderr)
        return UNKNOWN
    start = args.start
    if start is not None and start.tzinfo is None:
        start = start.replace(tzinfo=recording.start.tzinfo)
    if start is not None and not recording.start <= start <= recording.end:
        print(
            f"cockpit replay: --start {args.start.isoformat()} is outside the recording "
            f"({recording.start.isoformat()} to {recording.end.isoformat()})",
            file=sys.stderr,
        )
        return UNKNOWN
    said = recording.issues
    for issue in said:
        print(f"cockpit replay: skipped: {issue}", file=sys.stderr)

    from cockpit.ui.replay_app import ReplayApp
    from cockpit.ui.replay_source import ReplaySource

    source = ReplaySource(
        recording, start=start, speed=args.speed or 1.0, play=args.speed is not None
    )
    ReplayApp(recording, source).run()
    # Lines in the middle are found only when replay reads past them: say those too.
    for issue in recording.issues:
        if issue not in said:
            print(f"cockpit replay: skipped: {issue}", file=sys.stderr)
    return 0

"""`cockpit report FILE [--format markdown|json]`: a recording as a post-mortem timeline.

Exit codes: 0 the report was written (even if the recording had damaged lines: they are
listed at its top), 3 the file cannot be read as a recording (one line on stderr saying
why), as with `cockpit check`'s usage mistakes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from cockpit.cli.args import ArgumentParser
from cockpit.cli.output import emit
from cockpit.recording.format import RecordingError
from cockpit.recording.reader import open_recording
from cockpit.recording.report_json import document
from cockpit.recording.report_markdown import render
from cockpit.recording.timeline_events import recording_timeline


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="cockpit report",
        description="Turn a recording into a post-mortem timeline per host.",
        epilog="Exit codes: 0 written, 3 not readable as a recording.",
    )
    parser.add_argument("file", help="a recording (JSON Lines, from --record or the state dir)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    return parser


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    try:
        recording = open_recording(args.file)
        timeline = recording_timeline(recording)
    except RecordingError as exc:
        print(f"cockpit report: {exc}", file=sys.stderr)
        return 3
    issues = recording.issues  # complete only once every event has been read
    if args.format == "json":
        doc = document(
            timeline, source=args.file, header=recording.header, ended=recording.end, issues=issues
        )
        # ASCII: a host name's bidi override or C1 control (0x9b is CSI) stays escaped on a terminal
        emit(json.dumps(doc, indent=2, ensure_ascii=True) + "\n")
    else:
        emit(
            render(
                timeline,
                source=args.file,
                started=recording.start,
                ended=recording.end,
                argv=recording.header.argv,
                recorded_by=recording.header.cockpit,
                issues=issues,
            )
        )
    return 0

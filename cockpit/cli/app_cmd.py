"""Bare `cockpit`: open the interactive screen on the selected hosts (default: this machine).

Host selection is `cockpit check`'s (cli/hosts.py). The session is recorded by default
(XDG state dir, or `--record FILE`); `--no-record` says so in the header. After the app
exits, stderr says where the record is, and what the quit guard has to say (an override
typed on the way out).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from datetime import datetime, timezone

from cockpit import __version__
from cockpit.cli.args import ArgumentParser
from cockpit.cli.hosts import SelectionError, add_selection_arguments, select_hosts
from cockpit.hostspec import HostSpec
from cockpit.recording.format import RecordingError
from cockpit.recording.paths import default_recording_path
from cockpit.recording.session_log import NullLog, SessionLog
from cockpit.recording.writer import JsonlRecorder
from cockpit.ui.app import CockpitApp
from cockpit.ui.quit_guard import exit_message
from cockpit.ui.signals import HANGUP_STATUS
from cockpit.ui.themes import ThemeError, resolve

# cockpit's own modules, imported at the top: if one is broken the command fails before
# the screen opens, saying so, instead of running without its quit guard or its record.


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="cockpit",
        description="Watch hosts: will each come back from a reboot, and when is one armed?",
        epilog="Subcommands: check, replay, report, completion (cockpit SUBCOMMAND --help).",
    )
    add_selection_arguments(parser)
    parser.add_argument("--version", action="version", version=f"cockpit {__version__}")
    parser.add_argument("--theme", metavar="NAME", help="colour theme (command palette: Theme)")
    parser.add_argument(
        "--read-only", action="store_true", help="an observer's session: no actions on hosts"
    )
    record = parser.add_mutually_exclusive_group()
    record.add_argument("--record", metavar="FILE", help="record the session to FILE")
    record.add_argument("--no-record", action="store_true", help="do not record the session")
    return parser


def check_theme(name: str | None) -> None:
    """An unknown `--theme` is a usage mistake, said before the screen opens."""
    if name is None:
        return
    try:
        resolve(name)
    except ThemeError as exc:
        raise SelectionError(str(exc)) from None


def open_log(
    args: argparse.Namespace, argv: Sequence[str], specs: list[HostSpec]
) -> tuple[SessionLog, str | None]:
    """The session's record, and a note for stderr when it cannot be what was asked."""
    if args.no_record:
        return NullLog(), None
    now = datetime.now(timezone.utc)
    path = args.record or default_recording_path(now)
    try:
        return JsonlRecorder.create(path, argv=list(argv), hosts=specs, now=now), None
    except RecordingError as exc:
        if args.record:  # asked for this file by name: do not silently record elsewhere
            raise SelectionError(str(exc)) from None
        return NullLog(), f"cockpit: {exc}: this session is not recorded"


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    try:
        check_host_words(args.hosts)
        specs = select_hosts(args)
        check_theme(args.theme)
        log, note = open_log(args, ["cockpit", *argv], specs)
    except SelectionError as exc:
        print(f"cockpit: {exc}", file=sys.stderr)
        return 3
    if note:
        print(note, file=sys.stderr)
    app = CockpitApp(
        specs, log=log, read_only=args.read_only, theme=args.theme, hangup_ends_process=True
    )
    try:
        result = app.run()
    finally:
        log.close()
    if app.return_code == HANGUP_STATUS:
        # The terminal is gone and the record is closed: nothing is left to say, and the
        # interpreter's teardown (most of a second on a loaded machine, with no watchdog
        # running by then) would outlast the second a hang-up may take (ui/signals.py).
        os._exit(HANGUP_STATUS)
    line = exit_message(result)
    if line:
        _say(line)
    if log.path is not None:
        _say(f"cockpit: session recorded in {log.path}")
    return app.return_code or 0


def check_host_words(words: Sequence[str]) -> None:
    """`cockpit frobnicate` is an error unless frobnicate resolves as a host."""
    from cockpit.cli.host_words import complaint, unknown_words

    bad = unknown_words(words)
    if bad:
        raise SelectionError("\n".join(complaint(w) for w in bad))


def _say(line: str) -> None:
    """A line for the terminal the session ran in, which after a hang-up is gone (EIO):
    the record already holds what matters, so a dead terminal is no error."""
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr, flush=True)

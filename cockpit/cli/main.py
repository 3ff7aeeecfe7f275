"""Entry point: dispatch to the subcommands of DESIGN.md's command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from cockpit.cli.output import quiet_stdout

USAGE = """usage:
  cockpit [HOST|--inventory FILE|--root DIR ...] [--theme NAME] [--read-only]
          [--record FILE|--no-record]
  cockpit check  [same host selection] [--at ISO-8601] [--format text|json]
                 [--record FILE]
  cockpit replay FILE [--speed X] [--start ISO-8601]
  cockpit report FILE [--format markdown|json]
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:
        # A reader that left early (`cockpit report F | head`) where a subcommand did not
        # expect it (argparse's --help, a usage line): quiet, and UNKNOWN.
        quiet_stdout()
        return 3


def _dispatch(args: list[str]) -> int:
    if args and args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    if args and args[0] == "check":
        from cockpit.cli import check

        return check.main(args[1:])
    if args and args[0] == "report":
        from cockpit.cli import report

        return report.main(args[1:])
    if args and args[0] == "replay":
        from cockpit.cli import replay

        return replay.main(args[1:])
    from cockpit.cli import app_cmd

    return app_cmd.main(args)


if __name__ == "__main__":
    sys.exit(main())

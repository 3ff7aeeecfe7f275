"""Entry point: dispatch to the subcommands of DESIGN.md's command line.

`SUBCOMMANDS` is the one table of them: the dispatch below and the shell completion
scripts (cli/completion.py) both read it, and each module's `build_parser()` (all built on
cli/args.py's ArgumentParser) is the one description of its arguments, for parsing and
for completion alike. Modules are imported only when their command runs, so
`cockpit check` never pays for the app's imports.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from cockpit.cli.output import quiet_stdout

USAGE = """usage:
  cockpit [HOST|--inventory FILE|--root DIR ...] [--theme NAME] [--read-only]
          [--record FILE|--no-record]
  cockpit check  [same host selection] [--at ISO-8601]
                 [--format text|nagios|json|openmetrics] [--record FILE]
  cockpit replay FILE [--speed X] [--start ISO-8601]
  cockpit report FILE [--format markdown|json]
  cockpit completion bash|zsh|fish
  cockpit --version
"""

#: The interactive app: bare `cockpit [HOST...]`.
APP = "cockpit.cli.app_cmd"
#: `cockpit NAME ...` -> the module with that subcommand's build_parser() and main(argv).
SUBCOMMANDS = {
    "check": "cockpit.cli.check",
    "replay": "cockpit.cli.replay",
    "report": "cockpit.cli.report",
    "completion": "cockpit.cli.completion",
}


def command_parsers() -> dict[str, Callable[[], argparse.ArgumentParser]]:
    """Each command's parser builder: "" for bare `cockpit`, then every subcommand."""
    modules = {"": APP, **SUBCOMMANDS}
    return {name: importlib.import_module(path).build_parser for name, path in modules.items()}


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
    if args and args[0] in SUBCOMMANDS:
        module = importlib.import_module(SUBCOMMANDS[args[0]])
        return int(module.main(args[1:]))
    module = importlib.import_module(APP)
    return int(module.main(args))


if __name__ == "__main__":
    sys.exit(main())

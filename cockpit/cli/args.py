"""The CLI's one argparse convention: a usage mistake exits 3 (UNKNOWN), never 2.

argparse exits 2 on a bad argument, and 2 is CRITICAL to a monitoring system running
`cockpit check`: a typo in a plugin's command line would page someone about a host.
Every subcommand uses this parser so the whole CLI keeps one meaning for each exit code;
only how the one-line message is shown differs (the plugin's line goes to stdout, where
Nagios-style systems read the status).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, NoReturn

#: A usage mistake, like anything else the CLI cannot judge: UNKNOWN.
USAGE_ERROR = 3


def on_stderr(prog: str, message: str) -> None:
    """`cockpit report: the following arguments are required: file` on stderr."""
    print(f"{prog}: {message}", file=sys.stderr)


def plugin_status(prog: str, message: str) -> None:
    """`COCKPIT UNKNOWN - cockpit check: ...` on stdout, the monitoring plugin's status line."""
    print(f"COCKPIT UNKNOWN - {prog}: {message}")


class ArgumentParser(argparse.ArgumentParser):
    """argparse that prints the usage, then the message through `say`, and exits 3."""

    def __init__(
        self, *args: Any, say: Callable[[str, str], None] = on_stderr, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._say = say

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self._say(self.prog, message)
        raise SystemExit(USAGE_ERROR)

"""Standard output for commands whose reader may leave early (`cockpit check | head -c 100`).

A monitoring wrapper or a pager that stops reading is not an error of cockpit's: the exit
status must still be the verdict's (a BrokenPipeError traceback and exit 1 would read as
WARNING to Nagios). Python ignores SIGPIPE, so the write raises instead; `emit` catches it
and points stdout at /dev/null, so the flush at interpreter exit is quiet too.
"""

from __future__ import annotations

import os
import sys


def quiet_stdout() -> None:
    """Send whatever is still buffered for stdout, and all later writes, to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def emit(text: str) -> bool:
    """Write `text` to stdout now; False (and nothing raised) if the reader has gone."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
        return False
    return True

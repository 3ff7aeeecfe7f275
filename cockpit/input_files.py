"""Files a person names on the command line (inventories, recordings), opened so that no
file can hang cockpit or flood its memory.

`open()` on a FIFO blocks until a writer comes, forever if none does; on a device it may
act (a tape rewinds, a watchdog arms), and `/dev/zero` never ends. So a path is checked
with `stat` first and only a regular file is opened, with O_NONBLOCK (were it swapped for
a FIFO after the check, the open still returns) and O_NOCTTY; the open file is checked
again with `fstat` and must be the very file that was checked. What is read is capped by
the caller (`read_capped`), never "the whole file".
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputFileError(Exception):
    """A file that cannot be read as input: `str()` is "PATH: reason", ready to show."""

    def __init__(self, path: str, reason: str, kind: str | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.kind = kind  # what a path that is no regular file is instead ("a FIFO ...")


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """`path` opened for reading if it is a regular file; InputFileError otherwise (never
    blocks: see the module docstring)."""
    shown = os.fspath(path)
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise InputFileError(shown, "no such file") from None
    except OSError as exc:
        raise InputFileError(shown, f"cannot read it ({exc.strerror or exc})") from None
    if not stat.S_ISREG(before.st_mode):
        kind = kind_of(before.st_mode)
        raise InputFileError(shown, f"{kind}, not a regular file", kind)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise InputFileError(shown, f"cannot read it ({exc.strerror or exc})") from None
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise InputFileError(shown, "it changed while it was being opened; try again")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(path: str | os.PathLike[str], limit: int, what: str = "a file") -> bytes:
    """The whole of a regular file of at most `limit` bytes; InputFileError if it is
    larger (read no further than one byte past the limit) or not a regular file."""
    with open_regular(path) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise InputFileError(
            os.fspath(path),
            f"more than {_size(limit)}, the most cockpit reads of {what}; is it the right file?",
        )
    return data


def _size(n: int) -> str:
    return f"{n >> 20} MiB" if n >= 1 << 20 and not n % (1 << 20) else f"{n} bytes"

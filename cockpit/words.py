"""The words the verdict, the status and the mode are written in: typed, so a typo fails.

The JSON contract (DESIGN.md), the recording and the screens all say `bootable`,
`unbootable`, `unknown`, `ok`, `critical`, `live`, `offline`. As plain strings a misspelt
one compared unequal in silence, and the quit guard would have let an unbootable host go.
Each member IS its word (a str): JSON, f-strings, `==` with a recorded string, dict keys
and `.upper()` all give the same text as before.
"""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    """enum.StrEnum for Python 3.10: str() and format() give the word, not `Class.NAME`
    (a `(str, Enum)` formats as `Verdict.BOOTABLE` in f-strings on 3.11+)."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(self, spec)


class Verdict(StrEnum):
    """Will the next boot come up? Bootable only when every boot stage is proven."""

    BOOTABLE = "bootable"
    UNBOOTABLE = "unbootable"  # a blocker holds: the quit guard refuses to let go
    UNKNOWN = "unknown"


class Status(StrEnum):
    """The host's overall state, as monitoring plugins say it (exit codes 0, 1, 2, 3)."""

    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    UNKNOWN = "unknown"


class Mode(StrEnum):
    """How a host was read: its running system (live) or a root tree on disk (offline)."""

    LIVE = "live"
    OFFLINE = "offline"

    @classmethod
    def of_kind(cls, kind: str) -> Mode:
        """A host's mode from its HostSpec kind: offline roots are read offline, local and
        ssh hosts live."""
        return cls.OFFLINE if kind == "offline" else cls.LIVE

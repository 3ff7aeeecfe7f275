"""Host names that try to break an exposition or a plugin line: the same list for the
OpenMetrics output and the Nagios line, so a name one survives the other survives too.

Names come from inventories, HOST arguments and `--root` directory names; a directory
name can hold a newline, and bytes that are not UTF-8 (os.fsdecode keeps them as lone
surrogates)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import cache

from cockpit.state import HostState
from tests.support import SAMPLES, judge_root

AT = "2011-09-29T23:00:00-05:00"

HOSTILE_NAMES = (
    "new\nline",
    'double"quote',
    "it's",
    "back\\slash",
    "trailing\\",
    "pi|pe",
    "ünïcødé-主机-🚀",
    'x\n# EOF\ncockpit_up{host="forged"} 1',
    "x | 'bootable'=99;;;0;1",
    "\x1b]0;owned\x07\x1b[31mred",
    "eq=ual;semi colon",
    "tab\there cr\rhere",
    "not-utf8-\udcff\udcfe",
)


@cache
def incident() -> HostState:
    """The incident host judged at the incident's evening: unbootable, reboot armed."""
    return judge_root(SAMPLES / "weblogs-2011", AT)


def named(name: str) -> HostState:
    return dataclasses.replace(incident(), name=name)


def down(name: str) -> HostState:
    return HostState.failed(name, "live", "refused", f"{name}: connection refused")


def generated() -> datetime:
    return datetime.fromisoformat(AT)

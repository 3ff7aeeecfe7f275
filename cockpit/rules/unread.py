"""What to do about what cockpit could not read, said for what really happened.

"Run cockpit with root rights" helps with one thing only: a file denied to a collector
that did not run as root. For a listing cut at its cap, a symlink loop, a link that leads
nowhere, a path into this machine's own /proc or /sys, or a read that ran out of time,
root rights change nothing, and advising them (worse: while cockpit already runs as root)
sends a tired admin the wrong way. Every "could not read" remedy is built
here, from the section states (cockpit/snapshot.py) it rests on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The one remedy that root rights answer.
ROOT_RIGHTS = (
    "Run cockpit with root rights (`sudo cockpit check`, or `sudo = true` for the host in "
    "the inventory)."
)

_SAY = {
    "cut": "The listing was cut at the collector's cap (more entries than it lists): check "
    "the rest on the host by hand (running as root would not list more).",
    "loop": "A symlink loop: fix the links along the path (`ls -l` each one); no reader, "
    "root or not, gets through it.",
    "dangling": "A symlink whose target does not exist: point it at the right file, or remove it.",
    "foreign": "Offline root: the path leads into /proc, /sys, /dev or /run that this "
    "machine mounted into the root, which cockpit never reads: unmount those from the root, "
    "or check the file on the host itself.",
    "timeout": "Reading it hit the collector's time bound: refresh; if it persists, look at "
    "the file's size and the host's load.",
    "truncated": "It is longer than the collector reads: check the rest on the host by hand.",
    "notfile": "It is not a regular file: look at what is there (`ls -l`).",
    "error": "The read failed: refresh, then check the file on the host by hand.",
    "missing": "The collector's output stopped before it: refresh.",
    "program": "A program, not a shell script, that mentions a reboot: cockpit cannot tell "
    "whether it reboots; read its source, or ask whoever installed it.",
}

_ROOT_IF_NOT = (
    "If cockpit did not run as root, run it with root rights (`sudo cockpit check`, or "
    "`sudo = true` for the host in the inventory)."
)
_DENIED_AS_ROOT = (
    "Denied although cockpit reads as root: an ACL, SELinux/AppArmor or a root-squashed "
    "network mount refuses it; check `ls -l` and the mount on the host."
)


def remedy(states: Iterable[str], as_root: bool | None, check: str = "") -> str:
    """One sentence per distinct reason, in the order met; `check`: what to look at by
    hand, appended. `as_root`: did the collector read as root (None: not known)."""
    out: list[str] = []
    for state in dict.fromkeys(states):
        if state == "denied":
            if as_root is True:
                out.append(_DENIED_AS_ROOT)
            elif as_root is False:
                out.append(ROOT_RIGHTS)
            else:
                out.append(_ROOT_IF_NOT)
        elif state in _SAY:
            out.append(_SAY[state])
        elif state not in ("ok", "absent"):
            out.append(f"It could not be read ({state}): refresh, then check it by hand.")
    if check:
        out.append(check)
    return " ".join(out) or "Refresh, then check it by hand."


_STATE_SUFFIX = re.compile(r"\((\w+)\)$")
_STATE_ANYWHERE = re.compile(r"\((\w+)\)")
_STATES = frozenset((*_SAY, "denied"))


def states_named(items: Iterable[str]) -> list[str]:
    """Every `(state)` named anywhere in evidence lines, and `cut` for a listing that
    says the rest was not listed (services/listing.py)."""
    out = []
    for item in items:
        out += [m for m in _STATE_ANYWHERE.findall(item) if m in _STATES]
        if "the rest not listed" in item:
            out.append("cut")
    return out


def states_in(items: Iterable[str]) -> list[str]:
    """The states named as `path (state)` at the end of evidence lines."""
    out = []
    for item in items:
        m = _STATE_SUFFIX.search(item.strip())
        if m:
            out.append(m.group(1))
    return out

"""`cockpit frobnicate`: a word that is no subcommand must be a host, or an error.

Bare `cockpit WORD` takes WORD as an ssh host, so a typo of a subcommand (`cockpit
chekc`) or any stray word used to open the screen and try to ssh to it. A HOST argument
is accepted when it looks like an address (`user@h`, `h:port`, `[v6]`, a dotted name or
an IP), is a `Host` alias in ~/.ssh/config, or resolves (/etc/hosts, DNS) within a
couple of seconds; anything else is a usage error (exit 3) that names the subcommands
and the closest one.
"""

from __future__ import annotations

import concurrent.futures
import difflib
import os
import socket
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

SUBCOMMANDS = ("check", "replay", "report")
#: How long a name may take to resolve before it counts as not resolvable.
RESOLVE_S = 2.0


def ssh_aliases(path: Path | None = None) -> set[str]:
    """Literal `Host` names of ~/.ssh/config (patterns with * ? ! are not names)."""
    path = path or Path(os.path.expanduser("~/.ssh/config"))
    names: set[str] = set()
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return names
    for line in text.splitlines():
        words = line.replace("=", " ").split()
        if len(words) >= 2 and words[0].lower() == "host":
            names.update(w for w in words[1:] if not any(c in w for c in "*?!"))
    return names


def _looks_like_address(word: str) -> bool:
    return any(c in word for c in "@:[.") or word.startswith("ssh://")


def _resolves(name: str, timeout: float = RESOLVE_S) -> bool:
    pool = concurrent.futures.ThreadPoolExecutor(1)
    try:
        return bool(pool.submit(socket.getaddrinfo, name, 22).result(timeout=timeout))
    except (OSError, UnicodeError, concurrent.futures.TimeoutError):
        return False
    finally:
        pool.shutdown(wait=False)


def unknown_words(
    words: Sequence[str],
    aliases: Iterable[str] | None = None,
    resolve: Callable[[str], bool] = _resolves,
) -> list[str]:
    """The HOST arguments that are neither an address, an alias nor a resolvable name."""
    known = set(ssh_aliases() if aliases is None else aliases)
    return [w for w in words if not (_looks_like_address(w) or w in known or resolve(w))]


def complaint(word: str) -> str:
    close = difflib.get_close_matches(word, SUBCOMMANDS, n=1)
    hint = f"did you mean `cockpit {close[0]}`? " if close else ""
    return (
        f"{word!r} is not a subcommand ({', '.join(SUBCOMMANDS)}) and not a host this machine "
        f"can resolve (no DNS or /etc/hosts name, no ~/.ssh/config alias); {hint}"
        "give a host as user@host, host:port or a full name"
    )

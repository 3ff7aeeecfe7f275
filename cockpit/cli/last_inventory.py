"""The hosts of the last inventory used, kept for shell completion.

`cockpit --inventory FILE` and `cockpit check --inventory FILE` write each ssh host of
the inventory as a HOST argument reaches it (`[user@]address[:port]`, the address often
an ~/.ssh/config alias) to `$XDG_STATE_HOME/cockpit/last-inventory-hosts`, one a line:
completing an inventory's display name would connect to whatever that name resolves to.
Offline roots and the local host have no HOST form and are left out. The completion
scripts read the file on TAB without starting Python (a TAB must answer at once).

Only names made of letters, digits and `._@:%+[]-` are kept: a completion puts the name
on the user's command line, and a name with a space, a quote or `$(` has no business
there (the scripts also read the file as plain text, never through shell expansion).
Remembering is best effort: a monitoring user without a writable home, or a read-only
file system, must never change what a check prints or how it exits.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cockpit.hostspec import HostSpec

FILE_NAME = "last-inventory-hosts"
_SAFE = re.compile(r"[\w.@:%+\[\]-]+")


def state_file() -> Path:
    from platformdirs import user_state_path

    return user_state_path("cockpit") / FILE_NAME


def completion_names(names: Iterable[str]) -> list[str]:
    """The names a completion may offer, in order, once each."""
    seen: dict[str, None] = {}
    for name in names:
        if _SAFE.fullmatch(name) and not name.startswith("-"):
            seen.setdefault(name, None)
    return list(seen)


def host_argument(spec: HostSpec) -> str | None:
    """The HOST argument that reaches this host as the inventory does, None if none can."""
    if spec.kind != "ssh":
        return None
    address = spec.address or spec.name
    if spec.port is not None:
        address = f"[{address}]:{spec.port}" if ":" in address else f"{address}:{spec.port}"
    return f"{spec.user}@{address}" if spec.user else address


def remember_inventory(specs: Iterable[HostSpec]) -> None:
    """Remember the inventory's ssh hosts for completion (best effort)."""
    remember(arg for arg in map(host_argument, specs) if arg is not None)


def remember(names: Iterable[str]) -> None:
    """Replace the remembered names (atomically, and only when they changed)."""
    try:
        path = state_file()
        text = "".join(f"{n}\n" for n in completion_names(names))
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if path.read_text("utf-8") == text:
                return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except Exception:  # best effort, never the check's problem (see the module's doc)
        return

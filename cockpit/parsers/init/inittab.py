"""sysvinit's /etc/inittab: the default runlevel, the sysinit lines and every entry.

Read on its own because sysvinit stops at "Enter runlevel:" without a valid initdefault:
the rules need the exact line quoted back, not a summary.
"""

from __future__ import annotations

from cockpit.facts.init import Inittab
from cockpit.parsers.text import clean
from cockpit.snapshot import Section


def read_inittab(section: Section) -> Inittab:
    if section.state != "ok":
        return Inittab(state=section.state)
    entries: list[tuple[str, str, str, str]] = []
    initdefault = initdefault_line = None
    sysinit: list[str] = []
    for raw in section.text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":", 3)
        if len(parts) < 3:
            continue
        while len(parts) < 4:
            parts.append("")
        ident, levels, action, process = (clean(p) for p in parts)
        entries.append((ident, levels, action, process))
        if action == "initdefault" and initdefault is None:
            initdefault, initdefault_line = levels, clean(line)
        elif action == "sysinit":
            sysinit.append(clean(line))
    return Inittab(
        state="ok",
        initdefault=initdefault,
        initdefault_line=initdefault_line,
        sysinit=tuple(sysinit),
        entries=tuple(entries),
        empty=not entries,
    )

"""GRUB legacy (0.97): grub.conf / menu.lst and its `default` (a number or `saved`).

Still found on old RHEL/CentOS and Gentoo hosts, sometimes as a leftover beside GRUB 2,
which is why choosing a loader (parsers/boot/choice.py) treats it as the weaker claim.
Pure and total: text in, `Menu` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cockpit.parsers.boot.menu import Menu, RawEntry, evidence_line, strip_device


@dataclass
class _Title:
    """One `title` block while it is read; it becomes a RawEntry when the next begins."""

    title: str
    evidence: list[str] = field(default_factory=list)
    kernel: str | None = None
    initrds: tuple[str, ...] | None = None  # None: no `initrd` line yet
    cmdline: str | None = None

    def entry(self) -> RawEntry:
        return RawEntry(
            title=self.title,
            entry_id=None,
            kernel=self.kernel,
            initrds=self.initrds or (),
            cmdline=self.cmdline,
            version=None,
            evidence=tuple(self.evidence),
        )


def parse_grub_legacy(text: str, path: str, saved: str | None = None) -> Menu:
    """grub.conf / menu.lst: `default N`, `title`, `root (hd0,0)`, `kernel`, `initrd`."""
    entries: list[RawEntry] = []
    current: _Title | None = None
    default_value = "0"
    default_line = ""

    def close() -> None:
        if current is not None:
            entries.append(current.entry())

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"([A-Za-z_]+)(?:\s*=\s*|\s+)?(.*)$", line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "title":
            close()
            current = _Title(value, [evidence_line(path, line)])
        elif current is None:
            if key == "default":
                default_value, default_line = value, line
        elif key == "kernel" and current.kernel is None:
            parts = value.split(None, 1)
            if parts and parts[0].startswith("--"):
                parts = value.split(None, 2)[1:] if len(value.split()) > 1 else []
            if parts:
                current.kernel = strip_device(parts[0])
                current.cmdline = parts[1] if len(parts) > 1 else ""
            current.evidence.append(evidence_line(path, line))
        elif key == "initrd" and current.initrds is None:
            current.initrds = tuple(strip_device(p) for p in value.split()[:1])
            current.evidence.append(evidence_line(path, line))
        elif key == "root":
            current.evidence.append(evidence_line(path, line))
    close()
    evidence = (evidence_line(path, default_line),) if default_line else ()
    how = f"grub.conf `default {default_value}`" if default_line else "no `default`: entry 0"
    if default_value == "saved":
        if saved is not None and saved.strip().split()[:1] and saved.split()[0].isdigit():
            default_value = saved.split()[0]
            how = f"`default saved`, /boot/grub/default holds {default_value}"
        else:
            return Menu(
                tuple(entries), None, "`default saved` and /boot/grub/default unreadable", evidence
            )
    if not default_value.isdigit():
        return Menu(
            tuple(entries),
            0 if entries else None,
            how + ": not a number, GRUB uses 0",
            evidence,
            default_value,
        )
    idx = int(default_value)
    if idx >= len(entries):
        if not entries:
            return Menu((), None, how, evidence, default_value)
        return Menu(
            tuple(entries),
            0,
            how + "; no such entry, GRUB falls back to entry 0",
            evidence,
            default_value,
        )
    return Menu(tuple(entries), idx, how, evidence)

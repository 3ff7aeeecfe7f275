"""Boot: the loader and its default entry, that entry's kernel and initrd, and fstab."""

from __future__ import annotations

from datetime import datetime

from cockpit.facts.boot import BootFacts, BootFile, FstabEntry
from cockpit.state import HostState
from cockpit.ui.widgets.pane_base import FactPane, Lines

_FILE_LEVEL = {"present": "ok", "empty": "blocker", "missing": "blocker", "unknown": "unknown"}


def _mount_level(e: FstabEntry, state: HostState) -> tuple[str | None, str]:
    """The rules' word on this line: a missing /dev node on an offline disk is "not
    captured", not a blocker; nofail and swap only warn."""
    for f in state.findings:
        missing = f.id in ("boot.fstab-source-missing", "boot.crypttab-source-missing")
        if missing and f.evidence and f.evidence[0] == e.line:
            return f.severity.value, e.why
        if f.id == "boot.fstab-sources-not-checked" and any(
            ev.startswith(e.line) for ev in f.evidence
        ):
            return "unknown", "not checked"
    if e.state == "present":
        return "ok", ""
    if e.noauto:
        return "info", f"noauto: not mounted at boot ({e.why})"
    return None, e.why


def _file(lines: Lines, label: str, f: BootFile) -> None:
    where = f"{f.written} -> {f.found}" if f.found and f.found != f.written else f.written
    lines.row(label, where, _FILE_LEVEL.get(f.state, "unknown"), note=f.state)


def _entry(lines: Lines, boot: BootFacts) -> None:
    loader = boot.loader
    if loader is None:
        lines.row("bootloader", "unknown", "unknown", note=boot.loader_choice)
        return
    lines.row("bootloader", f"{loader.kind}: {loader.config}", note=boot.loader_choice)
    entry = boot.default_entry
    if entry is None:
        missing = f" ({loader.default_missing} not found)" if loader.default_missing else ""
        lines.row("default entry", f"unknown{missing}", "unknown", note=loader.default_how)
        return
    lines.row("default entry", entry.title, note=loader.default_how)
    if entry.kernel is not None:
        _file(lines, "  kernel", entry.kernel)
    else:
        lines.row("  kernel", "not named", "unknown")
    for initrd in entry.initrds:
        _file(lines, "  initrd", initrd)
    if entry.release:
        lines.row("  release", entry.release, note=f"modules {boot.modules_for(entry.release)}")
    if entry.cmdline is not None:
        lines.row("  cmdline", entry.cmdline)


class BootPane(FactPane):
    AREA = "boot"
    TITLE = "boot"

    def build(self, lines: Lines, state: HostState, now: datetime | None) -> None:
        assert state.facts is not None
        boot = state.facts.boot
        _entry(lines, boot)
        for path in boot.unreadable:
            lines.row("unreadable", path, "unknown")
        if boot.fstab_state not in ("ok", "absent"):
            lines.row("fstab", boot.fstab_state, "unknown")
        judged = [(e, *_mount_level(e, state)) for e in boot.fstab]
        counts: dict[str, int] = {}
        for _, level, _ in judged:
            word = {"ok": "found", "unknown": "not checked", "info": "noauto"}.get(
                level or "", level or "other"
            )
            counts[word] = counts.get(word, 0) + 1
        summary = ", ".join(f"{n} {word}" for word, n in counts.items())
        lines.row("fstab", f"{len(boot.fstab)} entries" + (f": {summary}" if summary else ""))
        shown = [j for j in judged if j[1] != "ok"] or judged
        for e, level, why in shown[:8]:
            opt = " (nofail)" if e.nofail else ""
            lines.row(f"  {e.mountpoint}", f"{e.source}{opt}", level, note=why)
        for e in boot.crypttab:
            if e.state != "present":
                level, why = _mount_level(e, state)
                lines.row("  crypttab", e.source, level, note=why)
        if boot.installed:
            kernels = [k.release or k.path for k in boot.installed]
            lines.items("installed kernels", kernels)
        for issue in boot.issues:
            lines.mark("unknown", issue)

"""Init system: what runs as PID 1 now, and whether the init the next boot execs can run.

The incident's pane: PID 1 was sysvinit running from memory while /sbin/init was gone;
so both sides are shown, and a difference between them is a migration in progress.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts.init import ExecCheck, InitFacts
from cockpit.state import HostState
from cockpit.ui.widgets.pane_base import FactPane, Lines
from cockpit.words import Mode

_STATE_WORDS = {
    "ok": "exists, executable",
    "missing": "missing",
    "dangling": "dangling symlink",
    "loop": "symlink loop",
    "not-executable": "not executable",
    "interpreter-missing": "interpreter missing",
    "library-missing": "library missing",
    "unknown": "not checked",
}


def _level(check: ExecCheck, state: HostState) -> str | None:
    """The rules' severity for this program (they know a systemd initrd on RH, say)."""
    if check.state == "ok":
        return "ok"
    for f in state.findings:
        if f.id.startswith("init.boot-init-") and check.path in f.title:
            return f.severity.value
    return "unknown" if check.state == "unknown" else None


def _running(lines: Lines, init: InitFacts, mode: Mode) -> None:
    pid1 = init.pid1
    if init.running_family == "unknown":
        if mode == Mode.OFFLINE:
            lines.row("running (PID 1)", "none: an offline disk has no PID 1")
        elif pid1.comm and pid1.comm_state == "ok":
            # A PID 1 that is no init cockpit knows (a container's process, say): said
            # once, by name, not "unknown (PID 1: x)" followed by its read state "ok".
            lines.row("running (PID 1)", f"{pid1.comm}: not an init cockpit knows", "unknown")
        else:
            lines.row("running (PID 1)", f"not known (/proc/1/comm: {pid1.comm_state})", "unknown")
    else:
        label = init.running_label
        if not label.startswith(init.running_family):
            label += f" ({init.running_family})"
        lines.row("running (PID 1)", label, "ok")
    if pid1.exe:
        deleted = "  (binary deleted on disk: running from memory)" if pid1.deleted else ""
        lines.row("  exe", pid1.exe + deleted, "warning" if pid1.deleted else None)
    if pid1.cmdline:
        lines.row("  cmdline", " ".join(pid1.cmdline))


def _check(lines: Lines, label: str, check: ExecCheck, state: HostState) -> None:
    word = _STATE_WORDS.get(check.state, check.state)
    note = check.reason if check.reason and check.reason != word else ""
    lines.row(label, word, _level(check, state), note=note)
    res = check.resolution
    if res.hops or res.state != "ok":
        lines.quote(res.chain(), indent=4)
    elf = check.elf
    if elf is not None and elf.is_elf:
        if elf.static:
            lines.row("    ELF", "static (needs no interpreter)")
        elif elf.interp:
            where = elf.interp_found or "NOT FOUND"
            lines.row(
                "    ELF interpreter",
                f"{elf.interp} -> {where}",
                "blocker" if elf.interp_missing else "ok",
            )
        if elf.needed_missing:
            lines.items("    missing libraries", elf.needed_missing)
    if check.shebang:
        lines.row("    script", check.shebang)


def _grouped(installed: tuple[tuple[str, str], ...]) -> list[str]:
    """`systemd (/lib/systemd/systemd, /usr/lib/systemd/systemd)`: one family once, with
    every path it was found at (a merged /usr shows one binary under two names)."""
    paths: dict[str, list[str]] = {}
    for family, path in installed:
        paths.setdefault(family, []).append(path)
    return [f"{family} ({', '.join(found)})" for family, found in paths.items()]


class InitPane(FactPane):
    AREA = "init"
    TITLE = "init system"

    def build(self, lines: Lines, state: HostState, now: datetime | None) -> None:
        assert state.facts is not None
        init = state.facts.init
        _running(lines, init, state.mode)
        label = init.boot_label
        if not label.startswith(init.boot_family):
            label += f" ({init.boot_family})"
        lines.row("next boot", label)
        for check in init.candidates:
            _check(lines, f"  init={check.path}", check, state)
        if init.sbin_init is not None:
            _check(lines, "  /sbin/init", init.sbin_init, state)
        known = ("unknown", "missing")
        if (
            init.running_family not in known
            and init.boot_family not in known
            and init.running_family != init.boot_family
        ):
            lines.mark(
                "warning",
                f"migration in progress: running {init.running_family}, "
                f"next boot {init.boot_family}",
            )
        elif init.running_family not in known and init.boot_family == "missing":
            lines.mark("blocker", f"{init.running_family} runs now; the next boot has no init")
        installed = _grouped(init.installed)
        if init.installed_known:
            # Programs besides the boot init itself (the line above): with none, say so
            # rather than "NONE", which read as "no init at all" on a sysvinit host.
            none = "NONE found" if init.boot_family == "missing" else "none besides the boot init"
            lines.items("installed inits", installed, empty=none)
        else:
            lines.row("installed inits", ", ".join(installed) or "unknown", "unknown")
        if init.inittab.initdefault:
            lines.row("inittab default runlevel", init.inittab.initdefault)
        for issue in init.issues:
            lines.mark("unknown", issue)

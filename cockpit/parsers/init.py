"""init parser: PID 1 and the running init's markers, the next boot's init and its checks.

Total: any section text (garbage, escapes, invalid UTF-8 already replaced by the framing)
gives InitFacts; host strings are passed through `clean` so they can be shown safely.
Which `init=` the next boot uses depends on the boot area's default entry, so this module
also offers `effective_boot` / `with_boot_cmdline`, pure helpers the rules (and, once wired,
`parse_snapshot`) apply with `BootFacts.default_cmdline`.
"""

from __future__ import annotations

import dataclasses
import posixpath

from cockpit.facts.init import (
    INSTALLED_PATHS,
    ElfInfo,
    ExecCheck,
    InitFacts,
    Inittab,
    Pid1,
    Resolution,
)
from cockpit.parsers.text import clean, ls_entries, resolve_lines
from cockpit.snapshot import Section, Sections

BOOT_DEFAULTS = ("/sbin/init", "/usr/sbin/init")
_UNREADABLE = ("denied", "missing", "error", "timeout", "notfile", "nocmd", "offline")


# --- resolution and ELF -------------------------------------------------------------------


def resolution(section: Section, path: str) -> Resolution:
    """An `emit_resolve` section as a Resolution.

    The prelude calls a chain `dangling` as soon as any hop was a link, even when only a
    directory on the way was (`/sbin -> usr/sbin` on merged /usr): a missing file behind a
    directory link is `absent`, not a dangling link. Only a chain where the named file
    itself (or a link it leads to) points nowhere is `dangling`.
    """
    if section.state not in ("ok", "absent", "dangling", "loop"):
        return Resolution(path=path, state=section.state)
    fields = resolve_lines(section.text)
    hops = tuple(clean(h) for h in fields.get("hops", "").split("\n") if h)
    state = section.state
    if state == "dangling" and not _file_was_link(path, hops):
        state = "absent"
    resolved = clean(fields["resolved"]) if fields.get("resolved") else None
    if state != "ok":
        return Resolution(path=path, state=state, hops=hops, resolved=resolved)
    return Resolution(
        path=path,
        state=state,
        hops=hops,
        resolved=resolved,
        kind=fields.get("type"),
        executable=fields.get("exec") == "yes" if "exec" in fields else None,
        nonempty=fields.get("size") == "nonzero" if "size" in fields else None,
    )


def _file_was_link(path: str, hops: tuple[str, ...]) -> bool:
    """Was the named file itself a link (not just a directory on its way)?"""
    base = posixpath.basename(path.rstrip("/"))
    return any(posixpath.basename(h.partition(" -> ")[0]) == base for h in hops)


def elf_info(section: Section) -> ElfInfo:
    """An `emit_elf` section. A reader limit (`badelf`) is not the kernel's verdict."""
    if section.state != "ok":
        return ElfInfo(state=section.state)
    is_elf: bool | None = None
    static = False
    interp = interp_found = bad = None
    interp_missing = False
    found: list[tuple[str, str]] = []
    missing: list[str] = []
    for raw in section.text.splitlines():
        line = clean(raw)
        key, _, rest = line.partition(" ")
        if key == "notelf":
            is_elf = False
        elif key == "class":
            is_elf = True
        elif key == "static":
            static = True
        elif key == "badelf":
            bad = rest or "unreadable headers"
        elif key == "interp":
            name, _, outcome = rest.partition(" ")
            interp = name
            if outcome.startswith("found"):
                interp_found = outcome[len("found") :].strip() or name
            else:
                interp_missing = True
        elif key == "needed":
            parts = rest.split(" ", 2)
            if len(parts) >= 2 and parts[1] == "found":
                found.append((parts[0], parts[2] if len(parts) > 2 else ""))
            elif parts and parts[0]:
                missing.append(parts[0])
    return ElfInfo(
        state="ok",
        is_elf=is_elf,
        static=static,
        interp=interp,
        interp_found=interp_found,
        interp_missing=interp_missing,
        needed_found=tuple(found),
        needed_missing=tuple(missing),
        bad=bad,
    )


# --- families -----------------------------------------------------------------------------


def family_of_path(resolved: str | None, real_init: str = "unknown") -> str:
    """Which init a program is, from where it really lives (the Debian wiki's test).

    `real_init` is the family to give a real (not symlinked) /sbin/init ELF binary:
    sysvinit (Gentoo, Devuan and Debian's sysvinit-core ship it so), unless upstart's
    /sbin/initctl says the binary is upstart's.
    """
    if not resolved:
        return "unknown"
    base = posixpath.basename(resolved)
    if base == "systemd":
        return "systemd"
    if base == "init" and "/sysvinit/" in resolved:
        return "sysvinit"
    if base == "openrc-init":
        return "openrc"
    if base in ("runit-init", "runit"):
        return "runit"
    if base == "busybox":
        return "busybox"
    if base == "s6-svscan" or "s6-linux-init" in resolved:
        return "s6"
    if base == "initctl":
        return "upstart"
    if resolved in BOOT_DEFAULTS:
        return real_init
    return "unknown"


_COMM_FAMILY = {
    "systemd": "systemd",
    "openrc-init": "openrc",
    "runit": "runit",
    "runit-init": "runit",
    "s6-svscan": "s6",
    "busybox": "busybox",
}


def _running(pid1: Pid1, markers: dict[str, bool]) -> tuple[str, str]:
    """(family, label) of PID 1. Never a guess: an unknown program stays unknown."""
    if pid1.comm_state != "ok" or not pid1.comm:
        if pid1.comm_state == "absent":
            return "unknown", "unknown (no /proc/1 in this root)"
        return "unknown", f"unknown (/proc/1/comm {pid1.comm_state})"
    comm = pid1.comm
    family = _COMM_FAMILY.get(comm)
    exe_family = family_of_path(pid1.exe) if pid1.exe else "unknown"
    if family is None and exe_family != "unknown":
        family = exe_family
    if family is None and comm == "init":
        if markers.get("initctl"):
            family = "sysvinit"
        elif markers.get("systemd"):
            family = "systemd"
        elif markers.get("runit"):
            family = "runit"
        elif markers.get("openrc-init"):
            family = "openrc"
    if family is None:
        return "unknown", f"unknown (PID 1: {comm})"
    where = pid1.exe or (pid1.cmdline[0] if pid1.cmdline else comm)
    label = family if posixpath.basename(where) == family else f"{family} ({where})"
    if pid1.deleted:
        label += " [binary replaced since boot]"
    return family, label


# --- sections -----------------------------------------------------------------------------


def _pid1(sections: Sections) -> Pid1:
    comm_sec = sections.get_section("init.pid1.comm")
    comm = clean(comm_sec.text.strip()) or None if comm_sec.ok else None
    cmd_sec = sections.get_section("init.pid1.cmdline")
    cmdline: tuple[str, ...] = ()
    if cmd_sec.ok:
        cmdline = tuple(clean(a) for a in cmd_sec.text.split("\x00") if a)
    exe_sec = sections.get_section("init.pid1.exe")
    exe = None
    exe_state = exe_sec.state
    deleted = False
    if exe_sec.ok:
        entry = ls_entries(exe_sec.text).get("exe")
        if entry is None:
            exe_state = "absent"
        elif not entry[3]:
            exe_state = "denied"  # a link is never empty: readlink was refused (needs root)
        else:
            target = clean(entry[3])
            if target.endswith(" (deleted)"):
                deleted = True
                target = target[: -len(" (deleted)")]
            exe = target
    return Pid1(
        comm=comm,
        comm_state=comm_sec.state,
        cmdline=cmdline,
        exe=exe,
        exe_state=exe_state,
        deleted=deleted,
    )


def _markers(sections: Sections) -> tuple[dict[str, bool], tuple[str, ...]]:
    run = ls_entries(sections.get_section("init.run").text)
    markers = {
        "initctl": run.get("initctl", ("",))[0] == "p"
        or ls_entries(sections.get_section("init.dev.initctl").text).get("initctl", ("",))[0]
        == "p",
        "systemd": ls_entries(sections.get_section("init.run.systemd").text).get("system", ("",))[0]
        == "d",
        "runit": "runit.stopit" in run,
        "openrc": run.get("openrc", ("",))[0] == "d",
        "openrc-init": ls_entries(sections.get_section("init.run.openrc").text).get(
            "init.ctl", ("",)
        )[0]
        == "p",
    }
    said = {
        "initctl": "initctl FIFO present (sysvinit listens on it)",
        "systemd": "/run/systemd/system exists (booted with systemd)",
        "runit": "/run/runit.stopit exists (runit is PID 1)",
        "openrc": "/run/openrc exists (OpenRC has run this boot)",
        "openrc-init": "/run/openrc/init.ctl FIFO present (openrc-init is PID 1)",
    }
    return markers, tuple(said[k] for k, v in markers.items() if v)


def _inittab(section: Section) -> Inittab:
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


def exec_check(sections: Sections, path: str, real_init: str = "sysvinit") -> ExecCheck:
    """Everything the probes learned about one program the boot may exec."""
    res = resolution(sections.get_section(f"init.boot:{path}"), path)
    shown = clean(path)
    if res.state == "absent":
        return ExecCheck(shown, res, "missing", f"{shown} does not exist", "missing")
    if res.state == "dangling":
        return ExecCheck(shown, res, "dangling", f"{shown} is a dangling symlink", "missing")
    if res.state == "loop":
        return ExecCheck(shown, res, "loop", f"{shown} is a symlink loop", "missing")
    if res.state != "ok" or res.resolved is None:
        return ExecCheck(shown, res, "unknown", f"{shown} could not be read ({res.state})")
    target = res.resolved
    family = family_of_path(target, real_init)
    if res.kind != "f":
        what = "a directory" if res.kind == "d" else "not a regular file"
        return ExecCheck(shown, res, "not-executable", f"{target} is {what}", family)
    if res.executable is False:
        return ExecCheck(shown, res, "not-executable", f"{target} is not executable", family)
    if res.nonempty is False:
        return ExecCheck(shown, res, "not-executable", f"{target} is an empty file", family)
    elf = elf_info(sections.get_section(f"init.elf:{target}"))
    if elf.state != "ok":
        why = f"{target}: its ELF headers could not be read ({elf.state})"
        return ExecCheck(shown, res, "unknown", why, family, elf)
    if elf.is_elf is False:
        if target in BOOT_DEFAULTS:
            family = "unknown"  # a script at /sbin/init is nobody's packaged init
        return _script_check(sections, shown, res, target, family, elf)
    if elf.bad or elf.is_elf is None:
        why = f"{target}: ELF headers not understood ({elf.bad or 'no class line'})"
        return ExecCheck(shown, res, "unknown", why, family, elf)
    if elf.interp_missing:
        why = f"{target} needs ELF interpreter {elf.interp}, which does not exist"
        return ExecCheck(shown, res, "interpreter-missing", why, family, elf)
    if elf.needed_missing:
        libs = ", ".join(elf.needed_missing)
        why = f"{target} needs {libs}, not found"
        return ExecCheck(shown, res, "library-missing", why, family, elf)
    return ExecCheck(
        shown, res, "ok", f"{target} is present and its libraries resolve", family, elf
    )


def _script_check(
    sections: Sections, shown: str, res: Resolution, target: str, family: str, elf: ElfInfo
) -> ExecCheck:
    script = sections.get_section(f"init.script:{target}")
    first = script.text.split("\n", 1)[0] if script.ok else ""
    if not first.startswith("#!"):
        why = f"{target} is neither an ELF binary nor a #! script"
        return ExecCheck(shown, res, "not-executable", why, family, elf)
    shebang = clean(first)
    interp_sec = sections.get_section(f"init.interp:{target}")
    words = first[2:].split()
    interp = resolution(interp_sec, clean(words[0]) if words else "?")
    if interp.state in ("absent", "dangling", "loop") or not words:
        why = f"{target} is a script for {interp.path}, which does not exist"
        return ExecCheck(shown, res, "interpreter-missing", why, family, elf, shebang, interp)
    if interp.state != "ok":
        why = f"{target}: its interpreter {interp.path} could not be checked ({interp.state})"
        return ExecCheck(shown, res, "unknown", why, family, elf, shebang, interp)
    if interp.kind != "f" or interp.executable is False:
        why = f"{target} is a script for {interp.path}, which is not executable"
        return ExecCheck(shown, res, "interpreter-missing", why, family, elf, shebang, interp)
    why = f"{target} is a script run by {interp.path}"
    return ExecCheck(shown, res, "ok", why, family, elf, shebang, interp)


def _init_arg(cmdline: str) -> str | None:
    """The `init=` the kernel would use (the last one wins). `rdinit=` is the initramfs'
    one, but with no initramfs (a direct kernel boot) it is what runs: reported when no
    `init=` is given."""
    value = rd = None
    for word in cmdline.split():
        if word == "--":
            break  # the rest goes to init, not the kernel
        if word.startswith("init="):
            value = word[len("init=") :].strip("\"'")
        elif word.startswith("rdinit="):
            rd = word[len("rdinit=") :].strip("\"'")
    return value or rd


def boot_label(check: ExecCheck | None) -> str:
    if check is None:
        return "unknown"
    if check.state in ("missing", "dangling", "loop"):
        return f"missing ({check.reason})"
    where = check.resolution.resolved or check.path
    label = (
        check.family if posixpath.basename(where) == check.family else f"{check.family} ({where})"
    )
    if check.state != "ok":
        label += f" [{check.state}]"
    return label


def effective_boot(facts: InitFacts, cmdline: str | None) -> tuple[ExecCheck | None, str | None]:
    """(the check of what the next boot execs, the init= value if one applies).

    With a known default command line: its `init=` if any, else /sbin/init. Unknown
    command line: /sbin/init (rules say separately when an init= in the configs could
    change that). The check is None when the applicable init= was never probed.
    """
    arg = _init_arg(cmdline) if cmdline is not None else None
    if arg:
        return facts.candidate(clean(arg)), arg
    return facts.sbin_init, None


def with_boot_cmdline(facts: InitFacts, cmdline: str | None) -> InitFacts:
    """The facts with boot_family / boot_label for the default entry's command line."""
    check, arg = effective_boot(facts, cmdline)
    if arg and check is None:
        return dataclasses.replace(
            facts, boot_family="unknown", boot_label=f"unknown (init={clean(arg)} not checked)"
        )
    family = check.family if check is not None else "unknown"
    return dataclasses.replace(facts, boot_family=family, boot_label=boot_label(check))


def with_external_boot(facts: InitFacts) -> InitFacts:
    """No bootloader config on this root: the next boot's kernel and command line come from
    outside (a hypervisor's direct kernel boot, a provider's kernel). `/sbin/init` may not
    be what runs at all (this machine boots `rdinit=/process_api`), so the boot init is
    unknown rather than guessed from the files."""
    current = f"; this boot used init={facts.current_init_arg}" if facts.current_init_arg else ""
    return dataclasses.replace(
        facts,
        boot_family="unknown",
        boot_label=(
            f"unknown (no bootloader config: kernel and command line come from outside{current})"
        ),
    )


def parse(sections: Sections) -> InitFacts:
    pid1 = _pid1(sections)
    markers, said = _markers(sections)
    running_family, running_label = _running(pid1, markers)

    current_sec = sections.get_section("init.proc.cmdline")
    current_arg = _init_arg(current_sec.text) if current_sec.ok else None

    inittab = _inittab(sections.get_section("init.inittab"))
    upstart = resolution(sections.get_section("init.have:/sbin/initctl"), "/sbin/initctl")
    real_init = "unknown" if upstart.found else "sysvinit"
    sbin = exec_check(sections, "/sbin/init", real_init)
    usr_sbin = exec_check(sections, "/usr/sbin/init", real_init)
    candidates = tuple(
        exec_check(sections, s.name[len("init.boot:") :], real_init)
        for s in sections.prefixed("init.boot")
        if s.name[len("init.boot:") :] not in BOOT_DEFAULTS
    )

    installed = []
    for path in INSTALLED_PATHS:
        res = resolution(sections.get_section(f"init.have:{path}"), path)
        if res.found and res.kind == "f" and res.executable:
            installed.append((family_of_path(res.resolved), path))
    installed_known = sections.get_section("init.inittab").state != "missing"

    targets = tuple(
        resolution(s, s.name[len("init.target:") :]) for s in sections.prefixed("init.target")
    )
    state_sec = sections.get_section("init.systemd.state")
    runlevel_sec = sections.get_section("init.runlevel")
    soft_sec = sections.get_section("init.openrc.softlevel")
    issues = []
    if sbin.state == "unknown":
        issues.append(sbin.reason)

    facts = InitFacts(
        running_family=running_family,
        running_label=running_label,
        pid1=pid1,
        running_evidence=said,
        current_init_arg=clean(current_arg) if current_arg else None,
        current_cmdline_state=current_sec.state,
        sbin_init=sbin,
        usr_sbin_init=usr_sbin,
        candidates=candidates,
        installed=tuple(installed),
        installed_known=installed_known,
        inittab=inittab,
        default_targets=targets,
        systemd_state=clean(state_sec.text.strip()) or None if state_sec.text.strip() else None,
        runlevel=clean(runlevel_sec.text.strip()) or None if runlevel_sec.ok else None,
        openrc_softlevel=clean(soft_sec.text.strip()) or None if soft_sec.ok else None,
        issues=tuple(issues),
    )
    return with_boot_cmdline(facts, None)

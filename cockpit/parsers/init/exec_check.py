"""Can the kernel exec this program? The boot init's checks, from the probes' sections.

One ExecCheck per program the next boot may run (/sbin/init, /usr/sbin/init, each `init=`
found in a boot config): its symlink chain (`emit_resolve`), its ELF interpreter and
libraries (`emit_elf`), or the interpreter on its `#!` line. Kept apart from PID 1 and
inittab because it is the one part the BLOCKER findings rest on.
"""

from __future__ import annotations

import posixpath
import re

from cockpit.facts.init import ElfInfo, ExecCheck, Resolution
from cockpit.parsers.init.families import BOOT_DEFAULTS, family_of_path
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, resolve_lines
from cockpit.snapshot import Section, Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "init.boot",
    "init.elf",
    "init.script",
    "init.interp",
)


def resolution(section: Section, path: str) -> Resolution:
    """An `emit_resolve` section as a Resolution, its state as the resolver said it.

    The resolver (collector/sh/20-paths.sh) tells a missing file behind a directory link
    (`/sbin -> usr/sbin` on merged /usr, no /usr/sbin/openrc: `absent`) from a link whose
    target leads nowhere (`dangling`, the link may be the file or a directory on its way).
    """
    if section.state not in ("ok", "absent", "dangling", "loop"):
        return Resolution(path=path, state=section.state)
    fields = resolve_lines(section.text)
    hops = tuple(clean(h) for h in fields.get("hops", "").split("\n") if h)
    state = section.state
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


def _dangling(shown: str, res: Resolution) -> str:
    """Which link leads nowhere: the file itself, or a directory link on its way."""
    base = posixpath.basename(res.path.rstrip("/"))
    if not res.hops or any(posixpath.basename(h.partition(" -> ")[0]) == base for h in res.hops):
        return f"{shown} is a dangling symlink"
    return f"{shown}: a symlink on its way leads nowhere ({res.hops[-1]})"


def elf_info(section: Section) -> ElfInfo:
    """An `emit_elf` section. A reader limit (`badelf`) is not the kernel's verdict."""
    if section.state != "ok":
        return ElfInfo(state=section.state)
    is_elf: bool | None = None
    static = False
    machine: int | None = None
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
        elif key == "machine":
            machine = int(rest) if rest.isdigit() else None
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
        machine=machine,
        static=static,
        interp=interp,
        interp_found=interp_found,
        interp_missing=interp_missing,
        needed_found=tuple(found),
        needed_missing=tuple(missing),
        bad=bad,
    )


def exec_check(
    sections: Sections, path: str, real_init: str = "sysvinit", follow: bool = True
) -> ExecCheck:
    """Everything the probes learned about one program the boot may exec. `follow`: a
    wrapper script's final `exec /path` is checked too (one level, as the probe does)."""
    res = resolution(sections.get_section(f"init.boot:{path}"), path)
    shown = clean(path)
    if res.state == "absent":
        return ExecCheck(shown, res, "missing", f"{shown} does not exist", "missing")
    if res.state == "dangling":
        return ExecCheck(shown, res, "dangling", _dangling(shown, res), "missing")
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
        return _script_check(sections, shown, res, target, family, elf, real_init, follow)
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
    sections: Sections,
    shown: str,
    res: Resolution,
    target: str,
    family: str,
    elf: ElfInfo,
    real_init: str,
    follow: bool,
) -> ExecCheck:
    script = sections.get_section(f"init.script:{target}")
    first = script.text.split("\n", 1)[0] if script.ok else ""
    if not first.startswith("#!"):
        why = f"{target} is neither an ELF binary nor a #! script"
        return ExecCheck(shown, res, "not-executable", why, family, elf)
    shebang = clean(first)
    interp_sec = sections.get_section(f"init.interp:{target}")
    # The kernel's #! reader (binfmt_script) ends the interpreter's name at a space, tab,
    # newline or NUL only: a CR from DOS line endings is part of the name it looks up.
    words = [w for w in re.split(r"[ \t\0]+", first[2:]) if w]
    if words and any(not ch.isprintable() for ch in words[0]):
        name = clean(words[0])
        why = (
            f"{target} is a script whose #! line ends in a carriage return (DOS line endings): "
            f"the kernel looks for {name!r}, which does not exist"
        )
        missing = Resolution(path=name, state="absent")
        return ExecCheck(shown, res, "interpreter-missing", why, family, elf, shebang, missing)
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
    then = _final_exec(script.text) if follow else None
    if then is None or sections.get_section(f"init.boot:{then}").state == "missing":
        return ExecCheck(shown, res, "ok", why, family, elf, shebang, interp)
    execs = exec_check(sections, then, real_init, follow=False)
    if execs.state != "ok":
        why = f"{target} ends in `exec {clean(then)}`, and {execs.reason}"
        state = "unknown" if execs.state == "unknown" else "exec-target-broken"
        return ExecCheck(shown, res, state, why, family, elf, shebang, interp, execs)
    why += f", which execs {execs.resolution.resolved or clean(then)}"
    return ExecCheck(shown, res, "ok", why, execs.family, elf, shebang, interp, execs)


def _final_exec(text: str) -> str | None:
    """The program a wrapper script hands PID 1 to: its last `exec /absolute/path` line
    (what the probe followed). None when it has none: the script is then the init."""
    found = None
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "exec" and words[1].startswith("/"):
            found = words[1]
    return found

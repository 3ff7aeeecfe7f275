"""init parser: the running init, the next boot's init and what it reads first.

Total: any section text (garbage, escapes, invalid UTF-8 already replaced by the framing)
gives InitFacts; host strings are passed through `clean` so they can be shown safely.
This module only assembles InitFacts from the parts, each in its own module:
`running` (PID 1 and run markers), `exec_check` (can the kernel exec a program),
`inittab` (sysvinit's /etc/inittab) and `next_boot` (which `init=` applies, which
needs the boot area's default entry: `with_boot_cmdline` / `with_external_boot`).
"""

from __future__ import annotations

from cockpit.facts.init import INSTALLED_PATHS, InitFacts
from cockpit.parsers.init import target_unit
from cockpit.parsers.init.exec_check import exec_check, resolution
from cockpit.parsers.init.families import BOOT_DEFAULTS, family_of_path
from cockpit.parsers.init.inittab import read_inittab
from cockpit.parsers.init.next_boot import init_arg, with_boot_cmdline, with_external_boot
from cockpit.parsers.init.running import read_pid1, run_markers, running_init
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "init.proc.cmdline",
    "init.inittab",
    "init.have",
    "init.boot",
    "init.target",
    "init.mask",
    "init.systemd.state",
    "init.runlevel",
    "init.runit",
)


def parse(sections: Sections) -> InitFacts:
    pid1 = read_pid1(sections)
    markers, said = run_markers(sections)
    running_family, running_label = running_init(pid1, markers)

    current_sec = sections.get_section("init.proc.cmdline")
    current_arg = init_arg(current_sec.text) if current_sec.ok else None

    inittab = read_inittab(sections.get_section("init.inittab"))
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
    overrides = tuple(
        resolution(s, s.name[len("init.mask:") :]) for s in sections.prefixed("init.mask")
    )
    runit_sec = sections.get_section("init.runit")
    runit_stages = tuple(
        (name, kind in ("f", "l") and exe and nonempty)
        for name, (kind, exe, nonempty, _target) in sorted(ls_entries(runit_sec.text).items())
        if name in ("1", "2", "3")
    )
    state_sec = sections.get_section("init.systemd.state")
    runlevel_sec = sections.get_section("init.runlevel")
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
        target_overrides=overrides,
        target_unit=target_unit.parse(sections),
        systemd_state=clean(state_sec.text.strip()) or None if state_sec.text.strip() else None,
        runlevel=clean(runlevel_sec.text.strip()) or None if runlevel_sec.ok else None,
        runit_dir_state=runit_sec.state,
        runit_stages=runit_stages if runit_sec.ok else (),
        issues=tuple(issues),
    )
    return with_boot_cmdline(facts, None)


__all__ = ["parse", "with_boot_cmdline", "with_external_boot"]

"""Which init runs now: PID 1's name, command line and binary, and the run-time markers.

The markers (/run/initctl, /run/systemd/system, /run/runit.stopit, /run/openrc) name the
init when PID 1 is only called `init`. Never a guess: an unknown PID 1 stays unknown, as
in a microVM whose PID 1 is an agent.
"""

from __future__ import annotations

import posixpath

from cockpit.facts.init import Pid1
from cockpit.parsers.init.families import family_of_path
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "init.pid1.comm",
    "init.pid1.cmdline",
    "init.pid1.exe",
    "init.run",
    "init.dev.initctl",
    "init.run.systemd",
    "init.run.openrc",
)

_COMM_FAMILY = {
    "systemd": "systemd",
    "openrc-init": "openrc",
    "runit": "runit",
    "runit-init": "runit",
    "s6-svscan": "s6",
    "busybox": "busybox",
}


def running_init(pid1: Pid1, markers: dict[str, bool]) -> tuple[str, str]:
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


def read_pid1(sections: Sections) -> Pid1:
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


def run_markers(sections: Sections) -> tuple[dict[str, bool], tuple[str, ...]]:
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

"""OpenRC and Gentoo's baselayout-1 rc: /etc/runlevels/<level>/<service> links.

Both start, at boot, the `sysinit` (OpenRC), `boot` and `default` runlevels; each entry
names /etc/init.d/<service> (OpenRC resolves by name). Also here: init scripts that
cannot run on this host (their interpreter is missing, or they rely on OpenRC's default
start() on a host whose rc is baselayout-1: the 2011 FTP daemon).
"""

from __future__ import annotations

import re

from cockpit.facts.services import Enablement, InitScriptProblem, RcView
from cockpit.parsers.reads import reads
from cockpit.parsers.services.listing import Ifupdown, Listing, prefixed_listings
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "services.rl",
    "services.initd",
)

SSHD_SERVICES = ("sshd", "dropbear", "ssh")
NETWORK_SERVICES = ("networking", "network", "dhcpcd", "NetworkManager", "connman", "netifrc")
BOOT_LEVELS = ("sysinit", "boot", "default")
_NET_IFACE = re.compile(r"^net\.(?!lo\d*$)[A-Za-z0-9_.:-]+$")
OPENRC_MARKERS = (
    "/sbin/openrc",
    "/usr/sbin/openrc",
    "/sbin/openrc-run",
    "/usr/sbin/openrc-run",
    "/lib/rc/sh/openrc-run.sh",
    "/lib/rc/sh/runscript.sh",
    "/usr/libexec/rc/sh/openrc-run.sh",
)
BASELAYOUT1_MARKERS = ("/sbin/runscript.sh", "/lib/rcscripts/sh/rc-services.sh")
_INTERPRETERS = (
    "/sbin/openrc-run",
    "/usr/sbin/openrc-run",
    "/sbin/runscript",
    "/usr/sbin/runscript",
)


def runlevels(sections: Sections) -> dict[str, Listing]:
    return {lst.path.rsplit("/", 1)[-1]: lst for lst in prefixed_listings(sections, "services.rl")}


def _is_network(name: str) -> bool:
    return name in NETWORK_SERVICES or bool(_NET_IFACE.match(name))


def _judge(levels: list[Listing], want, ifup: Ifupdown | None) -> Enablement:  # type: ignore[no-untyped-def]
    if not levels:
        return Enablement("disabled", evidence=("/etc/runlevels: no boot or default runlevel",))
    if not any(lst.definite for lst in levels):
        return Enablement("unknown", evidence=tuple(lst.shown() for lst in levels))
    broken: list[str] = []
    unconfigured: Enablement | None = None
    for lst in levels:
        for entry in lst.entries:
            if not want(entry.name):
                continue
            shown = lst.entry_shown(entry)
            if not entry.runnable:
                why = "missing" if entry.flag == "!" else "not executable"
                broken.append(f"{shown} (/etc/init.d/{clean(entry.name)}: {why})")
                continue
            if entry.name == "networking" and ifup is not None and ifup.configured is False:
                unconfigured = Enablement("unconfigured", entry.name, (shown, *ifup.evidence))
                continue
            return Enablement("enabled", entry.name, (shown,))
    if unconfigured is not None:
        return unconfigured
    if broken:
        return Enablement("broken", None, tuple(broken))
    if any(not lst.definite for lst in levels):
        return Enablement("unknown", evidence=tuple(lst.shown() for lst in levels))
    return Enablement("disabled", evidence=tuple(lst.shown() for lst in levels))


def view(rc: str, sections: Sections, ifup: Ifupdown, paths: dict[str, str]) -> RcView:
    """`rc` is `openrc` or `baselayout1`: same layout, different remedies and markers."""
    top = sections.get_section("services.rl")
    if top.state == "missing":
        return RcView(rc, False)
    levels = runlevels(sections)
    boot = levels.get("boot")
    boot_entries = boot.names() if boot is not None and boot.state == "ok" else None
    if boot is not None:
        boot_state = boot.state
    elif top.state == "ok":
        boot_state = "absent"
    else:
        boot_state = top.state
    order = [levels[name] for name in BOOT_LEVELS if name in levels]
    sshd = _judge(order, lambda n: n in SSHD_SERVICES, None)
    network = _judge(order, _is_network, ifup)
    sshd_service = next((n for n in SSHD_SERVICES if f"/etc/init.d/{n}" in paths), None)
    network_service = next(
        (
            n
            for n in ("networking", "net.lo", "network", "dhcpcd", "NetworkManager")
            if f"/etc/init.d/{n}" in paths
        ),
        None,
    )
    return RcView(
        rc,
        top.state == "ok",
        sshd,
        network,
        listings=tuple(lst.shown() for lst in order),
        boot_runlevel=boot_entries,
        boot_runlevel_state=boot_state,
        sysinit_runlevel=tuple(e.name for e in levels["sysinit"].entries)
        if "sysinit" in levels
        else (),
        sshd_service=sshd_service,
        network_service=network_service,
    )


def _script_lines(sections: Sections) -> dict[str, list[tuple[int, str]]]:
    """`grep -n -H` output of /etc/init.d: script -> [(line number, text)]."""
    out: dict[str, list[tuple[int, str]]] = {}
    for line in sections.get_section("services.initd").lines():
        script, sep, rest = line.partition(":")
        number, sep2, text = rest.partition(":")
        if not sep or not sep2 or not number.isdigit():
            continue
        out.setdefault(script, []).append((int(number), text))
    return out


_START = re.compile(r"^\s*start\s*\(\)")
_COMMAND = re.compile(r"^\s*command=")


def script_problems(sections: Sections, paths: dict[str, str]) -> tuple[InitScriptProblem, ...]:
    """Init scripts that cannot start their service on this host.

    1. The `#!` interpreter is OpenRC's or baselayout's runner and does not exist.
    2. The script relies on OpenRC's default start() (`command=` and no start()), but
       the host's rc is baselayout-1 (its runscript.sh present, no OpenRC library): that
       runscript has no default start(), so `/etc/init.d/<x> start` fails.
    """
    openrc = any(p in paths for p in OPENRC_MARKERS)
    baselayout1 = any(p in paths for p in BASELAYOUT1_MARKERS)
    problems: list[InitScriptProblem] = []
    for script, lines in sorted(_script_lines(sections).items()):
        path = f"/etc/init.d/{clean(script)}"
        shebang = next((t for n, t in lines if n == 1 and t.startswith("#!")), None)
        interp = shebang[2:].strip().split(" ", 1)[0] if shebang else None
        if interp in _INTERPRETERS and interp not in paths:
            problems.append(
                InitScriptProblem(
                    path,
                    f"its interpreter {interp} does not exist",
                    (f"{path}: {clean(shebang or '')}", f"{interp}: (no such file)"),
                )
            )
            continue
        command = next((t for _n, t in lines if _COMMAND.match(t)), None)
        has_start = any(_START.match(t) for _n, t in lines)
        if command and not has_start and interp in _INTERPRETERS and baselayout1 and not openrc:
            problems.append(
                InitScriptProblem(
                    path,
                    "written for OpenRC (command= without start()), "
                    "but this host's rc is baselayout-1",
                    (
                        f"{path}: {clean(shebang or '')}",
                        f"{path}: {clean(command.strip())}",
                        f"{path}: no start() function",
                        "OpenRC is not installed (no /sbin/openrc, no /lib/rc/sh); "
                        + next(p for p in BASELAYOUT1_MARKERS if p in paths)
                        + " is baselayout-1's",
                    ),
                )
            )
    return tuple(problems)

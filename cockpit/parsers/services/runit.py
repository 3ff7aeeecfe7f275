"""runit: the services of the default runsvdir (Void: /var/service -> .../current -> default).

runit's stage 2 runs `runsvdir` on /etc/runit/runsvdir/<runlevel> (`default` unless the
kernel command line names another); each entry links /etc/sv/<service>, whose `run` must
be executable. Debian's runit uses /etc/service, read when there is no default runsvdir.
Network: a dhcpcd/NetworkManager/connman service, or commands in /etc/rc.local (Void's
documented place for static addresses).
Debian's runit emulates sysv: stage 1 (/etc/runit/1) runs every /etc/rcS.d/S* script and
stage 2 (/etc/runit/2) runs /lib/runit/run_sysv_scripts on /etc/rc2.d, unless
/etc/runit/no.emulate.sysv exists; so ifupdown's `networking` in rcS.d does start there
(found by the real-roots tier, tests/real). Per-script opt-outs in
/etc/runit/no.emulate.sysv.d/ are not read.
"""

from __future__ import annotations

import re

from cockpit.facts.services import Enablement, RcView
from cockpit.parsers.reads import reads
from cockpit.parsers.services import sysv
from cockpit.parsers.services.listing import Ifupdown, Listing, listing
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "services.runit.default",
    "services.runit.service",
    "services.rclocal",
)

SSHD_SERVICES = ("sshd", "ssh", "dropbear")
NETWORK_SERVICES = ("dhcpcd", "NetworkManager", "connmand", "wicd", "networking")
_RCLOCAL_NET = re.compile(
    r"^\s*[^#]*\b(ip\s+(addr|address|link|route)|ifconfig|dhcpcd|udhcpc|ifup)\b"
)


def _judge(lst: Listing, want) -> Enablement:  # type: ignore[no-untyped-def]
    if not lst.definite:
        return Enablement("unknown", evidence=(lst.shown(),))
    broken: list[str] = []
    for entry in lst.entries:
        if not want(entry.name):
            continue
        shown = lst.entry_shown(entry)
        if entry.runnable:
            return Enablement("enabled", entry.name, (shown,))
        why = "missing" if entry.flag == "!" else "not executable"
        broken.append(f"{shown} (/etc/sv/{clean(entry.name)}/run: {why})")
    if broken:
        return Enablement("broken", None, tuple(broken))
    return Enablement("disabled", evidence=(lst.shown(),))


def _sysv_emulated(
    own: Enablement, sections: Sections, scripts: tuple[str, ...], ifup: Ifupdown | None
) -> Enablement:
    """What Debian runit's sysv emulation starts when no runit service does."""
    if own.state == "enabled":
        return own
    dirs = sysv.rc_listings(sections)
    emulated = sysv.judge([dirs["S"], dirs["2"]], scripts, ifup)
    if emulated.state not in ("enabled", "unconfigured", "broken"):
        return own
    how = "/lib/runit/run_sysv_scripts: runit stages 1 and 2 run rcS.d and rc2.d"
    return Enablement(emulated.state, emulated.what, (*emulated.evidence, how), emulated.note)


def view(sections: Sections, paths: dict[str, str], ifup: Ifupdown | None = None) -> RcView:
    default = listing(sections, "services.runit.default", "/etc/runit/runsvdir/default")
    if default.state == "missing":
        return RcView("runit", False)
    if default.state == "absent":
        service = listing(sections, "services.runit.service", "/etc/service")
        if service.state != "absent":
            default = service
    sshd = _judge(default, lambda n: n in SSHD_SERVICES or n.startswith("sshd"))
    network = _judge(default, lambda n: n in NETWORK_SERVICES or n.startswith("dhcpcd"))
    if network.state in ("disabled", "broken"):
        rclocal = sections.get_section("services.rclocal")
        for line in rclocal.lines():
            if _RCLOCAL_NET.match(line):
                network = Enablement(
                    "enabled", "/etc/rc.local", (f"/etc/rc.local: {clean(line.strip())}",)
                )
                break
    if "/lib/runit/run_sysv_scripts" in paths and "/etc/runit/no.emulate.sysv" not in paths:
        sshd = _sysv_emulated(sshd, sections, sysv.SSHD_SCRIPTS, None)
        network = _sysv_emulated(network, sections, sysv.NETWORK_SCRIPTS, ifup)
    return RcView(
        "runit",
        default.state == "ok",
        sshd,
        network,
        listings=(default.shown(),),
        sshd_service=next((n for n in SSHD_SERVICES if f"/etc/sv/{n}" in paths), None),
        network_service=next(
            (n for n in ("dhcpcd", "NetworkManager") if f"/etc/sv/{n}" in paths), None
        ),
    )

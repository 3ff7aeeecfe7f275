"""sysv-rc (Debian sysvinit, RH initscripts): what /etc/rcS.d and /etc/rcN.d start.

sysvinit runs `/etc/init.d/rc N` for the default runlevel of /etc/inittab, which runs the
`S??name` links of /etc/rcN.d (after /etc/rcS.d at boot). A link whose script is gone or
not executable starts nothing.
"""

from __future__ import annotations

from cockpit.facts.services import Enablement, Inittab, RcView
from cockpit.parsers.reads import reads
from cockpit.parsers.services.listing import Entry, Ifupdown, Listing, listing
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "services.rc",
)

SSHD_SCRIPTS = ("ssh", "sshd", "dropbear", "openssh-server")
NETWORK_SCRIPTS = ("networking", "network", "network-manager", "NetworkManager", "wicd", "dhcpcd")


def rc_listings(sections: Sections) -> dict[str, Listing]:
    """{'S': rcS.d, '2': rc2.d, ...} as the probe saw them."""
    out: dict[str, Listing] = {}
    for level in ("S", "2", "3", "4", "5"):
        path = f"/etc/rc{level}.d"
        out[level] = listing(sections, f"services.rc:{path}", path)
    return out


def start_links(lst: Listing, scripts: tuple[str, ...]) -> list[tuple[str, Listing, Entry]]:
    """(script, listing, entry) for each `S??script` link naming one of `scripts`."""
    found: list[tuple[str, Listing, Entry]] = []
    for entry in lst.entries:
        name = entry.name
        if len(name) > 3 and name[0] == "S" and name[1:3].isdigit() and name[3:] in scripts:
            found.append((name[3:], lst, entry))
    return found


def judge(dirs: list[Listing], scripts: tuple[str, ...], ifup: Ifupdown | None) -> Enablement:
    if not any(d.definite for d in dirs):
        return Enablement("unknown", evidence=tuple(d.shown() for d in dirs))
    broken: list[str] = []
    for d in dirs:
        for script, lst, entry in start_links(d, scripts):
            shown = lst.entry_shown(entry)
            if not entry.runnable:
                why = "missing" if entry.flag == "!" else "not executable"
                broken.append(f"{shown} (/etc/init.d/{script}: {why})")
                continue
            if script == "networking" and ifup is not None and ifup.configured is False:
                return Enablement("unconfigured", script, (shown, *ifup.evidence))
            note = None
            if script == "networking" and ifup is not None and ifup.configured is None:
                note = "could not read which interfaces ifupdown brings up"
            return Enablement("enabled", script, (shown,), note)
    if broken:
        return Enablement("broken", None, tuple(broken))
    unknown = [d for d in dirs if not d.definite]
    if unknown:
        return Enablement("unknown", evidence=tuple(d.shown() for d in dirs))
    return Enablement("disabled", evidence=tuple(d.shown() for d in dirs))


def view(sections: Sections, inittab: Inittab, ifup: Ifupdown, paths: dict[str, str]) -> RcView:
    dirs = rc_listings(sections)
    present = any(d.state == "ok" for d in dirs.values())
    level = inittab.default_runlevel if inittab.default_runlevel in ("2", "3", "4", "5") else "2"
    boot_dirs = [dirs["S"], dirs[level]]
    sshd = judge(boot_dirs, SSHD_SCRIPTS, None)
    network = judge(boot_dirs, NETWORK_SCRIPTS, ifup)
    if inittab.default_runlevel is None:
        note = "no initdefault in /etc/inittab: judged for runlevel 2"
        sshd = Enablement(sshd.state, sshd.what, sshd.evidence, sshd.note or note)
    return RcView(
        "sysv-rc",
        present,
        sshd,
        network,
        listings=tuple(d.shown() for d in boot_dirs),
        sshd_service=next((n for n in SSHD_SCRIPTS if f"/etc/init.d/{n}" in paths), None),
        network_service=next((n for n in NETWORK_SCRIPTS if f"/etc/init.d/{n}" in paths), None),
    )


def leftover_links(sections: Sections, scripts: tuple[str, ...]) -> tuple[str, ...]:
    """rc links for `scripts`, quoted: evidence that other inits' leftovers were ignored."""
    out: list[str] = []
    for lst in rc_listings(sections).values():
        for _script, d, entry in start_links(lst, scripts):
            out.append(d.entry_shown(entry))
    return tuple(out)


def generated_enabled(sections: Sections, script: str) -> str | None:
    """systemd-sysv-generator: a script with an S link in rc2..5.d becomes a wanted unit
    (only when no native unit of that name exists; the caller checks that)."""
    for level in ("2", "3", "4", "5"):
        lst = rc_listings(sections)[level]
        for _s, d, entry in start_links(lst, (script,)):
            if entry.runnable:
                return d.entry_shown(entry)
    return None

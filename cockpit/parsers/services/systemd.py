"""systemd: what the next boot starts, from /etc/systemd/system and the unit directories.

`systemctl enable` writes links into /etc/systemd/system/<target>.wants/ (or .requires);
`systemctl mask` links /etc/systemd/system/<unit> to /dev/null (an empty file masks too).
A wants link whose unit file no longer exists starts nothing. systemd reads rc links only
through systemd-sysv-generator, and only for scripts that have no native unit: an
/etc/rc2.d/S01ssh next to a native ssh.service is a leftover and counts for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.facts.services import Enablement, RcView
from cockpit.parsers.reads import reads
from cockpit.parsers.services.listing import Entry, Ifupdown, Listing, listing, prefixed_listings
from cockpit.parsers.services.sysv import generated_enabled, leftover_links
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "services.sd.etc",
    "services.sd.units",
    "services.sd.wants",
    "services.sd.net",
)

SSHD_UNITS = (
    "ssh.service",
    "sshd.service",
    "ssh.socket",
    "sshd.socket",
    "dropbear.service",
    "dropbear.socket",
)
#: Units that bring the network up by themselves (NetworkManager configures wired links
#: by default). systemd-networkd and ifupdown's networking.service need configuration.
NETWORK_UNITS = (
    "NetworkManager.service",
    "systemd-networkd.service",
    "networking.service",
    "wicked.service",
    "connman.service",
    "dhcpcd.service",
    "network.service",
)
NETWORK_TEMPLATES = ("dhcpcd@", "netctl@")
#: Targets a normal boot never reaches: units wanted only by these do not start.
_NOT_BOOT = (
    "rescue.target",
    "emergency.target",
    "shutdown.target",
    "halt.target",
    "poweroff.target",
    "reboot.target",
    "kexec.target",
    "final.target",
    "umount.target",
    "sleep.target",
    "suspend.target",
    "hibernate.target",
    "hybrid-sleep.target",
    "suspend-then-hibernate.target",
)
#: Vendor .network files that match only containers or special links, not a host's NIC.
_SPECIAL_NETWORK = ("80-container-", "80-vm-", "80-namespace-", "80-6rd-", "80-auto-link-local")
_UNIT_DIRS = ("/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system")


@dataclass(frozen=True)
class _Units:
    etc: Listing
    vendor: dict[str, tuple[str, str, str | None]]  # name -> (kind f|e|l, path, target)
    wants: list[Listing]

    def masked(self, name: str) -> str | None:
        entry = self.etc.get(name)
        if entry is None:
            return None
        if entry.kind == "l" and entry.target == "/dev/null":
            return self.etc.entry_shown(entry)
        if entry.kind == "f" and entry.flag == "e":
            return f"{self.etc.path}/{clean(name)} (empty file)"
        return None

    def exists(self, name: str) -> bool:
        entry = self.etc.get(name)
        if entry is not None and self.masked(name) is None:
            if entry.kind == "f":
                return True
            if entry.kind == "l" and entry.target:  # an alias, or a linked unit file
                base = entry.target.rsplit("/", 1)[-1]
                aliased = self.etc.get(base)
                if aliased is not None and aliased.kind == "f" and aliased.flag != "e":
                    return True
                found = self.vendor.get(base)
                return found is not None and found[0] != "e"
        found = self.vendor.get(name)
        return found is not None and found[0] != "e"

    def any_file(self, name: str) -> bool:
        """A unit file of that name exists at all, even masked or empty: then
        systemd-sysv-generator leaves the init script of the same name alone."""
        return self.etc.get(name) is not None or name in self.vendor

    def wanted(
        self, match: tuple[str, ...], templates: tuple[str, ...] = ()
    ) -> list[tuple[Entry, str, str]]:
        """(entry, entry name, shown) for boot-reaching wants links naming a match."""
        out: list[tuple[Entry, str, str]] = []
        for lst in self.wants:
            target_dir = lst.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if target_dir in _NOT_BOOT or target_dir.startswith("initrd"):
                continue
            for entry in lst.entries:
                if entry.name in match or entry.name.startswith(templates or ("\0",)):
                    out.append((entry, entry.name, lst.entry_shown(entry)))
        return out


def wanted_at_boot(sections: Sections, name: str) -> str | None:
    """The wants link that starts unit `name` at boot (shown), None if none does or it is
    masked: for other parsers asking whether an admin's unit runs at all."""
    units = _units(sections)
    if units.masked(name) is not None:
        return None
    found = units.wanted((name,))
    return found[0][2] if found else None


def _units(sections: Sections) -> _Units:
    etc = listing(sections, "services.sd.etc", "/etc/systemd/system")
    vendor: dict[str, tuple[str, str, str | None]] = {}
    sec = sections.get_section("services.sd.units")
    for line in sec.lines():
        kind, _, rest = line.partition(" ")
        path, _, target = rest.partition(" -> ")
        name = path.rsplit("/", 1)[-1]
        if kind in ("f", "e", "l") and name and name not in vendor:
            vendor[name] = (kind, path, target or None)
    wants = prefixed_listings(sections, "services.sd.wants")
    return _Units(etc, vendor, wants)


def _template_exists(units: _Units, instance: str) -> bool:
    if units.exists(instance):
        return True
    if "@" in instance:
        base = instance.split("@", 1)[0] + "@." + instance.rsplit(".", 1)[-1]
        return units.exists(base)
    return False


def _judge(
    units: _Units,
    names: tuple[str, ...],
    templates: tuple[str, ...],
    sections: Sections,
    scripts: tuple[str, ...],
    configured: dict[str, tuple[bool | None, tuple[str, ...]]],
) -> Enablement:
    if not units.etc.definite or any(not w.definite for w in units.wants):
        return Enablement("unknown", evidence=(units.etc.shown(),))
    broken: list[str] = []
    masked_wants: list[str] = []
    unconfigured: list[tuple[str, tuple[str, ...]]] = []
    for entry, name, shown in units.wanted(names, templates):
        if units.masked(name):
            masked_wants.append(shown)
            continue
        # the link's own target counts too: wants/sshd.service -> .../ssh.service (an alias)
        target = entry.target.rsplit("/", 1)[-1] if entry.target else None
        if not _template_exists(units, name) and not (target and units.exists(target)):
            broken.append(
                f"{shown} (no unit file {clean(name)} in /etc/systemd/system, "
                f"{', '.join(_UNIT_DIRS)})"
            )
            continue
        ok, why = configured.get(name, (True, ()))
        if ok is False:
            unconfigured.append((name, (shown, *why)))
            continue
        note = "could not read its configuration" if ok is None else None
        return Enablement("enabled", name, (shown, *why[:2]), note)
    # systemd-sysv-generator: an init script with no native unit, linked in rc2..5.d.
    for script in scripts:
        if units.any_file(f"{script}.service"):
            continue
        generated = generated_enabled(sections, script)
        if generated:
            return Enablement(
                "enabled",
                f"{script}.service",
                (generated,),
                "through systemd-sysv-generator (no native unit)",
            )
    if unconfigured:
        name, why = unconfigured[0]
        return Enablement("unconfigured", name, why)
    masks = [m for m in (units.masked(n) for n in names) if m]
    if masks:  # a mask wins over any enablement: nothing starts the unit
        return Enablement("masked", None, (*masks, *masked_wants[:2]))
    if broken:
        return Enablement("broken", None, tuple(broken))
    shown_wants = [
        w.shown()
        for w in units.wants
        if w.path.endswith(("multi-user.target.wants", "sockets.target.wants"))
    ]
    evidence = tuple(shown_wants or [f"{units.etc.path}: no multi-user.target.wants directory"])
    leftovers = leftover_links(sections, scripts)
    note = None
    if leftovers:
        note = "ignored by systemd (native unit exists): " + ", ".join(leftovers[:3])
    return Enablement("disabled", None, evidence, note)


def _networkd_config(sections: Sections) -> tuple[bool | None, tuple[str, ...]]:
    lists = prefixed_listings(sections, "services.sd.net")
    found: list[str] = []
    unknown = False
    for lst in lists:
        if not lst.definite:
            unknown = True
        netplan = "netplan" in lst.path
        for entry in lst.entries:
            name = entry.name
            if netplan and name.endswith((".yaml", ".yml")):
                found.append(f"{lst.path}/{clean(name)}")
            elif name.endswith(".network"):
                vendor = not lst.path.startswith(("/etc/", "/usr/local/"))
                if vendor and name.startswith(_SPECIAL_NETWORK):
                    continue
                found.append(f"{lst.path}/{clean(name)}")
    if found:
        return True, tuple(found[:3])
    if unknown or not lists:
        return None, ()
    return False, (
        "no .network file in /etc/systemd/network or /usr/lib/systemd/network, no netplan YAML",
    )


def view(sections: Sections, ifup: Ifupdown) -> RcView:
    units = _units(sections)
    present = units.etc.state == "ok" or bool(units.vendor)
    if sections.get_section("services.sd.etc").state == "missing":
        return RcView("systemd", False)
    configured = {
        "systemd-networkd.service": _networkd_config(sections),
        "networking.service": (ifup.configured, ifup.evidence),
    }
    sshd = _judge(units, SSHD_UNITS, (), sections, ("ssh", "sshd", "dropbear"), {})
    network = _judge(
        units,
        NETWORK_UNITS,
        NETWORK_TEMPLATES,
        sections,
        ("networking", "network", "network-manager"),
        configured,
    )
    return RcView(
        "systemd",
        present,
        sshd,
        network,
        listings=tuple(w.shown() for w in units.wants[:8]),
        sshd_service=_installed(units, SSHD_UNITS),
        network_service=_installed(units, NETWORK_UNITS),
    )


def _installed(units: _Units, choices: tuple[str, ...]) -> str | None:
    """The first of `choices` that has a unit file (to name it in a remedy)."""
    for name in choices:
        if units.exists(name) or units.masked(name):
            return name
    return None

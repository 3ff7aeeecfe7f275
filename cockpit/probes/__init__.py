"""What to read on a host, per area, declared as data (see base.Probe)."""

from collections.abc import Mapping

from cockpit.probes import boot, host, init, kernel, packages, reboots, services, since_boot
from cockpit.probes.base import Probe

ALL_PROBES: tuple[Probe, ...] = (
    *host.PROBES,
    *init.PROBES,
    *boot.PROBES,
    *kernel.PROBES,
    *reboots.PROBES,
    *packages.PROBES,
    *services.PROBES,
    *since_boot.PROBES,
)

#: Section families sent on purpose for people only: the raw view (`v`), recordings and
#: reports show them, no parser reads them. Every other family a probe emits must be read
#: by a parser that declares it (tests/test_contract.py checks both ways).
RAW_VIEW_ONLY: Mapping[str, str] = {
    "packages.dpkg": "the /var/lib/dpkg listing (locks, journal, triggers present), for a "
    "person; the parser reads the targeted dpkg sections",
    "packages.apk": "the /lib/apk/db listing; apk's lock file always exists (flock), so "
    "it says nothing a rule could use",
    "packages.apk-world": "/etc/apk/world, what the admin asked apk for: context, not state",
}

#: Section families a transport adds beside the collector's own output, with why. They are
#: framed, recorded and replayed like any section; the contract test counts them as sent.
TRANSPORT_SECTIONS: Mapping[str, str] = {
    "boot.viewer-devices": "offline transport: the block devices behind a mounted ROOT, "
    "read on the viewing machine (transports/viewer_devices.py)",
}

__all__ = ["ALL_PROBES", "RAW_VIEW_ONLY", "TRANSPORT_SECTIONS", "Probe"]

"""What to read on a host, per area, declared as data (see base.Probe)."""

from cockpit.probes import boot, host, init, packages, reboots, services, since_boot
from cockpit.probes.base import Probe

ALL_PROBES: tuple[Probe, ...] = (
    *host.PROBES,
    *init.PROBES,
    *boot.PROBES,
    *reboots.PROBES,
    *packages.PROBES,
    *services.PROBES,
    *since_boot.PROBES,
)

__all__ = ["ALL_PROBES", "Probe"]

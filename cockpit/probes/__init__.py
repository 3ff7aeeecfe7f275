"""What to read on a host, per area, declared as data (see base.Probe)."""

from cockpit.probes import boot, host, init, kernel, packages, reboots, services
from cockpit.probes.base import Probe

ALL_PROBES: tuple[Probe, ...] = (
    *host.PROBES,
    *init.PROBES,
    *boot.PROBES,
    *kernel.PROBES,
    *reboots.PROBES,
    *packages.PROBES,
    *services.PROBES,
)

__all__ = ["ALL_PROBES", "Probe"]

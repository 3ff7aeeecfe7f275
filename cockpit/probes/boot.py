"""boot probes. STUB."""

from cockpit.probes.base import Probe

PROBES: tuple[Probe, ...] = ()

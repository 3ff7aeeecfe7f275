"""Pure, total parsers: sections in, frozen facts out."""

from cockpit.facts import HostFacts
from cockpit.parsers import boot, host, init, packages, reboots, services
from cockpit.snapshot import Snapshot


def parse_snapshot(snapshot: Snapshot) -> HostFacts:
    s = snapshot.sections
    return HostFacts(
        mode=snapshot.mode,
        host=host.parse(s),
        init=init.parse(s),
        reboots=reboots.parse(s),
        packages=packages.parse(s),
        services=services.parse(s),
        boot=boot.parse(s),
    )


__all__ = ["parse_snapshot"]

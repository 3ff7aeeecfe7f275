"""Pure, total parsers: sections in, frozen facts out."""

from cockpit.facts import HostFacts
from cockpit.parsers import boot, host, init, packages, reboots, services
from cockpit.snapshot import Snapshot


def parse_snapshot(snapshot: Snapshot) -> HostFacts:
    s = snapshot.sections
    boot_facts = boot.parse(s)
    # The init the next boot runs depends on the default entry's `init=`: boot first.
    init_facts = init.with_boot_cmdline(init.parse(s), boot_facts.default_cmdline)
    if not boot_facts.loaders and boot_facts.boot_dir_state in ("ok", "absent"):
        init_facts = init.with_external_boot(init_facts)
    return HostFacts(
        mode=snapshot.mode,
        host=host.parse(s),
        init=init_facts,
        reboots=reboots.parse(s),
        packages=packages.parse(s),
        services=services.parse(s),
        boot=boot_facts,
    )


__all__ = ["parse_snapshot"]

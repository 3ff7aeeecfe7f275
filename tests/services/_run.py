"""Test helpers: run only the services probes on a root; wrap ServiceFacts in HostFacts."""

from __future__ import annotations

from pathlib import Path

from cockpit.facts import BootFacts, HostFacts, HostInfo, InitFacts, PackageFacts, RebootFacts
from cockpit.facts.services import ServiceFacts
from cockpit.probes.services import PROBES
from cockpit.snapshot import Sections
from tests.support import run_probes


def collect_services(shell: str, root: Path | None) -> Sections:
    return run_probes(PROBES, shell, root)


def facts(
    services: ServiceFacts,
    *,
    boot: str = "systemd",
    running: str = "systemd",
    mode: str = "offline",
    family: str = "deb",
    container: str | None = None,
) -> HostFacts:
    """HostFacts around a ServiceFacts, with the init contract fields the rules read."""
    host = HostInfo(
        hostname="h",
        os_id=None,
        os_like=(),
        os_pretty=None,
        family=family,
        kernel_release=None,
        boot_id=None,
        epoch=None,
        utc_offset=None,
        tz_name="UTC",
        container=container,
        looks_like_linux=True,
    )
    init = InitFacts(
        running_family=running, boot_family=boot, running_label=running, boot_label=boot
    )
    return HostFacts(
        mode=mode,
        host=host,
        init=init,
        reboots=RebootFacts(),
        packages=PackageFacts(),
        services=services,
        boot=BootFacts(),
    )

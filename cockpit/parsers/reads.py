"""What a parser module reads, declared next to its code (as insights-core's
`@parser(Specs.cmdline)` sits above its class).

Each module that looks sections up says which section *families* it reads: a family is a
section name up to its first `:` (`boot.file` for `boot.file:/boot/grub/grub.cfg`). A
module that reads another area's sections (the boot tree's `host.top`, reboots' distro
family from `host.os`) declares those too, where it uses them. tests/test_contract.py
holds the declarations to account, both ways: every family read while parsing the sample
trees, the corpus and this machine is declared by its area, every declared family is one
a probe emits, and every family a probe emits is declared or listed as raw-view only
(cockpit.probes.RAW_VIEW_ONLY).
"""

from __future__ import annotations

import re

_AREAS = "host|init|boot|reboots|packages|services|since_boot"
_FAMILY = re.compile(rf"({_AREAS})\.[A-Za-z0-9_.-]*[A-Za-z0-9_]")


def reads(*families: str) -> frozenset[str]:
    """A module's declaration: the families it reads (`area.name`, no `:` part)."""
    for name in families:
        if not _FAMILY.fullmatch(name):
            raise ValueError(f"not a section family: {name!r} (area.name, without ':...')")
    return frozenset(families)


def family(section: str) -> str:
    """`boot.file:/boot/grub/grub.cfg` -> `boot.file`."""
    return section.partition(":")[0]

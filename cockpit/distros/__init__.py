"""One entry per distribution family: what cockpit knows of each, in one place.

A family (`deb`, `rh`, `void`...) names its os-release IDs, its package managers, the init
it usually boots, and the commands a tired admin types to put things back. A package
manager (`dpkg`, `xbps`...) names where its database lives, its locks, the packages the
next boot depends on, the config files it leaves to merge, and what to type when a run
of it was cut short. Probes, parsers and rules dispatch from here, so a new family is one
entry in table.py, one parser module and its tests, not an edit in every area.

Pure data: this package imports nothing else from cockpit, and everything may import it.
"""

from __future__ import annotations

from cockpit.distros.model import ConfigMerge, Family, PackageManager, PidFile
from cockpit.distros.table import FAMILIES, MANAGERS

UNKNOWN = Family(name="unknown", os_ids=(), managers=())

_BY_FAMILY = {f.name: f for f in FAMILIES}
_BY_MANAGER = {m.name: m for m in MANAGERS}
_BY_RUN = {m.run_name: m for m in MANAGERS if m.run_name}


def family(name: str) -> Family:
    """The entry for HostInfo.family (`unknown` and anything else: the empty entry)."""
    return _BY_FAMILY.get(name, UNKNOWN)


def family_of(os_id: str | None, like: tuple[str, ...]) -> str:
    """The family of an os-release ID and ID_LIKE: an exact ID first, then a prefix
    (`opensuse-leap` is suse), trying ID before each ID_LIKE word."""
    for word in (os_id or "", *like):
        for fam in FAMILIES:
            if word in fam.os_ids:
                return fam.name
        for fam in FAMILIES:
            if word and any(word.startswith(i) for i in fam.os_ids):
                return fam.name
    return UNKNOWN.name


def manager(name: str) -> PackageManager | None:
    return _BY_MANAGER.get(name)


def manager_of_run(run_name: str) -> PackageManager | None:
    """The manager whose log calls a run `run_name` (Transaction.manager: apt, pacman...)."""
    return _BY_RUN.get(run_name)


def essential_packages(kind: str) -> frozenset[str]:
    """Every manager's init (`kind` init) or libc (`libc`) package names."""
    if kind == "init":
        return frozenset().union(*(m.init_packages for m in MANAGERS))
    return frozenset().union(*(m.libc_packages for m in MANAGERS))


def config_merge_base(path: str) -> str:
    """The config file a leftover (`/etc/fstab.dpkg-new`) is for; the path itself if none."""
    for m in MANAGERS:
        for merge in m.config_merges:
            base = merge.base(path)
            if base is not None:
                return base
    return path


__all__ = [
    "FAMILIES",
    "MANAGERS",
    "UNKNOWN",
    "ConfigMerge",
    "Family",
    "PackageManager",
    "PidFile",
    "config_merge_base",
    "essential_packages",
    "family",
    "family_of",
    "manager",
    "manager_of_run",
]

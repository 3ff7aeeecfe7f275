"""Facts about the host as a whole: identity, clock and time zone, running kernel."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HostInfo:
    """Who the host is and what time it is there.

    `epoch` is the host's own clock (live mode) or None (offline: the caller's `--at` or
    clock stands in). `tz_name` is an IANA zone name when the host names one; `utc_offset`
    (seconds) is what `date +%z` said, used when no zone name is known.
    """

    hostname: str | None
    os_id: str | None  # os-release ID, e.g. debian, fedora, gentoo, alpine, arch
    os_like: tuple[str, ...]
    os_pretty: str | None
    family: str  # a cockpit.distros family name (deb, rh, arch...) or unknown
    kernel_release: str | None  # uname -r (live) or /proc/sys/kernel/osrelease if present
    boot_id: str | None
    epoch: int | None
    utc_offset: int | None
    tz_name: str | None
    container: str | None  # container technology if the host is one, else None
    looks_like_linux: bool  # offline roots: does this tree hold a Linux system at all?
    issues: tuple[str, ...] = ()
    #: The collector's effective user id (None: not reported, e.g. an older recording).
    collector_uid: int | None = None

    @property
    def as_root(self) -> bool | None:
        """Did the collector read as root? None when unknown."""
        return None if self.collector_uid is None else self.collector_uid == 0

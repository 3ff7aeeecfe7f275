"""What the current boot used, read on a live host: the facts the "proven by the current
boot" pass (rules/chain/live.py) rests on.

A chain artifact unchanged since the boot (ctime and mtime not after /proc/stat's btime,
on the device it is expected on) is the very file this boot went through. Everything is
kept as read; nothing here decides. Offline roots have no boot: `state` says `offline`
and every lookup answers None.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Stamp:
    """One `stat` line: device (st_dev), inode, mtime, ctime (epoch seconds), path."""

    path: str
    dev: int
    ino: int
    mtime: int
    ctime: int

    @property
    def changed_at(self) -> int:
        """When the file last changed in any way (content, links, owner, mode)."""
        return max(self.mtime, self.ctime)


@dataclass(frozen=True)
class Mapped:
    """A file PID 1 has mapped, as /proc/1/maps names it (device as st_dev encodes it)."""

    path: str
    dev: int | None
    ino: int | None
    deleted: bool


@dataclass(frozen=True)
class SinceBoot:
    """`state`: ok | offline | missing | error | timeout ... (of the boot-time read).

    `btime`: the current boot, epoch seconds (None: unknown, nothing is proven by it).
    `stamps`: every asked-for path that is there; `absent`: asked for, not there.
    `stat_complete`: the stat ran to its end uncut (a path it did not print is then one
    it could not stat; either way a path with no stamp proves nothing).
    `maps`: PID 1's file mappings (empty when /proc/1/maps could not be read: needs root).
    `mounts`: what is mounted now (the current boot mounted fstab's lines, or not).
    `sshd`: (pid, comm) of the process /run/sshd.pid names, when it is alive.
    `softlevel`: /run/openrc/softlevel (OpenRC's current runlevel), None when absent.
    """

    state: str = "missing"
    btime: int | None = None
    stamps: tuple[Stamp, ...] = ()
    absent: tuple[str, ...] = ()
    stat_state: str = "missing"
    stat_complete: bool = False
    maps: tuple[Mapped, ...] = ()
    #: (mount point, source) per line of /proc/self/mounts; None: not read.
    mounts: tuple[tuple[str, str], ...] | None = None
    sshd: tuple[int, str] | None = None
    #: Top-level directory links (`/lib` -> `usr/lib`), as readlink gave them.
    links: tuple[tuple[str, str], ...] = ()
    softlevel: str | None = None
    issues: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.btime is not None

    @cached_property
    def _by_path(self) -> dict[str, Stamp]:
        """Lookups by path (the chain pass asks ~50 a refresh, per host)."""
        return {s.path: s for s in self.stamps}

    @cached_property
    def _absent(self) -> frozenset[str]:
        return frozenset(self.absent)

    @cached_property
    def _maps(self) -> dict[str, Mapped]:
        return {m.path: m for m in self.maps}

    def stamp(self, path: str) -> Stamp | None:
        return self._by_path.get(path)

    def is_absent(self, path: str) -> bool:
        return path in self._absent

    def mounted(self, mountpoint: str) -> bool | None:
        if self.mounts is None:
            return None
        return any(mp == mountpoint for mp, _src in self.mounts)

    def mapping(self, path: str) -> Mapped | None:
        return self._maps.get(path)

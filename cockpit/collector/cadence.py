"""Which slow checks a refresh may skip, and how the skipped ones are filled back in.

The collector's budget is what every watched host pays on every refresh. Checks that are
costly and change rarely (ELF headers of the boot init, the list of installed inits) run
on a slower cadence inside the same single round trip: a probe with `every = N` runs on
every Nth refresh, and an ELF check whose section the client still holds is answered
`cached` by the host. Either way the previous section stands in, and the snapshot says
which sections were carried, so nothing stale is passed off as fresh. The merged snapshot
is what gets recorded: replay needs no cadence of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from cockpit.probes.base import Probe
from cockpit.snapshot import Section, Sections, Snapshot

#: Refreshes an ELF check result is reused for before the host is asked again.
ELF_EVERY = 6
_CACHEABLE_PREFIXES = ("init.elf:",)
#: Sections that start with their file's fingerprint (`fp size:mtime:inode`, see
#: collector/sh/50-initramfs.sh): the host answers `cached` while the file keeps it.
#: A listing that failed (timed out, no tool) is asked again only every FP_RETRY_EVERY
#: refreshes: the same file would cost the same second and fail the same way.
_FINGERPRINTED_PREFIXES = ("boot.kernel.",)
FP_RETRY_EVERY = 30


class _Plan(list[Probe]):
    """The probes to run, with membership by identity in O(1): `collect` asks `p not in
    to_run` for every probe, and a plain list answers with a dataclass `__eq__` per pair
    (~550 a host a refresh). An equal but distinct probe still falls back to the scan."""

    def __init__(self, probes: Sequence[Probe]) -> None:
        super().__init__(probes)
        self._ids = frozenset(map(id, self))

    def __contains__(self, probe: object) -> bool:
        return id(probe) in self._ids or list.__contains__(self, probe)


@dataclass
class Cadence:
    """Per-host refresh state (one per watched host, owned by its refresh loop)."""

    tick: int = 0
    previous: Snapshot | None = None
    ages: dict[str, int] = field(default_factory=dict)

    def plan(self, probes: Sequence[Probe]) -> tuple[list[Probe], list[str]]:
        """The probes to run now, and the section names the host may answer `cached`."""
        if self.previous is None:
            return _Plan(probes), []
        run = _Plan([p for p in probes if p.every <= 1 or self.tick % p.every == 0])
        by_name = self.previous.sections.by_name
        ages = self.ages
        cached = [
            name
            for name in self._cacheable()
            if by_name[name].state == "ok" and ages.get(name, 0) < ELF_EVERY - 1
        ]
        cached.extend(self._fingerprints())
        return run, cached

    def _fingerprints(self) -> list[str]:
        """`NAME#FP` for each fingerprinted section held: the host skips unchanged files."""
        assert self.previous is not None
        out = []
        for name, sec in self.previous.sections.by_name.items():
            if not name.startswith(_FINGERPRINTED_PREFIXES) or not sec.text.startswith("fp "):
                continue
            if sec.state != "ok" and self.ages.get(name, 0) >= FP_RETRY_EVERY - 1:
                continue
            fp = sec.text[3:].split("\n", 1)[0].strip()
            if fp and fp.isprintable() and " " not in fp:
                out.append(f"{name}#{fp}")
        return out

    def _cacheable(self) -> list[str]:
        """Names of the previous snapshot's sections the host may be asked to skip."""
        assert self.previous is not None
        return [n for n in self.previous.sections.by_name if n.startswith(_CACHEABLE_PREFIXES)]

    def merge(self, fresh: Snapshot, skipped: Sequence[Probe]) -> Snapshot:
        """Fill `cached` sections and skipped probes' sections from the previous refresh."""
        merged = carry_forward(self.previous, fresh, {p.name for p in skipped})
        carried = set(merged.carried)
        old_ages = self.ages
        self.ages = {
            name: (old_ages.get(name, 0) + 1 if name in carried else 0)
            for name in merged.sections.by_name
        }
        self.previous = merged
        self.tick += 1
        return merged


def carry_forward(previous: Snapshot | None, fresh: Snapshot, skipped: set[str]) -> Snapshot:
    """Pure: the fresh snapshot with stand-ins from `previous` where the host sent none."""
    if previous is None:
        return fresh
    out: dict[str, Section] = {}
    carried: list[str] = []
    # by_name: the Mapping ABC's items() looks every key up again through __getitem__.
    for name, section in fresh.sections.by_name.items():
        if section.state == "cached":
            old = previous.sections.by_name.get(name)
            if old is not None and old.state != "cached":
                out[name] = old
                carried.append(name)
                continue
            out[name] = replace(section, state="missing")  # the host skipped what we lack
            continue
        out[name] = section
    for name, section in previous.sections.by_name.items():
        if section.probe in skipped and name not in out:
            out[name] = section
            carried.append(name)
    return replace(fresh, sections=Sections(out), carried=tuple(carried))

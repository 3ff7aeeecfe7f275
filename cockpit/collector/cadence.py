"""Which slow checks a refresh may skip, and how the skipped ones are filled back in.

The collector's budget is what every watched host pays on every refresh. Checks that are
costly and change rarely (ELF headers of the boot init, the list of installed inits) run
on a slower cadence inside the same single round trip: a probe with `every = N` runs on
every Nth refresh, and an ELF check whose section the client still holds is answered
`cached` by the host. Either way the previous section stands in, and the snapshot says
which sections were carried, so nothing stale is passed off as fresh. The merged snapshot
is what gets recorded: replay needs no cadence of its own.

The same holds for whole probes (incremental refresh, collector/sh/25-fp.sh): a probe
that declares `watch` paths is fingerprinted by the host every refresh, and skipped there
while its fingerprint is the one its held sections were read under. Those sections are
not stale (the host checked them this refresh), so they are not marked carried, and the
merged snapshot is the one a full read gives: same sections, same order. A keyframe (no
fingerprint sent, everything read) comes every KEYFRAME_EVERY refreshes, after any
failed refresh and when the admin asks for a refresh, so a change the fingerprint could
not see (a clock stepped back) heals by itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
#: Refreshes between keyframes: every probe read in full, every fingerprint taken anew.
KEYFRAME_EVERY = 30
#: A fingerprint whose newest ctime is this close to the host's clock (seconds) is not
#: trusted: a write in the same second could leave size, mtime and ctime as they were.
RACY_S = 2
#: The section the host's fingerprints arrive in (removed before the snapshot is kept).
FP_SECTION = ":fp"
#: Section states a probe's held copy may be reused under: a read that failed or was cut
#: short by time is read again, whatever the fingerprint says. `cached` stands for the
#: copy the client holds (merge puts it back), `offline` for a mode that does not change.
_REUSABLE = frozenset(
    {
        "ok", "absent", "cut", "dangling", "denied", "foreign", "loop", "notfile", "root",
        "cached", "offline",
    }
)  # fmt: skip


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
    #: Incremental refresh: probe name -> the fingerprint its held sections were read under.
    fingerprints: dict[str, str] = field(default_factory=dict)
    incremental: bool = True
    #: The fingerprints the last plan sent (none on a keyframe): what `kept` counts.
    sent: dict[str, str] = field(default_factory=dict)
    #: Per watched probe, the paths its held sections name (see extra_watch).
    _extra: dict[str, list[str]] = field(default_factory=dict)

    def force_keyframe(self) -> None:
        """The next refresh reads every probe in full (the admin asked, or a refresh failed)."""
        self.fingerprints.clear()

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
        self.sent = {}
        if self.incremental and self.tick % KEYFRAME_EVERY:
            self.sent = dict(self.fingerprints)
            cached.extend(f"fp:{name}#{fp}" for name, fp in self.sent.items())
        return run, cached

    def extra_watch(self) -> dict[str, list[str]]:
        """Per probe, the paths its held sections are named after (`init.elf:/lib/...`,
        `services.sshd.cfg:/etc/ssh/...`): where its links led and what its includes
        named, which no static pattern can know. Its fingerprint covers them too."""
        return self._extra if self.incremental else {}

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

    def merge(
        self, fresh: Snapshot, skipped: Sequence[Probe], order: Sequence[str] = ()
    ) -> Snapshot:
        """Fill `cached` sections and skipped probes' sections from the previous refresh.
        `order`: the names of the probes the script ran, in its order (where the sections
        of a probe the host found unchanged go back in)."""
        fresh, ran = self._unfingerprint(fresh, order)
        merged = carry_forward(self.previous, fresh, {p.name for p in skipped})
        if ran:
            # the probes that ran name their paths anew (after `cached` sections got their
            # held copies back); the others' sections are the held ones
            extra = {n: paths for n, paths in self._extra.items() if n not in ran}
            extra.update(named_paths(merged.sections.by_name, ran))
            self._extra = extra
        carried = set(merged.carried)
        old_ages = self.ages
        self.ages = {
            name: (old_ages.get(name, 0) + 1 if name in carried else 0)
            for name in merged.sections.by_name
        }
        self.previous = merged
        self.tick += 1
        return merged

    def _unfingerprint(
        self, fresh: Snapshot, order: Sequence[str]
    ) -> tuple[Snapshot, frozenset[str]]:
        """The snapshot a full read gives: `:fp` removed, and each probe the host found
        unchanged given back its held sections, in place; and the watched probes the host
        read (their sections are new). Updates the fingerprints."""
        by_name = fresh.sections.by_name
        fp_section = by_name.get(FP_SECTION)
        if fp_section is None:
            self.fingerprints.clear()
            self._extra = {}
            return fresh, frozenset()
        report = parse_fp(fp_section.text)
        sent = self.sent
        same = {n for n in order if n in sent and n not in report.fps}
        complete = (
            fp_section.state == "ok"
            and report.now is not None
            and report.kept == len(same)
            and not fresh.framing_issues
        )
        rest = {n: s for n, s in by_name.items() if n != FP_SECTION}
        if not complete:
            # An answer cut short, or a count that does not add up: nothing is taken as
            # unchanged (a skipped probe's sections stay missing, its facts unknown) and
            # the next refresh reads everything.
            self.fingerprints = {}
            self._extra = {}
            return replace(fresh, sections=Sections(rest)), frozenset()
        if same and self.previous is not None:
            rest = _reinsert(rest, self.previous.sections.by_name, same, order)
        fresh = replace(fresh, sections=Sections(rest))
        # a probe the script did not run (its `every`) keeps the fingerprint of its copy
        held = {n: fp for n, fp in self.fingerprints.items() if n not in order}
        held.update((n, sent[n]) for n in same)
        states: dict[str, bool] = {}
        for section in rest.values():
            ok = section.state in _REUSABLE  # a cap cuts the same file the same way
            states[section.probe] = states.get(section.probe, True) and ok
        now = report.now
        assert now is not None
        for name, fp in report.fps.items():
            if states.get(name, True) and fp_ctime(fp) <= now - RACY_S:
                held[name] = fp
        self.fingerprints = held
        return fresh, frozenset(report.fps)


@dataclass(frozen=True)
class FpReport:
    """What the host said in `:fp`: the fingerprint of each watched probe it read (the
    client did not hold that one), how many held ones it found unchanged (and so did not
    run), and its clock when it took them."""

    fps: dict[str, str]
    kept: int | None
    now: int | None


def parse_fp(text: str) -> FpReport:
    """Pure: the `:fp` section's lines `fp NAME FP`, `kept COUNT`, `now SECONDS` (and
    `clock ...`, host.clock's business)."""
    fps: dict[str, str] = {}
    kept: int | None = None
    now: int | None = None
    for line in text.split("\n"):
        word, _, rest = line.partition(" ")
        if word == "fp":
            name, _, fp = rest.partition(" ")
            if name and fp and " " not in fp:
                fps[name] = fp
        elif word == "kept" and rest.isdigit():
            kept = int(rest)
        elif word == "now" and rest.isdigit():
            now = int(rest)
    return FpReport(fps, kept, now)


#: At most this many paths a probe's sections name are added to its fingerprint (the
#: since-boot stat names up to 300).
EXTRA_WATCH_MAX = 320
#: Sections that are lists of host paths: how many words come before the path on a line.
_PATH_LISTS = {"since_boot.stat": 4, "since_boot.absent": 0}


def named_paths(sections: Mapping[str, Section], watched: frozenset[str]) -> dict[str, list[str]]:
    """Pure: per watched probe, the host paths its sections are named after (`NAME:/PATH`)
    and the files its ELF checks found (`... found /PATH` lines: the libraries a boot
    loads), at most EXTRA_WATCH_MAX each. Kernel files are left out (no ctime follows
    them), and anything the shell could misread (a newline, a control character)."""
    out: dict[str, list[str]] = {}
    for name, section in sections.items():
        if section.probe not in watched:
            continue
        paths = out.setdefault(section.probe, [])
        found = [name.partition(":")[2]]
        skip = _PATH_LISTS.get(name)
        if skip is not None:
            found += [ln.split(" ", skip)[-1] for ln in section.text.split("\n")]
        elif " found /" in section.text:
            lines = section.text.split("\n")
            found += [ln.rpartition(" found ")[2] for ln in lines if " found /" in ln]
        for path in found:
            if not path.startswith("/") or path.startswith(("/proc/", "/sys/")):
                continue
            if len(path) > 1024 or not path.isprintable():
                continue
            if len(paths) >= EXTRA_WATCH_MAX:
                break
            paths.append(path)
    # the same path named twice is stat'd once; its directory too (a link re-made there)
    return {n: _with_parents(paths) for n, paths in out.items() if paths}


def _with_parents(paths: list[str]) -> list[str]:
    out = dict.fromkeys(paths)
    for path in paths:
        parent = path.rsplit("/", 1)[0] or "/"
        out.setdefault(parent)
    return list(out)


def fp_ctime(fp: str) -> int:
    """The newest ctime in a fingerprint (`count:ctime:...`); huge when unreadable, so an
    odd fingerprint is never trusted."""
    parts = fp.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1 << 62


def _reinsert(
    fresh: dict[str, Section],
    held: Mapping[str, Section],
    same: set[str],
    order: Sequence[str],
) -> dict[str, Section]:
    """Pure: `fresh` with the held sections of the probes in `same` put back where their
    probe ran in `order`, so parsers that read sections in collector order see a full
    read's order."""
    groups: dict[str, list[tuple[str, Section]]] = {}
    for name, section in held.items():
        if section.probe in same:
            groups.setdefault(section.probe, []).append((name, section))
    rank = {name: i for i, name in enumerate(order)}
    out: dict[str, Section] = {}
    pending = sorted(same, key=lambda n: rank.get(n, len(rank)))
    for name, section in fresh.items():
        here = rank.get(section.probe)
        while pending and here is not None and rank.get(pending[0], len(rank)) < here:
            out.update(groups.get(pending.pop(0), ()))
        out[name] = section
    for probe in pending:
        out.update(groups.get(probe, ()))
    return out


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

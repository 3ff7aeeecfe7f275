"""Kernel-stage facts: what an initramfs holds, what the kernel has built in, and which
block device each UUID/LABEL/PARTUUID names.

Every listing keeps its state: a module is *absent* from an initramfs only when the
listing was read whole (`complete`); a cut, timed-out or unread listing proves what it
shows and nothing about what it does not.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Tag kinds a root= or an fstab source may name a filesystem by.
TAG_KINDS = ("uuid", "label", "partuuid", "partlabel")


@dataclass(frozen=True)
class InitramfsListing:
    """One initramfs file as listed on the host (or by the viewer's tools, offline)."""

    path: str  # inside ROOT, symlinks resolved (the section's name)
    state: str  # section state: ok | absent | timeout | nocmd | error | missing ...
    why: str = ""  # when not ok (or not complete): in words
    fingerprint: str | None = None  # size:mtime:inode
    via: tuple[str, ...] = ()  # "lsinitramfs" | "gzip cpio" ...
    segments: tuple[str, ...] = ()  # "0 cpio 6", "5120 gzip"
    entries: int | None = None
    releases: tuple[str, ...] = ()
    #: release -> module names (normalized: `_`, no extension).
    modules: tuple[tuple[str, frozenset[str]], ...] = ()
    files: tuple[str, ...] = ()  # generator/mount markers found (init, scripts/local ...)
    generator: str | None = None
    generator_evidence: str = ""
    complete: bool = False  # read whole: what it lacks, it lacks
    #: "gzip 1": its decompressor failed on the file (cut short or corrupt): the kernel's
    #: unpacker stops there too. None when nothing failed.
    damaged: str | None = None

    @property
    def read(self) -> bool:
        return self.state == "ok"

    def modules_of(self, release: str) -> frozenset[str]:
        for rel, names in self.modules:
            if rel == release:
                return names
        return frozenset()

    @property
    def module_count(self) -> int:
        return sum(len(n) for _, n in self.modules)


@dataclass(frozen=True)
class KernelBuiltins:
    """modules.builtin of one release (None = not read: see state)."""

    release: str
    state: str
    modules: frozenset[str] = frozenset()


@dataclass(frozen=True)
class KernelConfig:
    """The config symbols cockpit reads from /boot/config-<suffix> (`y`, `m` or `n`)."""

    suffix: str  # what follows config- (a release, or a flavour: Alpine's config-lts)
    state: str
    symbols: tuple[tuple[str, str], ...] = ()

    def value(self, symbol: str) -> str | None:
        for name, val in self.symbols:
            if name == symbol:
                return val
        return None


@dataclass(frozen=True)
class BlockDevice:
    """A block device and the tags it carries.

    `source`: `captured` (links in the tree's /dev/disk), `live` (the host's /dev/disk),
    or `viewer` (a device of the machine running cockpit, behind a mount of ROOT). A
    viewer's kernel name (loop0p1) is not the target's: only its tags may be used.
    """

    name: str  # kernel name: vda1, nvme0n1p2, loop0p1
    source: str
    tags: tuple[tuple[str, str], ...] = ()  # (kind, value): ("uuid", "2b7a...")
    fstype: str | None = None
    disk: str | None = None  # the whole disk (viewer devices)
    mounted: str | None = None  # where under ROOT it is mounted (viewer devices)

    def tag(self, kind: str) -> str | None:
        for k, v in self.tags:
            if k == kind:
                return v
        return None


@dataclass(frozen=True)
class KernelFacts:
    initramfs: tuple[InitramfsListing, ...] = ()
    #: initrd path as a loader names it (found inside ROOT) -> the listed (resolved) path.
    initrd_index: tuple[tuple[str, str], ...] = ()
    index_state: str = "missing"
    builtins: tuple[KernelBuiltins, ...] = ()
    configs: tuple[KernelConfig, ...] = ()
    #: Devices known from /dev/disk/by-* links (captured or live): tag -> kernel name.
    devices: tuple[BlockDevice, ...] = ()
    #: Devices behind ROOT's mounts on the viewing machine (offline only).
    viewer_devices: tuple[BlockDevice, ...] = ()
    viewer_state: str = "missing"  # ok | none (ROOT is on no block device) | missing...
    viewer_note: str = ""

    def listing(self, found: str | None) -> InitramfsListing | None:
        """The listing of an initrd as a boot entry found it (None if not listed)."""
        if found is None:
            return None
        target = found
        for written, resolved in self.initrd_index:
            if written == found:
                target = resolved
                break
        return next((x for x in self.initramfs if x.path == target), None)

    def builtin(self, release: str) -> KernelBuiltins | None:
        return next((b for b in self.builtins if b.release == release), None)

    def config(self, release: str) -> KernelConfig | None:
        """/boot/config-<release>, else a flavour's (config-lts for 6.6.31-0-lts)."""
        exact = next((c for c in self.configs if c.suffix == release), None)
        if exact is not None:
            return exact
        flavoured = [c for c in self.configs if release.endswith("-" + c.suffix)]
        return flavoured[0] if len(flavoured) == 1 else None

    def device_by_tag(self, kind: str, value: str) -> BlockDevice | None:
        """The target's device carrying this tag (captured or live links only)."""
        return _by_tag(self.devices, kind, value)

    def viewer_by_tag(self, kind: str, value: str) -> BlockDevice | None:
        return _by_tag(self.viewer_devices, kind, value)


def _by_tag(devices: tuple[BlockDevice, ...], kind: str, value: str) -> BlockDevice | None:
    wanted = {value, value.replace(" ", "\\x20").replace("/", "\\x2f")}
    if kind in ("uuid", "partuuid"):
        wanted |= {v.lower() for v in wanted}
    for dev in devices:
        have = dev.tag(kind)
        if have is None:
            continue
        if have in wanted or (kind in ("uuid", "partuuid") and have.lower() in wanted):
            return dev
    return None

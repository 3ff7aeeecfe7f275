"""The kernel stage: can the default entry's kernel and initramfs find and mount root?

One analysis (`analyze`) feeds both the findings (BLOCKER when the files show the boot
stops, UNKNOWN when the initramfs cannot be read) and the stage's prover (`prove`), so
the two never disagree. What the analysis needs, it reads directly: the initramfs
listing of the entry's initrd(s), modules.builtin (or the config) of the entry's release,
the root device's kernel name (its driver) and the root filesystem's type.

A module is *missing* only when every place it could be was read whole: the built-ins
list and each initrd listing. Otherwise it is unknown, and the stage is not proven.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.facts import HostFacts
from cockpit.facts.boot import BootEntry
from cockpit.facts.kernel import InitramfsListing
from cockpit.facts.kmods import (
    CONFIG_SYMBOLS,
    FS_MODULES,
    GENERIC_DISK_SET,
    UNMODELLED,
    Requirement,
    device_requirement,
)
from cockpit.rules.boot.devices import as_tag, resolve_source
from cockpit.rules.boot.usr_mount import check_unlisted_mounts, check_usr
from cockpit.rules.chain import cmdline as kcmd
from cockpit.rules.pasteable import word

BUILTIN, INITRAMFS, ABSENT, UNKNOWN = "built in", "initramfs", "absent", "unknown"


@dataclass
class Availability:
    """Where the entry's kernel can get modules from, for one release."""

    release: str
    builtin: frozenset[str] | None  # None: neither modules.builtin nor config was read
    builtin_how: str
    listings: list[InitramfsListing]
    has_initrd: bool

    def where(self, module: str) -> str:
        if self.builtin is not None and module in self.builtin:
            return BUILTIN
        for lst in self.listings:
            if module in lst.modules_of(self.release):
                return INITRAMFS
        if self.builtin is None:
            return UNKNOWN
        if self.has_initrd and not all(x.complete for x in self.listings):
            return UNKNOWN
        return ABSENT

    def meet(self, req: Requirement) -> tuple[str, list[str]]:
        """(`ok` | `absent` | `unknown`, what met each group / which group failed)."""
        found: list[str] = []
        state = "ok"
        for group in req:
            places = {m: self.where(m) for m in group}
            hit = next((m for m, w in places.items() if w in (BUILTIN, INITRAMFS)), None)
            if hit is not None:
                found.append(f"{hit} ({places[hit]})")
                continue
            if all(w == ABSENT for w in places.values()):
                return "absent", ["/".join(group)]
            state = "unknown"
            found.append("/".join(group) + " (not known)")
        return state, found


@dataclass
class KernelAnalysis:
    entry: BootEntry | None
    gap: str | None = None  # why nothing more could be analysed
    root: str | None = None
    root_how: str = ""
    root_found: bool | None = None
    kname: str | None = None
    fstype: str | None = None
    fstype_how: str = ""
    avail: Availability | None = None
    evidence: list[str] = field(default_factory=list)
    #: (id, title, evidence, remedy) for each BLOCKER the files show.
    blockers: list[tuple[str, str, list[str], str]] = field(default_factory=list)
    unreadable: list[InitramfsListing] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # what keeps the stage unproven
    used: list[str] = field(default_factory=list)  # modules the proof rests on


def _builtins(facts: HostFacts, release: str) -> tuple[frozenset[str] | None, str]:
    k = facts.boot.kernel
    mb = k.builtin(release)
    if mb is not None and mb.state == "ok":
        return mb.modules, f"modules.builtin of {release}"
    cfg = k.config(release)
    if cfg is not None and cfg.state == "ok" and cfg.symbols:
        names = frozenset(m for m, sym in CONFIG_SYMBOLS.items() if cfg.value(sym) == "y")
        return names, f"/boot/config-{cfg.suffix}"
    return None, f"neither modules.builtin nor /boot/config-{release} could be read"


def _root_fstype(
    facts: HostFacts, entry: BootEntry, viewer_type: str | None
) -> tuple[str | None, str]:
    value = kcmd.value(entry.cmdline or "", "rootfstype")
    if value:
        return value, f"rootfstype={value}"
    fs_root = next((e for e in facts.boot.fstab if e.mountpoint == "/"), None)
    if fs_root is not None and fs_root.fstype not in ("auto", ""):
        return fs_root.fstype, f"/etc/fstab: / is {fs_root.fstype}"
    if viewer_type:
        return viewer_type, f"blkid on this machine: TYPE={viewer_type}"
    return None, "no rootfstype= and no fstab type for /"


def analyze(facts: HostFacts) -> KernelAnalysis:
    b = facts.boot
    entry = b.default_entry
    out = KernelAnalysis(entry)
    if entry is None or entry.cmdline is None:
        out.gap = "no default entry: the kernel and its command line are unknown"
        return out
    root = kcmd.value(entry.cmdline, "root")
    if not root:
        out.gap = "the default entry's command line has no root="
        return out
    out.root = root
    res = resolve_source(facts, root)
    out.root_found, out.root_how, out.kname = res.found, res.how, res.kname
    out.fstype, out.fstype_how = _root_fstype(facts, entry, res.fstype)
    rel = entry.release
    if rel is None:
        out.gap = f"the default kernel's release is not known ({entry.release_how})"
        return out
    listings: list[InitramfsListing] = []
    for initrd in entry.initrds:
        lst = b.kernel.listing(initrd.found)
        if lst is None:
            out.gaps.append(f"initrd {initrd.found or initrd.written}: its contents were not read")
            continue
        listings.append(lst)
        if lst.damaged:
            out.blockers.append(
                (
                    "boot.initramfs-damaged",
                    f"the default entry's initramfs {lst.path} is cut short or corrupt: the "
                    "kernel unpacks part of it, and the boot stops in the initramfs",
                    [
                        f"{lst.path}: {lst.damaged.split()[0]} failed on it (exit "
                        f"{lst.damaged.split()[-1]})",
                        *(f"segment at {s}" for s in lst.segments),
                    ],
                    "Before any reboot, rebuild it: `update-initramfs -u -k <release>` "
                    "(Debian/Ubuntu), `dracut -f --kver <release>`, `mkinitcpio -P`; check "
                    "free space on /boot first (a full /boot is how it gets cut).",
                )
            )
            continue
        if not lst.read or lst.why:
            out.unreadable.append(lst)
            out.gaps.append(f"initrd {lst.path}: {lst.why or lst.state}")
    builtin, how = _builtins(facts, rel)
    out.avail = Availability(rel, builtin, how, listings, bool(entry.initrds))
    _check_release(out, listings, rel)
    if not entry.initrds:
        _check_no_initrd(out, root)
    _check_root_device(out)
    _check_root_fs(out)
    check_usr(facts, out)
    check_unlisted_mounts(facts, out)
    return out


def _check_release(out: KernelAnalysis, listings: list[InitramfsListing], rel: str) -> None:
    for lst in listings:
        if not lst.complete or not lst.releases or rel in lst.releases:
            continue
        title = (
            f"initrd {lst.path} carries modules for {', '.join(lst.releases)}, but the default "
            f"entry boots {rel}"
        )
        ev = [
            f"{lst.path}: lib/modules/{r}/ ({len(lst.modules_of(r))} modules)" for r in lst.releases
        ]
        out.blockers.append(
            (
                "boot.initramfs-wrong-release",
                title + ": no module it holds can load",
                ev,
                f"Rebuild it for {word(rel, 'RELEASE')} before rebooting (`update-initramfs -c "
                f"-k {word(rel, 'RELEASE')}`, `dracut -f --kver {word(rel, 'RELEASE')}`, "
                "`mkinitcpio -P`).",
            )
        )


def _check_no_initrd(out: KernelAnalysis, root: str) -> None:
    tag = as_tag(root)
    if tag is not None and tag[0] in ("uuid", "label"):
        out.blockers.append(
            (
                "boot.root-tag-without-initramfs",
                f"the default entry has no initramfs, and root={root} needs one: the kernel "
                "itself resolves only /dev names and PARTUUID=",
                [f"root={root}", "no initrd line in the default entry"],
                "Give the entry its initramfs, or use root=PARTUUID=... or root=/dev/... "
                "(`blkid` shows them), then regenerate the bootloader config.",
            )
        )


def _missing_driver(out: KernelAnalysis, what: str, group: str, why: str) -> None:
    assert out.avail is not None
    a = out.avail
    rel = word(a.release, "RELEASE")
    places = [a.builtin_how] + [f"initrd {x.path} ({x.module_count} modules)" for x in a.listings]
    out.blockers.append(
        (
            f"boot.kernel-{what}-missing",
            f"{why}: {group} is neither built into {a.release} nor in its initramfs",
            places,
            f"Add {group} to the initramfs before rebooting (initramfs-tools: "
            "/etc/initramfs-tools/modules or MODULES=most, then `update-initramfs -u -k "
            f"{rel}`; dracut: `dracut -f --add-drivers {word(group.split('/')[0], 'MODULE')} "
            f"--kver {rel}`; mkinitcpio: MODULES=(...) then `mkinitcpio -P`).",
        )
    )


def _check_root_device(out: KernelAnalysis) -> None:
    a = out.avail
    assert a is not None
    kname = out.kname
    if kname is None:
        state, found = a.meet(tuple((m,) for m in GENERIC_DISK_SET))
        if state == "ok":
            out.evidence.append(
                "root device name not known here; the generic disk drivers (as MODULES=most "
                "gives) are all available: " + ", ".join(found)
            )
        else:
            out.gaps.append(
                f"the root device's kernel name is not known ({out.root_how}), and the "
                "initramfs does not carry the generic disk drivers"
            )
        return
    if UNMODELLED.match(kname):
        out.gaps.append(f"root on {kname}: a stacked device (LVM, RAID, crypt) is not modelled")
        return
    need = device_requirement(kname)
    if need is None:
        out.gaps.append(f"root device {kname}: which driver it needs is not known")
        return
    req, what = need
    state, found = a.meet(req)
    if state == "absent":
        _missing_driver(out, "root-driver", found[0], f"the root device {kname} is a {what}")
    elif state == "unknown":
        out.gaps.append(f"root device {kname} ({what}): driver " + ", ".join(found))
    else:
        out.evidence.append(f"root device {kname} ({what}): " + ", ".join(found))
        out.used.extend(f.split(" ")[0] for f in found)


def _check_root_fs(out: KernelAnalysis) -> None:
    a = out.avail
    assert a is not None
    if out.fstype is None:
        out.gaps.append(f"the root filesystem's type is not known ({out.fstype_how})")
        return
    req = FS_MODULES.get(out.fstype)
    if req is None:
        out.gaps.append(f"root filesystem {out.fstype}: which module it needs is not known")
        return
    state, found = a.meet(req)
    if state == "absent":
        _missing_driver(out, "rootfs-module", found[0], f"root is {out.fstype} ({out.fstype_how})")
    elif state == "unknown":
        out.gaps.append(f"root filesystem {out.fstype}: module " + ", ".join(found))
    else:
        out.evidence.append(f"root filesystem {out.fstype} ({out.fstype_how}): " + ", ".join(found))
        out.used.extend(f.split(" ")[0] for f in found)


def summary(lst: InitramfsListing, release: str, shown: list[str]) -> str:
    """`initrd /boot/initrd.img-R: virtio_blk, ext4 (and N more modules)`."""
    names = lst.modules_of(release)
    more = len(names) - len([s for s in shown if s in names])
    head = ", ".join(s for s in shown if s in names) or "no module cockpit looked for"
    gen = f"; made by {lst.generator}" if lst.generator else ""
    return f"initrd {lst.path}: {head} (and {more} more modules){gen}"

"""Boot facts: what the next boot loads, and whether the files it needs are there.

`default_cmdline` and `default_kernel_release` are a contract other areas use (init reads
`init=` from the cmdline; reboots compare the release with the running kernel). Every
"is it there" answer is a state string, never a bool: `present`, `empty`, `missing`, or
`unknown` (the listing that would tell was not readable or not collected).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.facts.kernel import KernelFacts

#: File states. `unknown` is never good news: the rule that needs it says so.
PRESENT, EMPTY, MISSING, UNKNOWN = "present", "empty", "missing", "unknown"


@dataclass(frozen=True)
class BootFile:
    """A file a boot entry names (`linux`, `initrd`, `KERNEL`...), looked up inside ROOT.

    `written` is the path as the config says it (relative to the partition the config
    lives on); `found` is the path in the host's tree where it was found, if it was.
    """

    written: str
    state: str  # present | empty | missing | unknown
    found: str | None = None
    tried: tuple[str, ...] = ()
    #: For `unknown`: why (a cut listing, a directory that could not be listed).
    why: str | None = None


@dataclass(frozen=True)
class BootEntry:
    """One bootable menu entry, whatever the bootloader."""

    title: str
    entry_id: str | None  # GRUB --id, BLS file name without .conf, extlinux LABEL
    kernel: BootFile | None
    initrds: tuple[BootFile, ...]
    cmdline: str | None
    release: str | None  # kernel release this entry boots, if it can be told
    release_how: str  # "BLS version", "file name", "pkgbase", ... or "unknown"
    evidence: tuple[str, ...]  # "<file>: <line>" quoted verbatim
    menu_path: str = ""  # GRUB submenu path, e.g. "Advanced options>Ubuntu, with Linux ..."


@dataclass(frozen=True)
class Loader:
    """One bootloader configuration found on the host, with its default entry."""

    kind: str  # grub2 | grub2-bls | grub-legacy | systemd-boot | extlinux
    config: str  # the file that defines the menu
    entries: tuple[BootEntry, ...]
    default: BootEntry | None
    default_how: str  # how the default was chosen, in words
    default_evidence: tuple[str, ...]
    #: The name the config/env asked for when it matched no entry (GRUB falls back to 0).
    default_missing: str | None = None
    issues: tuple[str, ...] = ()


@dataclass(frozen=True)
class InstalledKernel:
    """A kernel image found in /boot (or on the ESP), with its initrd and modules."""

    path: str
    release: str | None
    nonempty: bool
    initrd: str | None  # path of a matching initrd if one was found
    initrd_nonempty: bool


@dataclass(frozen=True)
class KernelImage:
    """A kernel image in /boot checked against its own header (`emit_kimage`).

    `format`: bzImage (x86: the boot protocol header says how long the file must be) or
    unknown (nothing to check against). `needed`: the least size the header asks for;
    `complete` is None when it cannot be told.
    """

    path: str
    state: str  # the section's: ok | denied | nocmd | ...
    size: int | None = None
    format: str = "unknown"
    needed: int | None = None

    @property
    def complete(self) -> bool | None:
        if self.state != "ok" or self.size is None or self.needed is None:
            return None
        return self.size >= self.needed


@dataclass(frozen=True)
class GrubFiles:
    """GRUB's own files besides grub.cfg: what its first stage loads next.

    `files`: (path, state) for /boot/grub{,2}/{i386-pc,x86_64-efi}/normal.mod and
    i386-pc/core.img; state is present, absent (the file or its directory is not there)
    or the listing's own state (denied...). `platforms`: the /usr/lib/grub/<platform>
    directories (which GRUB packages are installed), None when unread. `efi_images`:
    *.efi files found in the ESP's vendor directories.
    """

    files: tuple[tuple[str, str], ...] = ()
    platforms: tuple[str, ...] | None = None
    efi_images: tuple[str, ...] = ()

    def state(self, path: str) -> str:
        return next((s for p, s in self.files if p == path), UNKNOWN)

    def bios_modules(self, grub_dir: str) -> str:
        """normal.mod of BIOS GRUB under `grub_dir` (/boot/grub): present | absent | ..."""
        return self.state(f"{grub_dir}/i386-pc/normal.mod")

    @property
    def efi_grub(self) -> tuple[str, ...]:
        """GRUB (or shim, which loads it) images on the ESP: modules built in or beside."""
        names = ("grubx64.efi", "grubaa64.efi", "grubia32.efi", "shimx64.efi", "shimaa64.efi")
        return tuple(p for p in self.efi_images if p.rsplit("/", 1)[-1].lower() in names)


@dataclass(frozen=True)
class FstabEntry:
    """One /etc/fstab (or crypttab) line and whether its source can be found."""

    line: str  # verbatim
    source: str
    mountpoint: str
    fstype: str
    options: tuple[str, ...]
    kind: str  # uuid | label | partuuid | partlabel | dev | path | special | network
    state: str  # present | missing | unknown | skipped
    why: str  # how the state was decided, in words
    passno: str = "0"  # the sixth field, fsck's order ("0" when absent: not checked at boot)

    @property
    def nofail(self) -> bool:
        return "nofail" in self.options

    def waited_for_by_sysvinit(self) -> bool:
        """Does sysvinit's boot stop when this line fails? Only through fsck: checkfs.sh
        fails on a pass-N line whose device is gone and sulogin waits; mountall.sh fails a
        pass-0 line and goes on (the boot oracle's fstab-sysvinit-missing and
        fstab-sysvinit-missing-no-fsck)."""
        return self.mountpoint == "/" or self.passno != "0"

    @property
    def noauto(self) -> bool:
        return "noauto" in self.options

    @property
    def automount(self) -> bool:
        return "x-systemd.automount" in self.options


@dataclass(frozen=True)
class BootFacts:
    """`default_cmdline`: kernel command line of the entry the next boot will use (None =
    unknown). The init area reads `init=` from it. `default_kernel_release`: the release
    (e.g. `6.1.0-18-amd64`) that entry boots, None if unknown."""

    default_cmdline: str | None = None
    default_kernel_release: str | None = None
    #: Every bootloader configuration found; `loader` is the one the next boot uses.
    loaders: tuple[Loader, ...] = ()
    loader: Loader | None = None
    #: Why `loader` was chosen ("only one found", "systemd-boot booted this time", ...),
    #: or why none could be ("several configured: ...").
    loader_choice: str = ""
    ambiguous: bool = False
    default_entry: BootEntry | None = None
    #: State of the /boot listing (ok | absent | denied | missing ...).
    boot_dir_state: str = "missing"
    boot_dir_entries: tuple[str, ...] = ()
    #: Config files that exist but could not be read: "<path> (denied)".
    unreadable: tuple[str, ...] = ()
    installed: tuple[InstalledKernel, ...] = ()
    #: State of /lib/modules (ok | absent | denied | missing) and release -> state
    #: (`present` = modules.dep there, `missing` = directory without modules.dep).
    modules_state: str = "missing"
    modules: tuple[tuple[str, str], ...] = ()
    fstab_state: str = "missing"
    fstab: tuple[FstabEntry, ...] = ()
    crypttab: tuple[FstabEntry, ...] = ()
    #: Device lists that could be read: kind (uuid, label...) -> names present.
    device_lists: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Kernel device names (vda1, sda3) that captured by-* links point at.
    device_targets: tuple[str, ...] = ()
    grub_files: GrubFiles = field(default_factory=GrubFiles)
    #: Kernel images in /boot, checked against their headers (by path, e.g. /boot/vmlinuz-X).
    kernel_images: tuple[KernelImage, ...] = ()
    proc_cmdline: str | None = None
    #: Live EFI: systemd-boot put its Loader* variables there on this boot.
    sdboot_booted: bool | None = None
    issues: tuple[str, ...] = field(default=())
    #: What the kernel stage reads: initramfs listings, built-ins, config, device tags.
    kernel: KernelFacts = field(default_factory=KernelFacts)

    def modules_for(self, release: str) -> str:
        """`present` | `missing` (dir without modules.dep) | `absent` | `unknown`."""
        if self.modules_state not in ("ok", "absent"):
            return UNKNOWN
        for rel, state in self.modules:
            if rel == release:
                return state
        return "absent"

    def kernel_image(self, found: str | None) -> KernelImage | None:
        """The header check of the file an entry's kernel resolved to (matched by name
        in /boot: Gentoo's /boot/boot -> . and GRUB's partition prefixes name one file
        several ways)."""
        if not found:
            return None
        base = found.rsplit("/", 1)[-1]
        return next((k for k in self.kernel_images if k.path.rsplit("/", 1)[-1] == base), None)

    def device_list(self, kind: str) -> tuple[str, ...] | None:
        for name, values in self.device_lists:
            if name == kind:
                return values
        return None

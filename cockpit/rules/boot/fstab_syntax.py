"""Will mount(8) accept each fstab line the boot waits for? A source that exists is not
enough: a filesystem type no kernel knows (`ext5`) or an option the filesystem refuses
(`defualts` on ext4) makes the mount fail as surely as a missing disk.

Under systemd a failed mount without `nofail` fails local-fs.target and the boot stops in
emergency mode (BLOCKER). Debian's mountall.sh (sysvinit, and OpenRC on Debian) reports the
failure and goes on: the boot oracle's fstab-type-typo-sysvinit and
fstab-option-typo-sysvinit reached login: (fsck skips a type it has no checker for), so
there it is a WARNING. Other inits are not proven either way: unknown.

Only what is certain is judged: option lists are those of the kernel's ext2/3/4, vfat and
tmpfs (Documentation/filesystems, mount(8)'s filesystem-independent options, libmount's
userspace options); other filesystems' options are not judged.
"""

from __future__ import annotations

from cockpit.facts import HostFacts
from cockpit.facts.boot import FstabEntry
from cockpit.rules.boot.findings import finding
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Filesystem types a Linux kernel registers (fs/*: register_filesystem), plus fstab's own
#: words for "let mount decide" and swap. A type outside this set and not `fuse.*` is one
#: no module provides: `mount: unknown filesystem type`.
KNOWN_TYPES = _words(
    """
    auto none swap ignore bind rbind adfs affs afs autofs bcachefs befs bfs binfmt_misc bpf
    btrfs ceph cgroup cgroup2 cifs smb3 coda configfs cramfs debugfs devpts devtmpfs
    ecryptfs efivarfs efs erofs exfat ext2 ext3 ext4 ext4dev f2fs fat vfat msdos umsdos fuse
    fuseblk fusectl gfs2 gfs2meta hfs hfsplus hostfs hpfs hugetlbfs iso9660 jffs2 jfs minix
    mqueue nfs nfs4 nfsd nilfs2 ntfs ntfs3 ocfs2 ocfs2_dlmfs omfs openpromfs orangefs
    overlay proc pstore qnx4 qnx6 ramfs reiserfs romfs rpc_pipefs securityfs selinuxfs
    smackfs squashfs sysfs sysv tmpfs tracefs ubifs udf ufs v7 vboxsf virtiofs xenfs xfs zfs
    zonefs 9p aufs binder davfs glusterfs lustre beegfs gpfs cephfs sshfs s3fs nfs3 smbfs
    ncpfs ncp panfs
    """
)

#: mount(8)'s filesystem-independent options and libmount's userspace ones: never passed to
#: the filesystem, so never refused by it.
GENERIC_OPTIONS = _words(
    """
    defaults auto noauto user nouser users owner group nofail _netdev exec noexec suid
    nosuid dev nodev sync async dirsync atime noatime diratime nodiratime relatime
    norelatime strictatime nostrictatime lazytime nolazytime ro rw remount bind rbind silent
    loud mand nomand iversion noiversion nosymfollow loop move make-shared make-slave
    make-private make-unbindable
    """
)
GENERIC_KEYS = _words(
    """
    comment context fscontext defcontext rootcontext loop offset sizelimit encryption helper
    """
)
GENERIC_PREFIXES = ("x-", "X-")

_EXT = _words(
    """
    acl noacl user_xattr nouser_xattr bsddf minixdf grpid bsdgroups nogrpid sysvgroups quota
    noquota grpquota usrquota prjquota offusrjquota offgrpjquota usrjquota grpjquota
    journal_checksum nojournal_checksum journal_async_commit norecovery noload barrier
    nobarrier delalloc nodelalloc auto_da_alloc noauto_da_alloc noinit_itable init_itable
    discard nodiscard nouid32 block_validity noblock_validity dioread_lock dioread_nolock
    nombcache no_mbcache prefetch_block_bitmaps no_prefetch_block_bitmaps dax abort debug
    oldalloc orlov reservation noreservation nocheck check bh nobh nogrpquota nousrquota
    i_version test_dummy_encryption inlinecrypt xip mblk_io_submit nomblk_io_submit
    """
)
_EXT_KEYS = _words(
    """
    errors data data_err commit resgid resuid sb jqfmt usrjquota grpjquota barrier stripe
    inode_readahead_blks max_batch_time min_batch_time journal_ioprio journal_path
    journal_dev init_itable dax test_dummy_encryption mb_optimize_scan check journal
    max_dir_size_kb
    """
)
_FAT = _words(
    """
    quiet showexec sys_immutable flush usefree nfs dots nodots dotsOK tz rodir discard posix
    nonumtail utf8 uni_xlate numtail fat debug dos1xfloppy
    """
)
_FAT_KEYS = _words(
    """
    uid gid umask dmask fmask allow_utime check codepage conv cvf_format cvf_option
    iocharset shortname time_offset tz errors nfs utf8 fat dos1xfloppy
    """
)
_TMPFS = _words(
    """
    noswap
    """
)
_TMPFS_KEYS = _words(
    """
    size nr_blocks nr_inodes mode uid gid mpol huge inode64 inode32
    """
)

#: fstype -> (flag options, key= options) the kernel's filesystem accepts.
FS_OPTIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "ext2": (_EXT, _EXT_KEYS),
    "ext3": (_EXT, _EXT_KEYS),
    "ext4": (_EXT, _EXT_KEYS),
    "vfat": (_FAT, _FAT_KEYS),
    "msdos": (_FAT, _FAT_KEYS),
    "tmpfs": (_TMPFS, _TMPFS_KEYS),
}


def unknown_type(fstype: str) -> bool:
    """Is this a type no kernel registers? (`ext4,ext3` lists are tried in turn.)"""
    return not all(t in KNOWN_TYPES or t.startswith("fuse.") for t in fstype.split(","))


def refused_options(entry: FstabEntry) -> list[str]:
    """The options this line's filesystem will refuse (empty when not judged)."""
    known = FS_OPTIONS.get(entry.fstype)
    if known is None:
        return []
    flags, keys = known
    out = []
    for opt in entry.options:
        key, eq, _value = opt.partition("=")
        if not opt or opt.startswith(GENERIC_PREFIXES):
            continue
        if eq:
            if key in GENERIC_KEYS or key in keys:
                continue
        elif opt in GENERIC_OPTIONS or opt in flags:
            continue
        out.append(opt)
    return out


def _waited_for(e: FstabEntry) -> bool:
    """A line whose failure the boot cares about: mounted at boot, not allowed to fail."""
    if e.noauto or e.nofail or e.automount:
        return False
    return not (e.fstype == "swap" or e.mountpoint in ("swap", "none"))


def fstab_syntax_findings(facts: HostFacts) -> list[Finding]:
    b = facts.boot
    if b.fstab_state != "ok":
        return []
    systemd = facts.init.boot_family == "systemd"
    out: list[Finding] = []
    for e in b.fstab:
        if not _waited_for(e):
            continue
        if e.mountpoint == "/" and systemd:
            continue  # root comes from root=: systemd only remounts it (mounts.py)
        if unknown_type(e.fstype):
            problem = f"filesystem type `{e.fstype}` is one no Linux kernel knows"
            said = f"mount: unknown filesystem type '{e.fstype}'"
        elif refused := refused_options(e):
            problem = f"{e.fstype} does not accept the option(s) {', '.join(refused)}"
            said = f"mount: {e.mountpoint}: wrong fs type, bad option ({', '.join(refused)})"
        else:
            continue
        if systemd:
            sev, outcome = Severity.BLOCKER, "the boot stops in emergency mode"
        elif facts.init.boot_family == "sysvinit":
            sev, outcome = Severity.WARNING, "mountall.sh reports it and the boot goes on"
        else:
            sev, outcome = Severity.UNKNOWN, "whether this init goes on without it is not known"
        out.append(
            finding(
                "boot.fstab-mount-will-fail",
                sev,
                f"fstab's {e.mountpoint} will not mount: {problem} ({outcome})",
                [e.line, said],
                "Fix that /etc/fstab line (the type `blkid` reports; the options in "
                f"mount(8) and {e.fstype.split(',')[0]}(5)), or add `nofail`; test with "
                "`mount -a` or `findmnt --verify`.",
                stage=Stage.MOUNTS,
            )
        )
    return out

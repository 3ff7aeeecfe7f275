"""Boot probes: bootloader configs, the files their entries name, modules, fstab sources.

Files over commands: nothing here runs a command except one `grep` that pulls the
kernel/initrd lines out of the configs, so the directories they name (beyond /boot) can be
listed too. The parsers decide which entry is the default and resolve its paths; the
probes only read.
"""

from cockpit.probes.base import Probe

#: Single files every host may have (absent is a fine answer for most of them).
BOOT_FILES = (
    "/boot/grub/grub.cfg",
    "/boot/grub2/grub.cfg",
    "/boot/grub/grubenv",
    "/boot/grub2/grubenv",
    "/boot/grub/grub.conf",
    "/boot/grub/menu.lst",
    "/boot/grub/default",
    "/boot/extlinux/extlinux.conf",
    "/boot/extlinux.conf",
    "/boot/syslinux/syslinux.cfg",
    "/boot/loader/loader.conf",
    "/efi/loader/loader.conf",
    "/boot/efi/loader/loader.conf",
    "/etc/default/grub",
    "/etc/kernel/cmdline",
)

_FILES = "\n".join(f'emit_file "boot.file:{p}" {p}' for p in BOOT_FILES)

# EFI vendor directories may hold a full grub.cfg (old Fedora/RHEL) or a stub.
_ESP = r"""
for bt_esp in /boot/efi /efi /boot; do
	open_dir "$bt_esp/EFI" || continue
	bt_er=$_R bt_ep=$_P
	emit_ls "boot.ls:$bt_esp/EFI" "$bt_esp/EFI"
	for bt_v in Linux systemd; do
		_inroot_at "$bt_er" "$bt_v" && [ -d "$_P" ] &&
			emit_ls "boot.ls:$bt_esp/EFI/$bt_v" "$bt_esp/EFI/$bt_v"
	done
	bt_n=0
	for bt_d in "$bt_ep"/*; do
		bt_v=${bt_d##*/}
		case $bt_v in *[![:graph:]]* | Linux | systemd | BOOT | Boot) continue ;; esac
		_inroot_at "$bt_er" "$bt_v" && [ -d "$_P" ] || continue
		bt_vr=$_R
		for bt_g in grub.cfg grubenv; do
			_inroot_at "$bt_vr" "$bt_g" && [ -f "$_P" ] || continue
			emit_file "boot.file:$bt_esp/EFI/$bt_v/$bt_g" "$bt_esp/EFI/$bt_v/$bt_g"
		done
		bt_n=$((bt_n + 1))
		[ "$bt_n" -lt 8 ] || break
	done
done
"""

_BLS = r"""
for bt_e in /boot/loader/entries /efi/loader/entries /boot/efi/loader/entries; do
	emit_dir "boot.bls:$bt_e" "$bt_e" '*.conf'
done
"""

#: The configs whose kernel/initrd lines name directories to list (BLS entries added).
REF_SOURCES = (
    "/boot/grub/grub.cfg",
    "/boot/grub2/grub.cfg",
    "/boot/grub/grub.conf",
    "/boot/grub/menu.lst",
    "/boot/extlinux/extlinux.conf",
    "/boot/extlinux.conf",
    "/boot/syslinux/syslinux.cfg",
)

#: sh: the positional parameters become the host paths of every loader config and BLS
#: entry (at most 64), each resolved inside ROOT: what boot.files and boot.kernel read.
LOADER_CONFIGS_AS_ARGS = (
    "set --\nfor lc_f in "
    + " ".join(REF_SOURCES)
    + r"""; do
	open_file "$lc_f" && set -- "$@" "$_P"
done
for lc_d in /boot/loader/entries /efi/loader/entries /boot/efi/loader/entries; do
	open_dir "$lc_d" || continue
	lc_er=$_R
	for lc_f in "$_P"/*.conf; do
		[ "$#" -lt 64 ] || break
		_inroot_at "$lc_er" "${lc_f##*/}" && [ -f "$_P" ] && [ -r "$_P" ] && set -- "$@" "$_P"
	done
done"""
)

# Directories (other than / and /boot) that kernel/initrd lines name, listed under each
# prefix a config's paths may be relative to (the partition the config lives on). Each is
# listed even when absent, so the parser can tell "not there" from "not looked at". The
# configs are resolved inside ROOT and read by ONE capped `head` (1 MiB each) into grep:
# `head -v` separates the files with header lines no kernel line can be mistaken for.
_REFS = (
    r"""
emit_ls boot.ls:/boot /boot
"""
    + LOADER_CONFIGS_AS_ARGS
    + r"""
bt_dirs=
bt_re='^[[:space:]]*(linux|linux16|linuxefi|initrd|initrd16|initrdefi|kernel|efi)[[:space:]]'
if [ "$#" -gt 0 ]; then
	bt_refs=$(head -c 1048576 -v -- "$@" 2>/dev/null | grep -iE "$bt_re" 2>/dev/null)
	bt_k=0 bt_l=0
	# shellcheck disable=SC2034 # bt_kw: the keyword (linux, initrd...), read to skip it
	while read -r bt_kw bt_a bt_b bt_c; do
		case $bt_a$bt_b$bt_c in *[*?[]*) continue ;; esac
		for bt_p in $bt_a $bt_b $bt_c; do
			bt_p=${bt_p#\(*\)}
			case $bt_p in /*/*) ;; *) continue ;; esac
			case $bt_p in *[![:graph:]]*) continue ;; esac
			bt_p=${bt_p%/*}
			case " $bt_dirs " in *" $bt_p "*) continue ;; esac
			bt_dirs="$bt_dirs $bt_p"
			bt_k=$((bt_k + 1))
		done
		[ "$bt_k" -lt 8 ] || break
		bt_l=$((bt_l + 1))
		[ "$bt_l" -lt 400 ] || break
	done <<BT_EOF
$bt_refs
BT_EOF
fi
for bt_p in $bt_dirs; do
	for bt_x in '' /boot /efi /boot/efi; do
		[ "$bt_x$bt_p" = /boot ] || emit_ls "boot.ls:$bt_x$bt_p" "$bt_x$bt_p"
	done
done
"""
)

# Modules: /lib/modules/<release>/modules.dep (merged /usr: /usr/lib/modules). Arch names
# its kernel vmlinuz-<pkgbase>; the release is the modules dir whose `pkgbase` matches.
_MODULES = r"""
bt_md=/lib/modules
_inroot / && [ -L "$_P/lib" ] && bt_md=/usr/lib/modules
emit_ls boot.modules "$bt_md"
bt_n=0
if open_dir "$bt_md"; then
	bt_mr=$_R
	for bt_d in "$_P"/*; do
		bt_r=${bt_d##*/}
		case $bt_r in *[![:graph:]]*) continue ;; esac
		_inroot_at "$bt_mr" "$bt_r" && [ -d "$_P" ] || continue
		bt_rr=$_R
		emit_ls "boot.moddep:$bt_r" "$bt_md/$bt_r" 'modules.dep'
		_inroot_at "$bt_rr" pkgbase && [ -f "$_P" ] &&
			emit_file "boot.pkgbase:$bt_r" "$bt_md/$bt_r/pkgbase"
		bt_n=$((bt_n + 1))
		[ "$bt_n" -lt 32 ] || break
	done
fi
"""

# fstab and crypttab, the device lists their sources are looked up in, and each /dev/...
# or path source resolved (live: against the real /dev; offline: inside the tree).
_MOUNTS = r"""
emit_file boot.fstab /etc/fstab
emit_file boot.crypttab /etc/crypttab
for bt_k in uuid label partuuid partlabel; do
	emit_ls "boot.disk:$bt_k" "/dev/disk/by-$bt_k"
done
bt_n=0
for bt_t in fstab crypttab; do
	# a capped copy for the loop (`read` alone would crawl through a 2 GB line)
	{ _slurp 65536 "/etc/$bt_t"; } 2>/dev/null || continue
	while read -r bt_a bt_b bt_c; do
		if [ "$bt_t" = crypttab ]; then bt_s=$bt_b; else bt_s=$bt_a; fi
		case $bt_s in /*) ;; *) continue ;; esac
		case $bt_s in *[![:graph:]]*) continue ;; esac
		emit_resolve "boot.src:$bt_s" "$bt_s"
		bt_n=$((bt_n + 1))
		[ "$bt_n" -lt 32 ] || break
	done <<BT_EOF
$_C
BT_EOF
done
if _isdir /sys/firmware/efi/efivars; then
	emit_ls boot.efivars /sys/firmware/efi/efivars 'Loader*'
	bt_g=4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
	emit_file boot.efivar.default "/sys/firmware/efi/efivars/LoaderEntryDefault-$bt_g"
	emit_file boot.efivar.oneshot "/sys/firmware/efi/efivars/LoaderEntryOneShot-$bt_g"
fi
"""

# Kernel images in /boot, each checked against its own boot-protocol header (45-kimage.sh):
# /boot is resolved inside ROOT once, each file opened through the resolver again.
_KIMAGES = r"""
if open_dir /boot; then
	bt_n=0
	for bt_f in "$_P"/vmlinuz* "$_P"/vmlinux* "$_P"/kernel* "$_P"/bzImage*; do
		[ -e "$bt_f" ] || [ -L "$bt_f" ] || continue
		bt_b=${bt_f##*/}
		case $bt_b in *[![:graph:]]*) continue ;; esac
		emit_kimage "boot.kimage:/boot/$bt_b" "/boot/$bt_b"
		bt_n=$((bt_n + 1))
		[ "$bt_n" -lt 16 ] || break
	done
fi
"""

#: The ESP directories, vendor directories and their files the ESP probes list or read:
#: what their fingerprint (incremental refresh) is taken over.
_ESP_WATCH = tuple(f"{esp}/EFI/{d}" for esp in ("/boot/efi", "/efi", "/boot") for d in ("*", "*/*"))

PROBES: tuple[Probe, ...] = (
    Probe(
        name="boot.files",
        area="boot",
        script=_FILES + _ESP + _BLS,
        doc="bootloader configs (GRUB 2/legacy, BLS, systemd-boot, extlinux), grubenv",
        cap_bytes=262144,
        paths=tuple(
            f"{esp}/EFI{sub}"
            for esp in ("/boot/efi", "/efi", "/boot")
            for sub in ("", "/Linux", "/systemd", "/debian", "/debian/grub.cfg", "/debian/grubenv")
        ),
        watch=(*_ESP_WATCH, *(f"{e}/loader/entries/*" for e in ("/boot", "/efi", "/boot/efi"))),
    ),
    Probe(
        name="boot.ls",
        area="boot",
        script=_REFS,
        doc="listings of /boot and of the directories boot entries name",
        cap_bytes=65536,
        # /boot's entries and the directories the boot entries name (their sections)
        watch=(
            "/boot/*",
            "/boot/loader/entries/*",
            "/efi/loader/entries/*",
            "/boot/efi/loader/entries/*",
        ),
    ),
    Probe(
        name="boot.modules",
        area="boot",
        script=_MODULES,
        doc="kernel module trees and their modules.dep",
        cap_bytes=16384,
        watch=(
            "/lib/modules/*",
            "/usr/lib/modules/*",
            "/lib/modules/*/pkgbase",
            "/usr/lib/modules/*/pkgbase",
        ),
    ),
    Probe(
        name="boot.mounts",
        area="boot",
        script=_MOUNTS,
        doc="fstab/crypttab and whether their sources exist (device links, /dev)",
        cap_bytes=65536,
        # the by-* links (devtmpfs: an added or removed disk moves the directory) and the
        # boot loader's EFI variables (their own files; efivarfs keeps their times)
        watch=("/dev/disk/by-*/*", "/sys/firmware/efi/efivars/Loader*"),
        paths=(
            "/etc/fstab",
            "/etc/crypttab",
            *(f"/dev/disk/by-{k}" for k in ("uuid", "label", "partuuid", "partlabel")),
            *(
                f"/sys/firmware/efi/efivars/Loader{v}-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
                for v in ("EntryDefault", "EntryOneShot")
            ),
        ),
    ),
    Probe(
        name="boot.kimage",
        area="boot",
        script=_KIMAGES,
        doc="kernel images in /boot against their own header: a truncated one does not boot",
        cap_bytes=4096,
        watch=("/boot/*",),
        paths=("/boot/vmlinuz-6.1.0-18-amd64", "/boot/bzImage"),
    ),
)

# GRUB's own files, beside its grub.cfg: BIOS GRUB's core.img (in the MBR gap) loads
# normal.mod and the rest from /boot/grub/i386-pc; an EFI GRUB is an image on the ESP. Which
# platforms are installed at all: /usr/lib/grub/<platform> (grub-pc, grub-efi packages).
_GRUB_FILES = r"""
for bt_g in /boot/grub /boot/grub2; do
	for bt_p in i386-pc x86_64-efi; do
		emit_ls "boot.grubmod:$bt_g/$bt_p/normal.mod" "$bt_g/$bt_p" normal.mod
	done
	emit_ls "boot.grubmod:$bt_g/i386-pc/core.img" "$bt_g/i386-pc" core.img
done
emit_ls boot.grublib /usr/lib/grub
for bt_esp in /boot/efi /efi /boot; do
	open_dir "$bt_esp/EFI" || continue
	bt_er=$_R bt_n=0
	for bt_d in "$_P"/*; do
		bt_v=${bt_d##*/}
		_printable "$bt_v" || continue
		_inroot_at "$bt_er" "$bt_v" && [ -d "$_P" ] || continue
		emit_ls "boot.efibin:$bt_esp/EFI/$bt_v" "$bt_esp/EFI/$bt_v" '*.[eE][fF][iI]'
		bt_n=$((bt_n + 1))
		[ "$bt_n" -lt 8 ] || break
	done
done
"""

PROBES = (
    *PROBES,
    Probe(
        name="boot.grubfiles",
        area="boot",
        script=_GRUB_FILES,
        doc="GRUB's modules (normal.mod, core.img) and the EFI images on the ESP",
        cap_bytes=8192,
        watch=(
            *(f"{g}/{d}" for g in ("/boot/grub", "/boot/grub2") for d in ("*", "*/*")),
            "/usr/lib/grub/*",
            *_ESP_WATCH,
        ),
        paths=tuple(f"{esp}/EFI/debian" for esp in ("/boot/efi", "/efi", "/boot")),
    ),
)

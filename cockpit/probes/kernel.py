"""Kernel-stage probes: what the initramfs holds, and what the kernel has built in.

Can the kernel find and mount root? That needs the root device's driver and the root
filesystem's module, built in (modules.builtin, /boot/config-*) or in the initramfs the
default entry loads. Listing an initramfs costs about a second of CPU, so every file here
is fingerprinted on every refresh (one `stat` for all) and read only when its fingerprint
is not one the client already holds (collector/sh/50-initramfs.sh, collector/cadence.py).

Which initramfs is the default entry's is the parser's business (it knows the loaders);
the probe lists every initrd the loader configs name (at most 6), so that the default's
is among them whichever entry it is.
"""

from cockpit.facts.kmods import config_grep
from cockpit.probes.base import Probe

#: Loader configs whose initrd lines name the files to list (the same files boot.files
#: reads), BLS entry directories globbed separately.
_CONFIGS = (
    "/boot/grub/grub.cfg",
    "/boot/grub2/grub.cfg",
    "/boot/grub/grub.conf",
    "/boot/grub/menu.lst",
    "/boot/extlinux/extlinux.conf",
    "/boot/extlinux.conf",
    "/boot/syslinux/syslinux.cfg",
)

# kn_files lists the files to fingerprint (host paths); `boot.kernel.files` says which
# path inside ROOT each initrd line led to, so the parser can match a boot entry's initrd
# (as found) with its listing (named by the resolved path).
_KERNEL = (
    r"""
kn_cfgs= kn_files= kn_idx= kn_n=0
for kn_c in """
    + " ".join(_CONFIGS)
    + r"""; do
	open_file "$kn_c" && kn_cfgs="$kn_cfgs$_P$_NL"
done
for kn_d in /boot/loader/entries /efi/loader/entries /boot/efi/loader/entries; do
	_inroot "$kn_d" || continue
	for kn_c in "$_P"/*.conf; do
		[ -f "$kn_c" ] && [ -r "$kn_c" ] && kn_cfgs="$kn_cfgs$kn_c$_NL"
	done
done
kn_refs=
if [ -n "$kn_cfgs" ]; then
	kn_ifs=$IFS
	IFS=$_NL
	set -f
	kn_re='^[[:space:]]*(initrd|initrd16|initrdefi|append)[[:space:]]'
	kn_refs=$(grep -hiE "$kn_re" $kn_cfgs 2>/dev/null)
	set +f
	IFS=$kn_ifs
fi
kn_seen= kn_prev=
set -f
kn_k=0
for kn_w in $kn_refs; do
	kn_k=$((kn_k + 1))
	[ "$kn_k" -le 2000 ] || break
	kn_rel=
	case $kn_w in
	[Ii][Nn][Ii][Tt][Rr][Dd]=*) kn_w=${kn_w#*=} ;;
	/* | \(*\)/*) ;;
	*)
		# extlinux's `INITRD name` is relative to the config's directory
		case $kn_prev in [Ii][Nn][Ii][Tt][Rr][Dd]) kn_rel=1 ;; *) kn_prev=$kn_w; continue ;; esac
		;;
	esac
	kn_prev=$kn_w
	kn_ifs=$IFS
	IFS=,
	for kn_p in $kn_w; do
		IFS=$kn_ifs
		kn_p=${kn_p#\(*\)}
		case $kn_rel$kn_p in /*) ;; 1/*) ;; 1?*) kn_p=/$kn_p ;; *) continue ;; esac
		case $kn_p in *[![:graph:]]* | *'$'* | *'*'* | *'?'* | *'['*) continue ;; esac
		case " $kn_seen " in *" $kn_p "*) continue ;; esac
		kn_seen="$kn_seen $kn_p"
		kn_xs="'' /boot /efi /boot/efi"
		[ -z "$kn_rel" ] || kn_xs="/boot /boot/extlinux /boot/syslinux"
		for kn_x in $kn_xs; do
			[ "$kn_x" != "''" ] || kn_x=
			[ "$kn_x" != /boot ] || case $kn_p in /boot/*) continue ;; esac
			open_file "$kn_x$kn_p" || continue
			kn_r=${_P#"$ROOT"}
			kn_idx="${kn_idx}initrd $kn_x$kn_p $kn_r$_NL"
			case "$_NL$kn_files" in *"$_NL$_P$_NL"*) ;; *)
				kn_files="$kn_files$_P$_NL"
				kn_n=$((kn_n + 1))
			esac
			break
		done
		[ "$kn_n" -lt 6 ] || break 2
	done
	IFS=$kn_ifs
done
set +f
_inroot /lib/modules
kn_mh=$_P kn_rels= kn_k=0
for kn_d in "$kn_mh"/*; do
	[ -f "$kn_d/modules.builtin" ] || continue
	kn_r=${kn_d##*/}
	_printable "$kn_r" || continue
	kn_rels="$kn_rels $kn_r"
	kn_files="$kn_files$kn_d/modules.builtin$_NL"
	kn_k=$((kn_k + 1))
	[ "$kn_k" -lt 8 ] || break
done
_inroot /boot
kn_bh=$_P kn_cf= kn_k=0
for kn_c in "$kn_bh"/config-*; do
	[ -f "$kn_c" ] || continue
	kn_r=${kn_c##*/config-}
	_printable "$kn_r" || continue
	kn_cf="$kn_cf $kn_r"
	kn_files="$kn_files$kn_c$_NL"
	kn_k=$((kn_k + 1))
	[ "$kn_k" -lt 8 ] || break
done
_begin boot.kernel.files
printf '%s' "$kn_idx"
_end 0 ok boot.kernel.files
kn_ifs=$IFS
IFS=$_NL
set -f
# shellcheck disable=SC2086
_ir_fps $kn_files
set +f
IFS=$kn_ifs
kn_done=
while IFS= read -r kn_l; do
	[ -n "$kn_l" ] || continue
	kn_r=${kn_l##* }
	case " $kn_done " in *" $kn_r "*) continue ;; esac
	kn_done="$kn_done $kn_r"
	emit_initramfs "boot.kernel.initramfs:$kn_r" "$ROOT$kn_r"
done <<KN_EOF
$kn_idx
KN_EOF
for kn_r in $kn_rels; do
	emit_fp_file "boot.kernel.builtin:$kn_r" "$kn_mh/$kn_r/modules.builtin"
done
for kn_r in $kn_cf; do
	emit_fp_grep "boot.kernel.config:$kn_r" "$kn_bh/config-$kn_r" '"""
    + config_grep()
    + """'
done
"""
)

PROBES: tuple[Probe, ...] = (
    Probe(
        name="boot.kernel",
        area="boot",
        script=_KERNEL,
        doc=(
            "initramfs contents of the loaders' initrds (modules, releases, generator), "
            "modules.builtin and kernel config symbols; each read only when its file changed"
        ),
        timeout_s=20,
        cap_bytes=262144,
    ),
)

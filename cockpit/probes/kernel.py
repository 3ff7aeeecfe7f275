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
from cockpit.probes.boot import LOADER_CONFIGS_AS_ARGS

# The positional parameters collect the files to fingerprint (host paths from the
# resolver); `boot.kernel.files` says which path inside ROOT each initrd line led to, so
# the parser can match a boot entry's initrd (as found) with its listing (named by the
# resolved path).
_KERNEL = (
    r"""
kn_idx= kn_n=0 kn_nl='
'
"""
    + LOADER_CONFIGS_AS_ARGS
    + r"""
kn_refs=
if [ "$#" -gt 0 ]; then
	# one capped read of every config (`head -v` header lines match no initrd line)
	kn_re='^[[:space:]]*(initrd|initrd16|initrdefi|append)[[:space:]]'
	kn_refs=$(head -c 1048576 -v -- "$@" 2>/dev/null | grep -iE "$kn_re" 2>/dev/null)
fi
set --
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
			# the path inside ROOT it led to names the listing: one a line, no blank
			case $_R in *[![:graph:]]*) break ;; esac
			case "$kn_idx" in *" $_R$kn_nl"*) ;; *)
				set -- "$@" "$_P"
				kn_n=$((kn_n + 1))
			esac
			kn_idx="${kn_idx}initrd $kn_x$kn_p $_R$kn_nl"
			break
		done
		[ "$kn_n" -lt 6 ] || break 2
	done
	IFS=$kn_ifs
done
set +f
# modules.builtin of each release (links resolved inside ROOT, one at a time), and
# /boot/config-*: `REL HOSTPATH` lines, fingerprinted with the initrds by one `stat`
kn_mods= kn_cfs= kn_k=0
if open_dir /lib/modules; then
	kn_mr=$_R
	for kn_d in "$_P"/*; do
		kn_r=${kn_d##*/}
		_printable "$kn_r" || continue
		_inroot_at "$kn_mr" "$kn_r" && [ -d "$_P" ] || continue
		_inroot_at "$_R" modules.builtin && [ -f "$_P" ] || continue
		kn_mods="$kn_mods$kn_r $_P$kn_nl"
		set -- "$@" "$_P"
		kn_k=$((kn_k + 1))
		[ "$kn_k" -lt 8 ] || break
	done
fi
kn_k=0
if open_dir /boot; then
	kn_br=$_R
	for kn_c in "$_P"/config-*; do
		kn_c=${kn_c##*/}
		kn_r=${kn_c#config-}
		_printable "$kn_r" || continue
		_inroot_at "$kn_br" "$kn_c" && [ -f "$_P" ] || continue
		kn_cfs="$kn_cfs$kn_r $_P$kn_nl"
		set -- "$@" "$_P"
		kn_k=$((kn_k + 1))
		[ "$kn_k" -lt 8 ] || break
	done
fi
_begin boot.kernel.files
printf '%s' "$kn_idx"
_end 0 ok boot.kernel.files
_ir_fps "$@"
kn_done=
while IFS= read -r kn_l; do
	[ -n "$kn_l" ] || continue
	kn_r=${kn_l##* }
	case " $kn_done " in *" $kn_r "*) continue ;; esac
	kn_done="$kn_done $kn_r"
	_inroot "$kn_r" && emit_initramfs "boot.kernel.initramfs:$kn_r" "$_P"
done <<KN_EOF
$kn_idx
KN_EOF
while IFS= read -r kn_l; do
	[ -z "$kn_l" ] || emit_fp_file "boot.kernel.builtin:${kn_l%% *}" "${kn_l#* }"
done <<KN_EOF
$kn_mods
KN_EOF
while IFS= read -r kn_l; do
	[ -z "$kn_l" ] || emit_fp_grep "boot.kernel.config:${kn_l%% *}" "${kn_l#* }" '"""
    + config_grep()
    + """'
done <<KN_EOF
$kn_cfs
KN_EOF
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
        watch=(
            "/boot/*",
            "/boot/loader/entries/*",
            "/efi/loader/entries/*",
            "/boot/efi/loader/entries/*",
            "/lib/modules/*",
            "/lib/modules/*/modules.builtin",
        ),
        # built at run time: the BLS entries, the initrds the configs name, and the
        # per-release files (a containment test plants links at each)
        paths=(
            "/boot/loader/entries/x.conf",
            "/boot/initrd.img-6.1.0-18-amd64",
            "/lib/modules/6.1.0-18-amd64/modules.builtin",
            "/boot/config-6.1.0-18-amd64",
        ),
    ),
)

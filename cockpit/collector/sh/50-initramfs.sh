# What an initramfs holds (kernel modules, module release dirs, generator markers) and
# other kernel files (modules.builtin, config), read only when the file changed.
#
# Listing an initramfs costs about a second of CPU (a 36 MB gzip stream), so each such
# section starts with the file's fingerprint (`fp size:mtime:inode`, taken for every file
# by ONE `stat` per refresh) and the client passes back `NAME#FP` for the sections it
# holds: an unchanged file is answered `cached` without being opened.
#
# Helpers for probe snippets: _ir_fps FILE... (the fingerprints), _ir_open NAME FILE
# (begin a fingerprinted section; 1 = already closed, cached or unreadable),
# emit_initramfs NAME FILE (a listing, within _IRBUDGET fresh listings per run).

_IRFP=
_IRBUDGET=3

# _ir_fps FILE...: "size:mtime:inode FILE" lines for host paths already resolved inside
# ROOT (so `stat -L` follows nothing out of it), one process for all of them.
_ir_fps() {
	_IRFP=
	[ "$#" -gt 0 ] || return 0
	if command -v stat >/dev/null 2>&1; then
		_IRFP=$(stat -L -c '%s:%Y:%i %n' "$@" 2>/dev/null)
		return 0
	fi
	for _irx in "$@"; do
		_ir_lsfp "$_irx"
	done
}

# _ir_lsfp FILE: the same from `ls -lniL` where there is no stat (minute-grained mtime).
_ir_lsfp() {
	_irf=$1
	set -f
	# shellcheck disable=SC2046 # ls -l fields, split on purpose (globbing is off)
	set -- $(ls -lniL "$_irf" 2>/dev/null)
	set +f
	[ "$#" -ge 9 ] || return 0
	_IRFP="$_IRFP$_NL$6:$7-$8-$9:$1 $_irf"
}

# _ir_fp_of FILE: its fingerprint from _IRFP (sets _FP; returns 1 when there is none).
_ir_fp_of() {
	_irs="$_NL$_IRFP$_NL"
	case $_irs in
	*"$_NL"[0-9]*" $1$_NL"*) ;;
	*) _FP= ; return 1 ;;
	esac
	_irs=${_irs%%" $1$_NL"*}
	_FP=${_irs##*"$_NL"}
	case $_FP in *[![:graph:]]* | '') _FP= ; return 1 ;; esac
	return 0
}

# _ir_open NAME FILE [NOFP]: begin section NAME for FILE. Returns 1 when the section is
# already closed: `cached` (the client holds this very fingerprint) or `error` (no
# fingerprint). With NOFP the fingerprint line is left to the caller.
_ir_open() {
	_begin "$1"
	if ! _ir_fp_of "$2"; then
		_end 0 error "$1"
		return 1
	fi
	if _cached "$1#$_FP"; then
		_end 0 cached "$1"
		return 1
	fi
	[ -n "$3" ] || printf 'fp %s\n' "$_FP"
	return 0
}

# _ir_magic FILE OFFSET: the format of the stream at OFFSET (sets _IRM: cpio gzip zstd
# xz lz4 bzip2 lzma lzo zero, or `unknown:<hex>`).
_ir_magic() {
	# shellcheck disable=SC2046 # od's hex bytes: words of [0-9a-f] only
	set -- $(od -An -v -tx1 -j "$2" -N 6 "$1" 2>/dev/null)
	case "$1$2$3$4$5$6" in
	30373037303[12]) _IRM=cpio ;;
	1f8b*) _IRM=gzip ;;
	28b52ffd*) _IRM=zstd ;;
	fd377a585a00) _IRM=xz ;;
	02214c18* | 04224d18*) _IRM=lz4 ;;
	425a68*) _IRM=bzip2 ;;
	5d0000*) _IRM=lzma ;;
	894c5a4f*) _IRM=lzo ;;
	00000000*) _IRM=zero ;;
	'') _IRM=end ;;
	*) _IRM="unknown:$1$2$3$4" ;;
	esac
}

# _ir_dec FORMAT: the decompressor command for FORMAT on this machine (sets _IRD; 1 = none).
# Offline these are the viewer's tools reading ROOT's file: that reads the file, it does
# not describe the viewer.
_ir_dec() {
	case $1 in
	gzip) set -- "gzip -dc" "busybox gzip -dc" ;;
	zstd) set -- "zstd -dcq" "busybox unzstd -c" ;;
	xz) set -- "xz -dc" "busybox unxz -c" ;;
	lz4) set -- "lz4 -dc" "lz4cat" ;;
	bzip2) set -- "bzip2 -dc" "busybox bunzip2 -c" ;;
	lzma) set -- "xz --format=lzma -dc" "busybox unlzma -c" ;;
	lzo) set -- "lzop -dc" "busybox lzop -dc" ;;
	*) _IRD= ; return 1 ;;
	esac
	for _irc in "$@"; do
		case $_irc in
		busybox*) command -v busybox >/dev/null 2>&1 && busybox ${_irc#busybox } --help >/dev/null 2>&1 || continue ;;
		*) command -v "${_irc%% *}" >/dev/null 2>&1 || continue ;;
		esac
		_IRD=$_irc
		return 0
	done
	_IRD=
	return 1
}

# _ir_hex8 TEXT: TEXT's first 8 characters as a hex number (sets _IRN), in the shell.
_IRQ54='??????????????????????????????????????????????????????' # 54 x '?': a pattern
_IRQ94="$_IRQ54????????????????????????????????????????"       # 94
_ir_hex8() {
	_irh8=${1%"${1#????????}"}
	case $_irh8 in
	[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f])
		_IRN=$((0x$_irh8))
		return 0
		;;
	esac
	return 1
}

# _ir_walk FILE OFFSET: walk an uncompressed newc archive's headers to its TRAILER!!!
# (an early microcode cpio: a handful of entries). Sets _IRE to the offset after it;
# returns 1 past 64 entries (the main archive itself) or on a malformed header.
_ir_walk() {
	_IRE=$2 _irk=0
	while [ "$_irk" -lt 64 ]; do
		_irh=$(dd if="$1" bs=1 skip="$_IRE" count=110 2>/dev/null)
		case $_irh in 07070[12]*) ;; *) return 1 ;; esac
		# shellcheck disable=SC2295 # unquoted on purpose: _IRQ54 is a pattern of 54 `?`
		_ir_hex8 "${_irh#$_IRQ54}" || return 1
		_irfs=$_IRN
		# shellcheck disable=SC2295 # unquoted on purpose: a pattern of 94 `?`
		_ir_hex8 "${_irh#$_IRQ94}" || return 1
		_irns=$_IRN
		[ "$_irns" -gt 0 ] && [ "$_irns" -le 4096 ] || return 1
		_irnm=$(dd if="$1" bs=1 skip=$((_IRE + 110)) count=$((_irns - 1)) 2>/dev/null)
		_IRE=$(((_IRE + 110 + _irns + 3) / 4 * 4))
		_IRE=$(((_IRE + _irfs + 3) / 4 * 4))
		_irk=$((_irk + 1))
		[ "$_irnm" != 'TRAILER!!!' ] || return 0
	done
	return 1
}

# _ir_skipzero FILE: move _IRO past zero padding (at most 64 KiB of it).
_ir_skipzero() {
	_irz=0
	while [ "$_irz" -lt 128 ]; do
		_irb=0
		# shellcheck disable=SC2046 # od's decimal bytes: digits only
		for _irv in $(od -An -v -tu1 -j "$_IRO" -N 512 "$1" 2>/dev/null); do
			[ "$_irv" = 0 ] || { _IRO=$((_IRO + _irb)); return 0; }
			_irb=$((_irb + 1))
		done
		[ "$_irb" -gt 0 ] || return 0 # end of file
		_IRO=$((_IRO + _irb))
		_irz=$((_irz + 1))
	done
}

# The awk that turns a listing (one name a line, or `ls -l` lines from lsinitrd) into
# `file PATH` for generator markers, then `entries N`, `release REL` and
# `modules REL name...`. A name scan (tr+grep) gives newc headers glued to names: their
# namesize field must match, or the line is file content that only looks like a header.
# shellcheck disable=SC2016 # an awk program: its $0 and $i are awk's, not the shell's
_IR_AWK='
function hex(s,   i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1; return v }
BEGIN { n = 0; nrel = 0 }
{
	p = $0
	if (MODE == "scan") {
		if (length(p) < 111 || hex(substr(p, 95, 8)) != length(p) - 110 + 1) next
		p = substr(p, 111)
	} else if (MODE == "lsl") {
		if ($1 !~ /^[-dlcbps][-rwxsStT]+$/ || NF < 9) next
		p = $9; for (i = 10; i <= NF; i++) p = p " " $i
		sub(/ -> .*/, "", p)
	}
	sub(/^\.\//, "", p); sub(/^\/+/, "", p)
	if (p == "" || p == "." || p == "TRAILER!!!") next
	n++
	q = p; sub(/^usr\//, "", q)
	if (substr(q, 1, 12) == "lib/modules/") {
		r = substr(q, 13); rel = r; sub(/\/.*/, "", rel)
		if (rel == "" || rel ~ /[^[:graph:]]/) next
		if (!(rel in seen)) { seen[rel] = 1; rels[++nrel] = rel; mods[rel] = ""; cnt[rel] = 0 }
		m = r; sub(/.*\//, "", m)
		if (r ~ /\// && m ~ /\.ko(\.(xz|zst|gz))?$/) {
			sub(/\.ko(\.(xz|zst|gz))?$/, "", m)
			if (m ~ /^[[:graph:]]+$/ && !((rel SUBSEP m) in had)) {
				had[rel, m] = 1
				if (cnt[rel] > 0 && cnt[rel] % 40 == 0) mods[rel] = mods[rel] "\nmodules " rel
				mods[rel] = mods[rel] " " m; cnt[rel]++
			}
		}
		next
	}
	if (p ~ MARK) print "file " p
}
END {
	print "entries " n
	for (i = 1; i <= nrel; i++) { print "release " rels[i]; if (mods[rels[i]] != "") print "modules " rels[i] mods[rels[i]] }
}'

_IR_MARK='^(init|init_functions|buildconfig|config|conf/initramfs[.]conf|conf/conf[.]d/[^/]*|scripts/(local|nfs|functions)|scripts/(local|init)-(top|premount|block|bottom)/[^/]*|hooks/[^/]*|install/[^/]*|etc/booster[.]init[.]yaml|etc/initrd-release|usr/lib/initrd-release|(usr/)?lib/dracut/dracut-[^/]*|(usr/)?lib/dracut/modules[.]txt|(usr/)?lib/dracut/hooks/[^/]*/[^/]*|(usr/)?s?bin/(nlplug-findfs|busybox|udevadm|lvm|cryptsetup|mdadm|zpool|btrfs|e2fsck|fsck[^/]*|mount|switch_root|run-init)|(usr/)?lib/systemd/systemd|(usr/)?lib/systemd/system/(initrd-usr-fs[.]target|sysroot-usr[.]mount)|kernel/x86/microcode/[^/]*|etc/fstab|etc/crypttab|etc/mdadm/mdadm[.]conf|etc/lvm/lvm[.]conf)$'

_ir_filter() { awk -v MODE="$1" -v MARK="$_IR_MARK" "$_IR_AWK" 2>/dev/null; }

# _ir_rc STATUSES: fold stage exit statuses into _IRST (timeout beats error beats ok).
_ir_rc() {
	for _irw in $1; do
		_irw=${_irw#[dl]}
		case $_irw in
		0) ;;
		124 | 137 | 143) _IRST=timeout ;;
		*) [ "$_IRST" = timeout ] || _IRST=error ;;
		esac
	done
}

# _ir_from FILE: FILE's bytes from offset _IRO on.
_ir_from() {
	if [ "$_IRO" -eq 0 ]; then
		cat "$1"
	else
		tail -c +"$((_IRO + 1))" "$1"
	fi
}

# _ir_lister CMD: the cpio name lister, or the name scan (newc headers glued to names;
# the only way with no cpio or bsdtar at all).
_ir_lister() {
	if [ "$1" = scan ]; then
		tr '\000' '\n' | grep -aoE '07070[12][0-9A-Fa-f]{104}.*'
		return 0
	fi
	# shellcheck disable=SC2086 # $_TO ("timeout" or empty) and the lister's words: split on purpose
	$_TO ${_TO:+"$TMO"} $1 2>/dev/null 3>&- 4>&-
}

# _ir_segment FILE FORMAT: list the archive starting at _IRO (decompressed first).
_ir_segment() {
	if [ "$2" = cpio ]; then
		_IRD='cat'
	elif ! _ir_dec "$2"; then
		printf 'need %s\n' "$2"
		_IRST=nocmd
		return 0
	fi
	if command -v cpio >/dev/null 2>&1; then
		_irlst="cpio -it"
	elif command -v bsdtar >/dev/null 2>&1; then
		_irlst="bsdtar -tf -"
	elif command -v busybox >/dev/null 2>&1 && busybox cpio --help >/dev/null 2>&1; then
		_irlst="busybox cpio -it"
	else
		_irlst=scan
	fi
	_irmode=names
	[ "$_irlst" != scan ] || _irmode=scan
	printf 'via %s %s\n' "${_IRD%% *}" "${_irlst%% *}"
	# shellcheck disable=SC2086 # $_TO and the decompressor's words ("gzip -dc"): split on purpose
	{ _irrc=$({ { _ir_from "$1" | $_TO ${_TO:+"$TMO"} $_IRD 2>/dev/null 3>&- 4>&-
		echo "d$?" >&3; } | { _ir_lister "$_irlst"; echo "l$?" >&3; } |
		_ir_filter "$_irmode" >&4; } 3>&1); } 4>&1
	_ir_rc "$_irrc"
	# The decompressor itself failed on a file it could read: the stream is cut or corrupt,
	# and the kernel's own unpacker fails on it the same way (not a timeout, not SIGPIPE
	# from the output cap).
	for _irw in $_irrc; do
		case $_irw in
		d0 | d124 | d137 | d141 | d143) ;;
		d*) printf 'damaged %s %s\n' "$2" "${_irw#d}" ;;
		esac
	done
}

# _ir_list FILE: the section body (segments and names); prints its state last, to fd 3.
_ir_list() {
	_IRST=ok _IRO=0 _irseg=0
	# The host's own lister first, live only: offline it would be the viewer's tool
	# reading ROOT's file with the viewer's ideas of where things are.
	if [ "$MODE" = live ]; then
		for _irl in lsinitramfs lsinitrd lsinitcpio; do
			command -v "$_irl" >/dev/null 2>&1 || continue
			printf 'via %s\n' "$_irl"
			_irmode=names
			[ "$_irl" != lsinitrd ] || _irmode=lsl
			{ _irrc=$({ { $_TO ${_TO:+"$TMO"} "$_irl" "$1" </dev/null 2>/dev/null 3>&- 4>&-
				echo "$?" >&3; } | _ir_filter "$_irmode" >&4; } 3>&1); } 4>&1
			_ir_rc "$_irrc"
			printf '%s' "$_IRST" >&3
			return 0
		done
	fi
	while [ "$_irseg" -lt 8 ]; do
		_ir_magic "$1" "$_IRO"
		if [ "$_IRM" = zero ]; then
			_ir_skipzero "$1"
			_ir_magic "$1" "$_IRO"
			[ "$_IRM" != zero ] || break
		fi
		case $_IRM in
		end) break ;;
		cpio)
			if _ir_walk "$1" "$_IRO"; then
				printf 'seg %s cpio %s\n' "$_IRO" "$_irk"
				_ir_segment "$1" cpio
				_IRO=$_IRE
				_irseg=$((_irseg + 1))
				continue
			fi
			printf 'seg %s cpio main\n' "$_IRO"
			_ir_segment "$1" cpio
			break
			;;
		unknown:*)
			printf 'seg %s %s\n' "$_IRO" "$_IRM"
			[ "$_irseg" -gt 0 ] || _IRST=error
			break
			;;
		*)
			printf 'seg %s %s\n' "$_IRO" "$_IRM"
			_ir_segment "$1" "$_IRM"
			break # a compressed stream runs to the end of the file
			;;
		esac
	done
	[ "$_irseg" -gt 0 ] || [ "$_IRM" != end ] || _IRST=error
	printf '%s' "$_IRST" >&3
}

# emit_initramfs NAME FILE: the listing of FILE (a host path resolved inside ROOT) as
# section NAME, fingerprinted. At most _IRBUDGET fresh listings per run: past it a
# section says `deferred` with no fingerprint, so the next refresh lists it.
emit_initramfs() {
	_ir_open "$1" "$2" nofp || return 0
	if [ "$_IRBUDGET" -le 0 ]; then
		printf 'deferred\n'
		_end 0 error "$1"
		return 0
	fi
	_IRBUDGET=$((_IRBUDGET - 1))
	printf 'fp %s\n' "$_FP"
	if ! command -v od >/dev/null 2>&1 || ! command -v awk >/dev/null 2>&1; then
		printf 'need od awk\n'
		_end 0 nocmd "$1"
		return 0
	fi
	{ _irst=$({ _ir_list "$2" | head -c "$((CAP + 1))" >&4; } 3>&1); } 4>&1
	_end 0 "${_irst:-error}" "$1"
}

# emit_fp_file NAME FILE: FILE's content (capped), fingerprinted like an initramfs.
emit_fp_file() {
	_ir_open "$1" "$2" || return 0
	head -c "$((CAP + 1))" <"$2" 2>/dev/null
	_end "$?" ok "$1"
}

# emit_fp_grep NAME FILE ERE: the lines of FILE matching ERE, fingerprinted.
emit_fp_grep() {
	_ir_open "$1" "$2" || return 0
	grep -E "$3" "$2" 2>/dev/null | head -c "$((CAP + 1))"
	_end 0 ok "$1"
}

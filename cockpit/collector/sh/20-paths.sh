# Paths inside ROOT: the ONE place where a path of the host being judged becomes a path on
# the machine running the collector. Every probe reads, lists and tests through here; a
# test (tests/collector/test_containment.py) fails if `$ROOT` appears anywhere else.
#
# Semantics (offline), those of openat2(2) with RESOLVE_IN_ROOT:
#   - a path is walked component by component inside ROOT, each symlink read (`readlink`,
#     once per run) and followed INSIDE ROOT: an absolute target restarts at ROOT, `..`
#     stops at ROOT, so nothing outside ROOT is ever named;
#   - more than 40 links: `loop`; a link whose target (or a directory on its way) does not
#     exist: `dangling`; a component of the path itself missing: `absent`;
#   - ROOT's /proc, /sys, /dev or /run when the viewing machine mounted something there
#     (a chroot with /proc mounted: /proc/kmsg passes `[ -f ]` and blocks): `foreign`,
#     never read. Plain directories of the tree are read like any other.
#   - on failure _P is $_NOPATH, which cannot exist (/dev/null is no directory): a caller
#     that forgets the return code reads nothing, and never the raw path.
# Live (MODE=live) the host's own kernel resolves: the helpers pass paths through.
#
# API for probes (state words are section states, see cockpit/snapshot.py):
#   _inroot PATH        -> 0 if PATH resolves; _P host path to open (no link left in it
#                          below ROOT), _R the path inside ROOT; else _RS says why
#   _inroot_at DIR NAME -> the same for entry NAME of DIR, a directory already resolved
#                          (a `_R`): one `[ -L ]` for a plain entry, the full walk for a link
#   open_file PATH      -> 0 for a readable regular file; _P, and _ST = ok absent dangling
#                          loop foreign denied notfile
#   open_dir PATH       -> 0 for a listable directory; _P, _R, and _DS as _ST
#   _isdir PATH         -> 0 if PATH resolves to a directory (sets _P, _R)
#   _exists PATH        -> 0 if anything is there, even a link that leads nowhere
#   _resolve PATH       -> the walk itself (live too): _P, _R, _RS, and _RH the hops, one
#                          `link PATH -> TARGET` line each (emit_resolve prints them)
#   _nameok NAME        -> 0 if NAME can go in a section name and a listing line (no
#                          control character: a newline would break the framing)
# Listing a directory: `open_dir DIR`, then `for f in "$_P"/*`, and for each entry either a
# lstat-only test (`[ -L "$f" ]`) or `_inroot_at "$dir_R" "${f##*/}"` before any test
# that follows links (-e -f -d -x -s -r): a glob expands in the kernel's view.
# Reading: only through emit_* (30-emit.sh) or _slurp, which cap every read.

_NOPATH=/dev/null/.cockpit-not-resolved
_FOREIGN=

# _nameok NAME: printable enough to frame: no control characters (cron runs names with
# spaces and non-ASCII bytes, so those are kept; the client decodes them).
_nameok() {
	case $1 in
	'' | *[[:cntrl:]]*) return 1 ;;
	esac
	return 0
}

# _readlink PATH: the target of the link at ROOT/PATH (sets _T), read once per run:
# merged /usr sends every path through /lib and /sbin, and `readlink` is a process.
# Returns 1 (dangling) when the target cannot be read or holds a newline. The cache is 16
# buckets (by the path's length) of at most 16 `@PATH` / `=TARGET` line pairs, searched
# by a loop: a pattern match over one long string costs dash time quadratic in its
# length, and a hostile root can hold thousands of links. A full bucket starts over.
_readlink() {
	_kb=$((${#1} % 16))
	eval "_kc=\${_LK$_kb-} _kn=\${_LN$_kb:-0}"
	_T= _kf=
	_ko=$IFS
	IFS=$_NL
	set -f
	for _ke in $_kc; do
		if [ -n "$_kf" ]; then
			_T=${_ke#=}
			break
		fi
		[ "$_ke" != "@$1" ] || _kf=1
	done
	set +f
	IFS=$_ko
	if [ -z "$_kf" ]; then
		_T=$(readlink -- "$ROOT$1" 2>/dev/null)
		case $_T in *"$_NL"*) _T= ;; esac
		if [ "$_kn" -ge 16 ]; then _kc= _kn=0; fi
		_kc="$_kc$_NL@$1$_NL=$_T"
		eval "_LK$_kb=\$_kc _LN$_kb=$((_kn + 1))"
	fi
	[ -n "$_T" ]
}

# _resolve PATH: the walk (see the top of this file). Two queues: components still to come
# from link targets (_lq) and from PATH itself (_oq), so a missing component says whether
# a link led there (dangling) or PATH named it (absent).
_resolve() {
	if _walk "$1"; then
		_P=$ROOT$_R
		return 0
	fi
	_P=$_NOPATH
	return 1
}
_walk() {
	_oq=$1 _lq= _done= _hops=0 _RH= _RS=ok
	while :; do
		if [ -n "$_lq" ]; then
			_fl=1
			case $_lq in */*) _c=${_lq%%/*} _lq=${_lq#*/} ;; *) _c=$_lq _lq= ;; esac
		elif [ -n "$_oq" ]; then
			_fl=
			case $_oq in */*) _c=${_oq%%/*} _oq=${_oq#*/} ;; *) _c=$_oq _oq= ;; esac
		else
			break
		fi
		case $_c in
		'') continue ;;
		. | ..)
			# `x/.` and `x/..` need x to be a directory, as for the kernel
			if [ -n "$_done" ] && [ ! -d "$ROOT$_done" ]; then
				if [ -n "$_fl" ]; then _RS=dangling; else _RS=absent; fi
				_R=$_done
				return 1
			fi
			[ "$_c" = . ] || _done=${_done%/*}
			continue
			;;
		esac
		_cand=$_done/$_c
		if [ -L "$ROOT$_cand" ]; then
			_hops=$((_hops + 1))
			if [ "$_hops" -gt 40 ]; then
				_RS=loop _R=$_cand
				return 1
			fi
			if ! _readlink "$_cand"; then
				_RH="$_RH${_NL}link $_cand -> ?"
				_RS=dangling _R=$_cand
				return 1
			fi
			_RH="$_RH${_NL}link $_cand -> $_T"
			case $_T in /*) _done= ;; esac
			if [ -n "$_lq" ]; then _lq=$_T/$_lq; else _lq=$_T; fi
		elif [ -e "$ROOT$_cand" ]; then
			if [ -n "$_FOREIGN" ]; then
				case " $_FOREIGN " in
				*" $_cand "*)
					_RS=foreign _R=$_cand
					return 1
					;;
				esac
			fi
			_done=$_cand
		else
			_resolve_fail
			return 1
		fi
	done
	_R=${_done:-/}
	return 0
}

# _resolve_fail: the state for component _c missing under _done (see _walk).
_resolve_fail() {
	if [ -d "$ROOT$_done/" ] && [ ! -x "$ROOT$_done/" ]; then
		_RS=denied
	elif [ -n "$_fl" ]; then
		_RS=dangling
	else
		_RS=absent
	fi
	# the path it would have been (what a reader is told was looked for)
	_R=$_done/$_c${_lq:+/$_lq}${_oq:+/$_oq}
}

# _inroot PATH: see the top of this file.
_inroot() {
	if [ "$MODE" = live ]; then
		_P=$1 _R=$1 _RS=ok
		return 0
	fi
	_resolve "$1"
}

# _inroot_at DIR NAME: see the top of this file.
_inroot_at() {
	if [ "$MODE" = live ]; then
		_P=${1%/}/$2 _R=${1%/}/$2 _RS=ok
		return 0
	fi
	case $2 in
	. | .. | */* | '') _inroot "${1%/}/$2"; return ;;
	esac
	_R=${1%/}/$2
	if [ -L "$ROOT$_R" ]; then
		_inroot "$_R"
		return
	fi
	if [ -n "$_FOREIGN" ]; then
		case " $_FOREIGN " in *" $_R "*) _RS=foreign _P=$_NOPATH; return 1 ;; esac
	fi
	if [ -e "$ROOT$_R" ]; then
		_P=$ROOT$_R _RS=ok
		return 0
	fi
	_RS=absent _P=$_NOPATH
	return 1
}

# _isdir PATH: PATH resolves inside ROOT to a directory.
_isdir() { _inroot "$1" && [ -d "$_P" ]; }

# _exists PATH: something is at PATH in the root: a file, a directory, a link (even one
# that dangles, loops or leads into a foreign mount). Only `absent` is no.
_exists() {
	if _inroot "$1"; then
		[ -e "$_P" ] || [ -L "$_P" ]
		return
	fi
	[ "$_RS" != absent ]
}

# open_file PATH: where to read PATH (sets _P) and whether it can be read (sets _ST: ok,
# absent, dangling, loop, foreign, notfile, denied). Returns 0 only for a readable regular
# file. Probes that read a file their own way start here, so they too see the offline
# root's file and never this machine's, and keep the states apart.
open_file() {
	if ! _inroot "$1"; then
		_ST=$_RS
		return 1
	fi
	if [ ! -e "$_P" ]; then
		if [ -L "$_P" ]; then _ST=dangling; else _ST=absent; fi
	elif [ ! -f "$_P" ]; then _ST=notfile
	elif [ ! -r "$_P" ]; then _ST=denied
	else
		_ST=ok
		return 0
	fi
	return 1
}

# open_dir PATH: as open_file for a directory to list (sets _P, _R, _DS).
open_dir() {
	if ! _inroot "$1"; then
		_DS=$_RS
		return 1
	fi
	if [ ! -e "$_P" ]; then
		if [ -L "$_P" ]; then _DS=dangling; else _DS=absent; fi
	elif [ ! -d "$_P" ]; then _DS=notfile
	elif [ ! -r "$_P" ] || [ ! -x "$_P" ]; then _DS=denied
	else
		_DS=ok
		return 0
	fi
	return 1
}

# _slurp MAX PATH: at most MAX bytes of the regular file PATH (in the root) into _C, for a
# probe that parses a small file in the shell (fstab, a #! line). `read` alone would take
# a 2 GB line of NULs byte by byte. One process. Returns 1 (and _ST) if it is not readable.
_slurp() {
	_C=
	open_file "$2" || return 1
	_C=$(head -c "$1" -- "$_P" 2>/dev/null)
}

# _foreign_init (offline): which of ROOT's /proc /sys /dev /run (and efivars) are mounts of
# the machine running the collector: a different device from ROOT's own. One `stat` for
# all; without it (or if it fails) every one of them that exists counts as foreign. Only
# real directories are candidates: a link there is resolved inside ROOT like any path.
_foreign_init() {
	_FOREIGN=
	[ "$MODE" != live ] || return 0
	_fcl=
	set -- "$ROOT/"
	for _fc in /proc /sys /dev /run /sys/firmware/efi/efivars; do
		_fp=
		_fr=$_fc
		while [ -n "$_fr" ]; do
			_fr=${_fr#/}
			_fp=$_fp/${_fr%%/*}
			case $_fr in */*) _fr=${_fr#*/} ;; *) _fr= ;; esac
			[ -d "$ROOT$_fp" ] && [ ! -L "$ROOT$_fp" ] || continue 2
		done
		_fcl="$_fcl $_fc"
		set -- "$@" "$ROOT$_fc"
	done
	[ -n "$_fcl" ] || return 0
	_fd=$(stat -c '%d' -- "$@" 2>/dev/null)
	# shellcheck disable=SC2086 # device numbers: digits only, one per line
	set -- $_fd
	_fdr=${1:-}
	[ "$#" -gt 0 ] && shift
	# a missing line (stat failed on one) would shift the rest: then all count as foreign
	_fn=0
	for _fc in $_fcl; do _fn=$((_fn + 1)); done
	[ "$#" -eq "$_fn" ] || _fdr=
	for _fc in $_fcl; do
		if [ -z "$_fdr" ] || [ "${1:-x}" != "$_fdr" ]; then
			_FOREIGN="$_FOREIGN $_fc"
		fi
		[ "$#" -gt 0 ] && shift
	done
}
_foreign_init </dev/null

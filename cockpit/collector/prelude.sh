# cockpit collector prelude: helpers every probe snippet uses.
# POSIX sh only (dash, bash, busybox ash). Read-only: nothing here writes on the host.
# Variables set by the generated header: B (boundary, random per run), ROOT ('' for live),
# MODE (live|offline), CACHED (sections the client still holds). Set before each probe:
# CAP (bytes), TMO (seconds).
#
# For probe snippets: emit_file, emit_files, emit_tail, emit_cmd, emit_quick, emit_dir,
# emit_ls, emit_resolve, emit_elf, open_file; and, to frame a section a probe builds
# itself, _begin NAME / _end RC STATE NAME, with _printable, _inroot and _resolve. Probe
# variables must not start with `_` (those are the prelude's).
#
# Every section is framed as
#   $B BEGIN <name>
#   <content, at most CAP+1 bytes: one extra byte tells the client it was truncated>
#   $B END <rc> <state> <cap> <name>
# The END line always starts after a newline of its own, which the client's line split
# consumes, so content is returned byte for byte.

if command -v timeout >/dev/null 2>&1; then _TO=timeout; else _TO=; fi
_NL='
'
_LINKS=

_begin() { printf '%s BEGIN %s\n' "$B" "$1"; }

# _cached NAME: the client still holds a fresh copy of section NAME (slow, rarely
# changing checks such as ELF headers): say `cached` instead of doing the work again.
_cached() {
	case " $CACHED " in *" $1 "*) return 0 ;; esac
	return 1
}
_end() { printf '\n%s END %s %s %s %s\n' "$B" "$1" "$2" "$CAP" "$3"; }

# A name fit for a section header: printable, no spaces that could confuse a reader.
_printable() {
	case $1 in
	*[![:graph:]]*) return 1 ;;
	esac
	return 0
}

# _inroot PATH: the host path to open for PATH. Live: PATH itself. Offline: PATH resolved
# inside ROOT first, because the kernel would follow an absolute link (/var/run -> /run,
# /etc/mtab -> /proc/self/mounts) out of the root and into the machine running us.
# Sets _P; returns 1 with _RS = absent|dangling|loop when nothing is there.
_inroot() {
	if [ -z "$ROOT" ]; then
		_P=$1 _RS=ok
		return 0
	fi
	if _resolve "$1"; then
		_P="$ROOT$_R"
		return 0
	fi
	_P="$ROOT$_R"
	return 1
}

# open_file PATH: where to read PATH (sets _P) and whether it can be read (sets _ST: ok,
# absent, dangling, notfile, denied, error). Returns 0 only for a readable regular file.
# Probes that read a file their own way (grep, tail) start here, so they too see the
# offline root's file and never this machine's, and keep the three states apart.
open_file() {
	if ! _inroot "$1"; then
		_ST=$_RS
		[ "$_ST" = loop ] && _ST=error
		return 1
	fi
	if [ -L "$_P" ] && [ ! -e "$_P" ]; then _ST=dangling
	elif [ ! -e "$_P" ]; then _ST=absent
	elif [ ! -f "$_P" ]; then _ST=notfile
	elif [ ! -r "$_P" ]; then _ST=denied
	else
		_ST=ok
		return 0
	fi
	return 1
}

# emit_file NAME PATH: a regular file's content (capped). Never reads FIFOs or devices.
emit_file() {
	_begin "$1"
	_rc=0
	if open_file "$2"; then
		head -c "$((CAP + 1))" <"$_P" 2>/dev/null
		_rc=$?
		[ "$_rc" -eq 0 ] || _ST=error
	fi
	_end "$_rc" "$_ST" "$1"
}

# emit_tail NAME PATH: the END of a file (logs: the newest lines are what matter), capped.
emit_tail() {
	_begin "$1"
	_rc=0
	if open_file "$2"; then
		tail -c "$((CAP + 1))" <"$_P" 2>/dev/null
		_rc=$?
		[ "$_rc" -eq 0 ] || _ST=error
	fi
	_end "$_rc" "$_ST" "$1"
}

# emit_files NAME PATH [NAME PATH ...]: like emit_file for many files, but ONE process
# (awk) reads them all: a fork costs about 1 ms, the whole collector's budget is 50 ms.
# States are decided by shell tests first; awk frames each file it reads with the run's
# boundary. Content is line-normalized (a missing final newline is added) and NUL bytes
# may be lost: use emit_file where byte-exactness matters.
emit_files() {
	_fq= _fn=
	while [ "$#" -ge 2 ]; do
		if open_file "$2"; then
			case " $_fq " in
			*" $_P "*) _begin "$1"; _end 0 error "$1" ;; # same file twice: one read only
			*)
				case $_P in
				*[![:graph:]]* | *=*) emit_file "$1" "$2" ;; # awk would misread the name
				*) _fq="$_fq $_P" _fn="$_fn $1" ;;
				esac
				;;
			esac
		else
			_begin "$1"
			_end 0 "$_ST" "$1"
		fi
		shift 2
	done
	[ -n "$_fq" ] || return 0
	# shellcheck disable=SC2086
	awk -v B="$B" -v CAP="$CAP" -v NAMES="$_fn" '
		function finish() { if (cur != "") printf "\n%s END 0 ok %s %s\n", B, CAP, cur; cur = "" }
		function open_next() { ai++; cur = nm[ai]; n = 0; printf "%s BEGIN %s\n", B, cur }
		BEGIN { split(NAMES, nm, " "); ai = 0; cur = "" }
		FNR == 1 {
			finish()
			open_next()
			while (ARGV[ai] != FILENAME && ai < ARGC - 1) { finish(); open_next() }
		}
		{
			if (n <= CAP) {
				line = $0 "\n"
				if (n + length(line) > CAP + 1) line = substr(line, 1, CAP + 1 - n)
				printf "%s", line
				n += length(line)
			}
		}
		END {
			finish()
			while (ai < ARGC - 1) { open_next(); finish() }
		}' $_fq </dev/null 2>/dev/null
}

# emit_cmd NAME CMD ARGS...: a command's stdout (capped, time-bounded, stdin closed).
# Offline mode never runs it: it would describe the machine running the collector.
emit_cmd() {
	_n=$1
	shift
	_begin "$_n"
	if [ "$MODE" != live ]; then
		_rc=0 _st=offline
	elif ! command -v "$1" >/dev/null 2>&1; then
		_rc=127 _st=nocmd
	else
		{ _rc=$({ {
			if [ -n "$_TO" ]; then
				"$_TO" "$TMO" "$@" </dev/null 2>/dev/null 3>&- 4>&-
			else
				"$@" </dev/null 2>/dev/null 3>&- 4>&-
			fi
			echo "$?" >&3
		} | head -c "$((CAP + 1))" >&4; } 3>&1); } 4>&1
		case $_rc in
		0) _st=ok ;;
		124 | 143) _st=timeout ;;
		*) _st=error ;;
		esac
	fi
	_end "$_rc" "$_st" "$_n"
}

# emit_quick NAME CMD ARGS...: for commands that cannot hang or flood (date, uname): no
# time bound or cap wrapper, so one process instead of four. Live mode only, as emit_cmd.
emit_quick() {
	_n=$1
	shift
	_begin "$_n"
	if [ "$MODE" != live ]; then
		_rc=0 _st=offline
	elif ! command -v "$1" >/dev/null 2>&1; then
		_rc=127 _st=nocmd
	else
		"$@" </dev/null 2>/dev/null
		_rc=$?
		if [ "$_rc" -eq 0 ]; then _st=ok; else _st=error; fi
	fi
	_end "$_rc" "$_st" "$_n"
}

# emit_dir NAME DIR [GLOB]: section NAME lists the entries (one name a line), then one
# section NAME:DIR/ENTRY per regular file (read by emit_files: line-normalized).
# Absent, unreadable and empty stay distinct.
emit_dir() {
	_dn=$1 _dd=$2 _dg=${3:-*}
	_inroot "$_dd"
	_dp=$_P
	_begin "$_dn"
	_dst=ok
	if [ ! -e "$_dp" ]; then
		_dst=absent
	elif [ ! -d "$_dp" ]; then
		_dst=notfile
	elif [ ! -r "$_dp" ] || [ ! -x "$_dp" ]; then
		_dst=denied
	else
		_dk=0
		for _df in "$_dp"/$_dg; do
			[ -e "$_df" ] || [ -L "$_df" ] || continue
			_db=${_df##*/}
			if _printable "$_db"; then printf '%s\n' "$_db"; else printf '?\n'; fi
			_dk=$((_dk + 1))
			[ "$_dk" -lt 400 ] || break
		done
	fi
	_end 0 "$_dst" "$_dn"
	[ "$_dst" = ok ] || return 0
	_dk=0
	set --
	for _df in "$_dp"/$_dg; do
		_db=${_df##*/}
		[ -f "$_df" ] || [ -L "$_df" ] || continue
		_printable "$_db" || continue
		set -- "$@" "$_dn:$_dd/$_db" "$_dd/$_db"
		_dk=$((_dk + 1))
		[ "$_dk" -lt 200 ] || break
	done
	[ "$#" -eq 0 ] || emit_files "$@"
}

# emit_ls NAME DIR [GLOB]: one line per entry, no content:
#   <type> <x|-> <s|0> <name>[ -> <link target>]
# type: f file, d dir, l symlink (x and s describe its target, found inside ROOT),
# p fifo, s socket, c/b device, ? other. s = non-empty, 0 = empty.
emit_ls() {
	_ln=$1 _ld=$2 _lg=${3:-*}
	_inroot "$_ld"
	_lp=$_P
	_lr=${_P#"$ROOT"} # the directory's path inside ROOT
	_begin "$_ln"
	_lst=ok
	if [ ! -e "$_lp" ]; then
		_lst=absent
	elif [ ! -d "$_lp" ]; then
		_lst=notfile
	elif [ ! -r "$_lp" ] || [ ! -x "$_lp" ]; then
		_lst=denied
	else
		_lk=0
		for _lf in "$_lp"/$_lg; do
			[ -e "$_lf" ] || [ -L "$_lf" ] || continue
			_lb=${_lf##*/}
			_printable "$_lb" || continue
			if [ -L "$_lf" ]; then _lt=l
			elif [ -d "$_lf" ]; then _lt=d
			elif [ -f "$_lf" ]; then _lt=f
			elif [ -p "$_lf" ]; then _lt=p
			elif [ -S "$_lf" ]; then _lt=s
			elif [ -c "$_lf" ]; then _lt=c
			elif [ -b "$_lf" ]; then _lt=b
			else _lt='?'
			fi
			_lq=$_lf
			if [ "$_lt" = l ] && [ -n "$ROOT" ]; then
				# judge the link's target inside ROOT, not where the kernel would go
				if _resolve "$_ld/$_lb"; then _lq="$ROOT$_R"; else _lq=/nonexistent/.; fi
			fi
			if [ -x "$_lq" ]; then _lx=x; else _lx=-; fi
			if [ -s "$_lq" ]; then _lz=s; else _lz=0; fi
			if [ "$_lt" = l ]; then
				_readlink "${_lr%/}/$_lb"
				_ll=$_T
				printf '%s %s %s %s -> %s\n' "$_lt" "$_lx" "$_lz" "$_lb" "$_ll"
			else
				printf '%s %s %s %s\n' "$_lt" "$_lx" "$_lz" "$_lb"
			fi
			_lk=$((_lk + 1))
			[ "$_lk" -lt 400 ] || break
		done
	fi
	_end 0 "$_lst" "$_ln"
}

# _readlink PATH: the target of the link at ROOT/PATH (sets _T), read once per run:
# merged /usr sends every path through /lib and /sbin, and `readlink` is a process.
_readlink() {
	case $_LINKS in
	*"$_NL$1 -> "*)
		_T=${_LINKS#*"$_NL$1 -> "}
		_T=${_T%%"$_NL"*}
		;;
	*)
		_T=$(readlink "$ROOT$1" 2>/dev/null)
		case $_T in *"$_NL"*) _T='?' ;; esac
		_LINKS="$_LINKS$_NL$1 -> $_T$_NL"
		;;
	esac
}

# _resolve PATH: follow symlinks component by component INSIDE ROOT (an absolute link
# target is taken relative to ROOT, never to the machine running the collector).
# Sets _R (resolved path), _RS (ok|absent|dangling|loop) and appends hops to _RH.
_resolve() {
	_todo=$1 _done= _hops=0 _RH= _RS=ok
	while [ -n "$_todo" ]; do
		while :; do
			case $_todo in /*) _todo=${_todo#/} ;; *) break ;; esac
		done
		[ -n "$_todo" ] || break
		case $_todo in
		*/*) _c=${_todo%%/*} _todo=${_todo#*/} ;;
		*) _c=$_todo _todo= ;;
		esac
		case $_c in
		. | '') continue ;;
		..) _done=${_done%/*}; continue ;;
		esac
		_cand="$_done/$_c"
		if [ -L "$ROOT$_cand" ]; then
			_hops=$((_hops + 1))
			if [ "$_hops" -gt 40 ]; then _RS=loop; _R=$_cand; return 1; fi
			_readlink "$_cand"
			_t=$_T
			_RH="$_RH${_NL}link $_cand -> $_t"
			case $_t in /*) _done= ;; esac
			if [ -n "$_todo" ]; then _todo="$_t/$_todo"; else _todo=$_t; fi
		elif [ -e "$ROOT$_cand" ]; then
			_done=$_cand
		else
			_done=$_cand
			if [ "$_hops" -gt 0 ]; then _RS=dangling; else _RS=absent; fi
			[ -n "$_todo" ] && _done="$_done/$_todo"
			_R=$_done
			return 1
		fi
	done
	_R=${_done:-/}
	return 0
}

# emit_resolve NAME PATH: where PATH really leads inside ROOT, and what is there.
emit_resolve() {
	_begin "$1"
	printf 'path %s\n' "$2"
	_resolve "$2"
	[ -n "$_RH" ] && printf '%s\n' "${_RH#"$_NL"}"
	printf 'resolved %s\n' "$_R"
	if [ "$_RS" = ok ]; then
		_q="$ROOT$_R"
		if [ -d "$_q" ]; then printf 'type d\n'
		elif [ -f "$_q" ]; then printf 'type f\n'
		else printf 'type ?\n'
		fi
		if [ -x "$_q" ]; then printf 'exec yes\n'; else printf 'exec no\n'; fi
		if [ -s "$_q" ]; then printf 'size nonzero\n'; else printf 'size zero\n'; fi
	fi
	_end 0 "$_RS" "$1"
}

# _bytes FILE OFFSET COUNT: decimal bytes (one `od`, no other process).
_bytes() { od -An -v -tu1 -j "$2" -N "$3" "$1" 2>/dev/null; }

# _load PREFIX BYTES...: store bytes in PREFIX0, PREFIX1, ... (shell variables only).
_load() {
	_lp_=$1
	shift
	_li=0
	for _lv in "$@"; do
		eval "$_lp_$_li=\$_lv"
		_li=$((_li + 1))
	done
	eval "${_lp_}n=\$_li"
}

# _num PREFIX OFFSET LENGTH: integer from loaded bytes in the file's byte order (_BE).
_num() {
	_nv=0 _nk=0
	while [ "$_nk" -lt "$3" ]; do
		if [ "$_BE" = 1 ]; then _ni=$(($2 + _nk)); else _ni=$(($2 + $3 - 1 - _nk)); fi
		eval "_nb=\${$1$_ni:-0}"
		_nv=$((_nv * 256 + _nb))
		_nk=$((_nk + 1))
	done
	_N=$_nv
}

# _cstr FILE OFFSET: the NUL-terminated string at OFFSET, if it is plain (else '?').
# `od -c` prints each byte as its character (or an escape): one process per string, and
# the shell assembles the name itself.
_cstr() {
	_S=
	set -f
	for _cb in $(od -An -v -c -j "$2" -N 128 "$1" 2>/dev/null); do
		case $_cb in
		'\0') break ;;
		? ) case $_cb in [!%\\]) _S="$_S$_cb" ;; *) _S='?' ;; esac ;;
		*) _S='?' ;;
		esac
		[ "$_S" != '?' ] || break
	done
	set +f
	[ -n "$_S" ] && [ "$_S" != '?' ] && _printable "$_S" && return 0
	_S='?'
	return 1
}

# _vaddr2off VADDR: file offset of a virtual address, through the PT_LOAD segments.
_vaddr2off() {
	_O=
	for _seg in $_LOADS; do
		_sv=${_seg%%:*} _rest=${_seg#*:}
		_so=${_rest%%:*} _sz=${_rest#*:}
		if [ "$1" -ge "$_sv" ] && [ "$1" -lt $((_sv + _sz)) ]; then
			_O=$(($1 - _sv + _so))
			return 0
		fi
	done
	return 1
}

# _findlib NAME DIRS: first DIR/NAME that exists inside ROOT (through symlinks).
_findlib() {
	_F=
	for _fd in $2; do
		if [ -z "$ROOT" ]; then
			[ -e "$_fd/$1" ] && { _F="$_fd/$1"; return 0; }
		elif [ -e "$ROOT$_fd/$1" ] || [ -L "$ROOT$_fd/$1" ]; then
			if _resolve "$_fd/$1"; then _F=$_R; return 0; fi
		fi
	done
	return 1
}

# _splitpath TEXT: words of TEXT split on ':' and blanks, with no process and no globbing.
_splitpath() {
	_W_=
	_oifs=$IFS
	IFS=": 	"
	set -f
	for _sw in $1; do _W_="$_W_ $_sw"; done
	set +f
	IFS=$_oifs
}

# _libdirs: the directories the dynamic loader searches, read from ROOT's own config.
_libdirs() {
	_D=
	for _cf in "$ROOT/etc/ld.so.conf" "$ROOT"/etc/ld.so.conf.d/*.conf "$ROOT"/etc/ld-musl-*.path; do
		[ -f "$_cf" ] && [ -r "$_cf" ] || continue
		while IFS= read -r _cl || [ -n "$_cl" ]; do
			_cl=${_cl%%#*}
			case $_cl in include* | *'*'* | *'?'* | *'['*) continue ;; esac
			_splitpath "$_cl"
			for _cw in $_W_; do
				case $_cw in /*) _printable "$_cw" && _D="$_D $_cw" ;; esac
			done
		done <"$_cf"
	done
	_D="$_D /lib /usr/lib /lib64 /usr/lib64 /usr/local/lib"
}

# emit_elf NAME PATH: PATH's ELF interpreter and needed libraries, each looked up inside
# ROOT. Lines: `class 32|64`, `static`, `interp P found|missing [R]`,
# `runpath DIRS`, `needed LIB found R` / `needed LIB missing`, `notelf`.
emit_elf() {
	_en=$1 _ep="$ROOT$2"
	_begin "$_en"
	_est=ok
	if _cached "$_en"; then
		_est=cached
	elif [ ! -f "$_ep" ]; then
		_est=absent
	elif [ ! -r "$_ep" ]; then
		_est=denied
	elif ! command -v od >/dev/null 2>&1; then
		_est=nocmd
	else
		_elf_body "$_ep" "$2"
	fi
	_end 0 "$_est" "$_en"
}

_elf_body() {
	# shellcheck disable=SC2046
	_load h $(_bytes "$1" 0 64)
	if [ "${hn:-0}" -lt 52 ] || [ "$h0" != 127 ] || [ "$h1" != 69 ] || [ "$h2" != 76 ] || [ "$h3" != 70 ]; then
		printf 'notelf\n'
		return 0
	fi
	_cls=$h4
	if [ "$h5" = 2 ]; then _BE=1; else _BE=0; fi
	if [ "$_cls" = 2 ]; then
		printf 'class 64\n'
		_num h 32 8; _phoff=$_N; _num h 54 2; _phes=$_N; _num h 56 2; _phn=$_N
		_W=8
	else
		printf 'class 32\n'
		_num h 28 4; _phoff=$_N; _num h 42 2; _phes=$_N; _num h 44 2; _phn=$_N
		_W=4
	fi
	[ "$_phn" -le 64 ] || { printf 'badelf phnum\n'; return 0; }
	# shellcheck disable=SC2046
	_load p $(_bytes "$1" "$_phoff" $((_phn * _phes)))
	_LOADS= _interp_off= _dyn_off= _dyn_sz=
	_i=0
	while [ "$_i" -lt "$_phn" ]; do
		_b=$((_i * _phes))
		_num p "$_b" 4; _pt=$_N
		if [ "$_W" = 8 ]; then
			_num p $((_b + 8)) 8; _poff=$_N; _num p $((_b + 16)) 8; _pva=$_N; _num p $((_b + 32)) 8; _pfs=$_N
		else
			_num p $((_b + 4)) 4; _poff=$_N; _num p $((_b + 8)) 4; _pva=$_N; _num p $((_b + 16)) 4; _pfs=$_N
		fi
		case $_pt in
		1) _LOADS="$_LOADS $_pva:$_poff:$_pfs" ;;
		2) _dyn_off=$_poff _dyn_sz=$_pfs ;;
		3) _interp_off=$_poff ;;
		esac
		_i=$((_i + 1))
	done
	if [ -z "$_interp_off" ]; then
		printf 'static\n'
	else
		_cstr "$1" "$_interp_off"
		_interp=$_S
		if [ "$_interp" != '?' ] && _resolve "$_interp"; then
			printf 'interp %s found %s\n' "$_interp" "$_R"
		else
			printf 'interp %s missing\n' "$_interp"
		fi
	fi
	[ -n "$_dyn_off" ] || return 0
	[ "$_dyn_sz" -le 8192 ] || _dyn_sz=8192
	# shellcheck disable=SC2046
	_load d $(_bytes "$1" "$_dyn_off" "$_dyn_sz")
	_strtab= _needed= _runpath=
	_e=$((2 * _W))
	_i=0
	while [ $((_i + _e)) -le "$dn" ]; do
		_num d "$_i" "$_W"; _tag=$_N
		_num d $((_i + _W)) "$_W"; _val=$_N
		case $_tag in
		0) break ;;
		1) _needed="$_needed $_val" ;;
		5) _strtab=$_val ;;
		15 | 29) _runpath=$_val ;;
		esac
		_i=$((_i + _e))
	done
	[ -n "$_strtab" ] || { printf 'badelf strtab\n'; return 0; }
	_vaddr2off "$_strtab" || { printf 'badelf strtab\n'; return 0; }
	_stroff=$_O
	_dirs=
	if [ -n "$_runpath" ]; then
		_cstr "$1" $((_stroff + _runpath))
		_origin=${2%/*}
		_splitpath "$_S"
		for _rp in $_W_; do
			case $_rp in
			'$ORIGIN'*) _rp="$_origin${_rp#'$ORIGIN'}" ;;
			esac
			_dirs="$_dirs $_rp"
		done
		printf 'runpath%s\n' "$_dirs"
	fi
	_libdirs
	_dirs="$_dirs $_D"
	for _nv_ in $_needed; do
		_cstr "$1" $((_stroff + _nv_))
		_lib=$_S
		if [ "$_lib" != '?' ] && _findlib "$_lib" "$_dirs"; then
			printf 'needed %s found %s\n' "$_lib" "$_F"
		else
			printf 'needed %s missing\n' "$_lib"
		fi
	done
	printf 'searched%s\n' "$_dirs"
}

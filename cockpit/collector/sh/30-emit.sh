# emit_*: one section per call (or per file), with a state that keeps absent, unreadable
# and empty apart. Probe snippets are made of these. Every read is capped (`head -c`,
# `tail -c`) before any other tool sees a byte, and every path goes through 20-paths.sh.
#
# Caps that cut are facts: a listing that leaves entries out (more than its cap, or names
# that cannot be framed) ends with the line `cut TOTAL KEPT` (TOTAL entries there, KEPT
# listed and, where the section reads files, read) and has the state `cut`, which every
# parser treats as not-ok: unknown, never "none".

# _mk_init: _MK, a run of "./" and "/" spelling 64 random bits of the boundary's token
# ("./" a one, "/" a zero). A path written as /$_MK<rest> names the same file, and
# `head -v` prints it verbatim in its `==> NAME <==` header: content cannot forge the
# header of another file (it would have to guess the bits), so one `head` can read many
# files, each capped.
_mk_init() {
	_MK=./
	_mt=${B#*-}
	_mt=${_mt%%=*}
	_mi=0
	while [ -n "$_mt" ] && [ "$_mi" -lt 16 ]; do
		_mr=${_mt#?}
		case ${_mt%"$_mr"} in
		0) _MK=$_MK//// ;; 1) _MK=$_MK///./ ;; 2) _MK=$_MK//.// ;; 3) _MK=$_MK//././ ;;
		4) _MK=$_MK/./// ;; 5) _MK=$_MK/.//./ ;; 6) _MK=$_MK/./.// ;; 7) _MK=$_MK/./././ ;;
		8) _MK=$_MK.//// ;; 9) _MK=$_MK.///./ ;; a) _MK=$_MK.//.// ;; b) _MK=$_MK.//././ ;;
		c) _MK=$_MK././// ;; d) _MK=$_MK././/./ ;; e) _MK=$_MK././.// ;; f) _MK=$_MK././././ ;;
		esac
		_mt=$_mr
		_mi=$((_mi + 1))
	done
}
_mk_init

# _emit_read head|tail NAME PATH: the start or the end of a regular file, capped.
_emit_read() {
	_begin "$2"
	_rc=0
	if open_file "$3"; then
		"$1" -c "$((CAP + 1))" <"$_P" 2>/dev/null
		_rc=$?
		[ "$_rc" -eq 0 ] || _ST=error
	fi
	_end "$_rc" "$_ST" "$2"
}

# emit_file NAME PATH: a regular file's content (capped, byte for byte). Never reads FIFOs
# or devices.
emit_file() { _emit_read head "$1" "$2"; }

# emit_tail NAME PATH: the END of a file (logs: the newest lines are what matter), capped.
emit_tail() { _emit_read tail "$1" "$2"; }

# _batch NAMES PATHS FILTER MISSING: read many files with ONE `head -c CAP+1` (each file
# capped on its own); a fork costs about 1 ms, the whole collector's budget is 50 ms.
# NAMES and PATHS: newline-separated, in the same order; PATHS are host paths from
# _inroot. Without FILTER, head's output goes out as one section `:batch:N`, which the
# client splits into the files' own sections (collector/framing.py) by their headers:
#   <count> <cap> <sentinel path>\n  <marked path>\t<name>\n (count lines)  <head -v output>
# With FILTER (an ERE), one awk frames here only the files with a matching line (rb_flush:
# a prefilter keeps the wire small). A file head never reached gets the state MISSING
# (timeout when head ran under one), one it could not open `error`. Content is sent byte
# for byte (with FILTER, busybox awk stops a line at a NUL byte). $_BTO: a `timeout N`
# prefix for head, or empty.
_BATCHN=0
_batch() {
	_bn=$1 _ba= _bf=$3 _bm=$4 _bl=
	_bo=$IFS
	IFS=$_NL
	set -f
	# shellcheck disable=SC2086 # one path a line; globbing is off
	set -- $2
	set +f
	IFS=$_bo
	_bk=0 _br=$_bn
	for _bp do
		_bk=$((_bk + 1))
		_ba="${_ba:+$_ba$_NL}/$_MK${_bp#/}"
		_bl="$_bl$_NL/$_MK${_bp#/}	${_br%%"$_NL"*}"
		_br=${_br#*"$_NL"}
		set -- "$@" "/$_MK${_bp#/}"
		shift
	done
	set -- head -c "$((CAP + 1))" -v -- "$@" "/${_MK}dev/null"
	if [ -z "$_bf" ]; then
		_BATCHN=$((_BATCHN + 1))
		_begin ":batch:$_BATCHN"
		printf '%s %s %s%s\n' "$_bk" "$CAP" "/${_MK}dev/null" "$_bl"
		# shellcheck disable=SC2086 # $_BTO is "timeout N" or empty, by design unquoted
		$_BTO "$@" 2>/dev/null </dev/null
		printf '\n%s END 0 ok 2147483647 :batch:%s\n' "$B" "$_BATCHN"
		return 0
	fi
	# shellcheck disable=SC2086 # $_BTO is "timeout N" or empty, by design unquoted
	$_BTO "$@" 2>/dev/null </dev/null |
		_FN=$_bn _FA=$_ba _FS="/${_MK}dev/null" _FB=$B _FC=$CAP _FF=$_bf _FM=$_bm awk '
		function finish(   j) {
			if (!cur) return
			if (hit) {
				printf "%s BEGIN %s\n", FB, nm[cur]
				for (j = 1; j <= nl; j++) printf "%s%s", (j > 1 ? "\n" : ""), ln[j]
				printf "\n%s END 0 ok %s %s\n", FB, FC, nm[cur]
			}
			cur = 0
		}
		function lost(i, st) {
			printf "%s BEGIN %s\n\n%s END 0 %s %s %s\n", FB, nm[i], FB, st, FC, nm[i]
		}
		BEGIN {
			FB = ENVIRON["_FB"]; FC = ENVIRON["_FC"]; FF = ENVIRON["_FF"]
			n = split(ENVIRON["_FN"], nm, "\n")
			split(ENVIRON["_FA"], fa, "\n")
			for (i = 1; i <= n; i++) hdr["==> " fa[i] " <=="] = i
			hdr["==> " ENVIRON["_FS"] " <=="] = n + 1
			nx = 1; cur = 0; done = 0
		}
		($0 in hdr) && hdr[$0] >= nx {
			i = hdr[$0]
			finish()
			for (; nx < i; nx++) lost(nx, "error")
			nx = i + 1
			if (i > n) { done = 1; next }
			cur = i; nl = 0; hit = 0
			next
		}
		cur { ln[++nl] = $0; if (!hit && $0 ~ FF) hit = 1 }
		END {
			if (done) exit
			if (cur) lost(cur, ENVIRON["_FM"])
			for (; nx <= n; nx++) lost(nx, ENVIRON["_FM"])
		}'
}

# emit_files NAME PATH [NAME PATH ...]: like emit_file for many files, read by _batch.
# States are decided by shell tests first (those sections come first). The same file
# twice: the second gets `error` (one read only).
emit_files() {
	_qn= _qp=
	while [ "$#" -ge 2 ]; do
		if open_file "$2"; then
			case "$_NL$_qp$_NL" in
			*"$_NL$_P$_NL"*) _begin "$1"; _end 0 error "$1" ;;
			*) _qn="${_qn:+$_qn$_NL}$1" _qp="${_qp:+$_qp$_NL}$_P" ;;
			esac
		else
			_begin "$1"
			_end 0 "$_ST" "$1"
		fi
		shift 2
	done
	[ -n "$_qp" ] || return 0
	_BTO=
	_batch "$_qn" "$_qp" '' error
}

# _runnable CMD: may CMD run here? Not offline (it would describe the machine running the
# collector), not if it is missing; sets _rc/_st for the section when it may not.
_runnable() {
	if [ "$MODE" != live ]; then
		_rc=0 _st=offline
		return 1
	fi
	if ! command -v "$1" >/dev/null 2>&1; then
		_rc=127 _st=nocmd
		return 1
	fi
	return 0
}

# emit_cmd NAME CMD ARGS...: a command's stdout (capped, time-bounded, stdin closed).
# Offline mode never runs it: it would describe the machine running the collector.
emit_cmd() {
	_n=$1
	shift
	_begin "$_n"
	if _runnable "$1"; then
		# Two things leave the pipeline: the command's output, capped by head, and the
		# command's own exit status (head's would hide it). fd 4 is the real stdout:
		# head writes the output there; fd 3 is the $(...) capture: the command's status
		# is echoed there, so _rc gets the status and nothing else. The command itself
		# gets neither descriptor (3>&- 4>&-): it cannot write around the cap.
		{ _rc=$({ {
			if [ -n "$_TO" ]; then
				"$_TO" "$TMO" "$@" </dev/null 2>/dev/null 3>&- 4>&-
			else
				"$@" </dev/null 2>/dev/null 3>&- 4>&-
			fi
			echo "$?" >&3
		} | head -c "$((CAP + 1))" >&4; } 3>&1); } 4>&1
		_rc_state
	fi
	_end "$_rc" "$_st" "$_n"
}

# _rc_state: _st for a command's status in _rc (`timeout` killed it: 124, or 143 for a
# TERM it passed on).
_rc_state() {
	case $_rc in
	0) _st=ok ;;
	124 | 143) _st=timeout ;;
	*) _st=error ;;
	esac
}

# emit_quick NAME CMD ARGS...: for commands that cannot hang or flood (date, uname): no
# time bound or cap wrapper, so one process instead of four. Live mode only, as emit_cmd.
emit_quick() {
	_n=$1
	shift
	_begin "$_n"
	if _runnable "$1"; then
		"$@" </dev/null 2>/dev/null
		_rc=$?
		if [ "$_rc" -eq 0 ]; then _st=ok; else _st=error; fi
	fi
	_end "$_rc" "$_st" "$_n"
}

# _cut STATE TOTAL KEPT: say a listing left entries out (sets _CS, prints the trailer).
_cut() {
	_CS=$1
	if [ "$2" -gt "$3" ]; then
		printf 'cut %s %s\n' "$2" "$3"
		_CS='cut'
	fi
}

# _ls_line DIR NAME HOSTPATH: one emit_ls line for entry NAME of DIR (an in-root path from
# _R), found at HOSTPATH by a glob. Tests that follow links run on the link's target as
# found INSIDE ROOT (or on nothing), never where the kernel would go.
_ls_line() {
	_lq=$3
	if [ -L "$3" ]; then
		_lt=l
		_inroot_at "$1" "$2"
		_lq=$_P
		_readlink "${1%/}/$2" || :
	elif [ -d "$3" ]; then _lt=d
	elif [ -f "$3" ]; then _lt=f
	elif [ -p "$3" ]; then _lt=p
	elif [ -S "$3" ]; then _lt=s
	elif [ -c "$3" ]; then _lt=c
	elif [ -b "$3" ]; then _lt=b
	else _lt='?'
	fi
	if [ -x "$_lq" ]; then _lx=x; else _lx=-; fi
	if [ -s "$_lq" ]; then _lz=s; else _lz=0; fi
	if [ "$_lt" = l ]; then
		printf '%s %s %s %s -> %s\n' "$_lt" "$_lx" "$_lz" "$2" "$_T"
	else
		printf '%s %s %s %s\n' "$_lt" "$_lx" "$_lz" "$2"
	fi
}

# emit_dir NAME DIR [GLOB]: section NAME lists the entries (one name a line, at most 400),
# then one section NAME:DIR/ENTRY per regular file or link (at most 200, read by _batch).
# Absent, unreadable and empty stay distinct; a cut says so (see the top of this file).
emit_dir() {
	_dn=$1 _dd=$2 _dg=${3:-*}
	_begin "$_dn"
	if ! open_dir "$_dd"; then
		_end 0 "$_DS" "$_dn"
		return 0
	fi
	_dp=$_P _dr=$_R
	_dt=0 _dk=0 _dl=0 _dq=0
	set --
	for _df in "$_dp"/$_dg; do
		[ -L "$_df" ] || [ -e "$_df" ] || continue
		_dt=$((_dt + 1))
		_db=${_df##*/}
		case $_db in *[[:cntrl:]]*) continue ;; esac # as _nameok, inline
		[ "$_dl" -lt 400 ] || continue
		printf '%s\n' "$_db"
		_dl=$((_dl + 1))
		if [ -L "$_df" ] || [ -f "$_df" ]; then
			[ "$_dq" -lt 200 ] || continue
			set -- "$@" "$_dn:$_dd/$_db" "$_dd/$_db"
			_dq=$((_dq + 1))
		fi
		_dk=$((_dk + 1))
	done
	_cut ok "$_dt" "$_dk"
	_end 0 "$_CS" "$_dn"
	[ "$#" -eq 0 ] || emit_files "$@"
}

# emit_ls NAME DIR [GLOB]: one line per entry (at most 400), no content:
#   <type> <x|-> <s|0> <name>[ -> <link target>]
# type: f file, d dir, l symlink (x and s describe its target, found inside ROOT),
# p fifo, s socket, c/b device, ? other. s = non-empty, 0 = empty. A name holding " -> "
# would be ambiguous: it is left out, and counted in the cut.
emit_ls() {
	_ln=$1 _lg=${3:-*}
	_begin "$_ln"
	if ! open_dir "$2"; then
		_end 0 "$_DS" "$_ln"
		return 0
	fi
	_lp=$_P _lr=$_R
	_ln_t=0 _ln_k=0
	for _lf in "$_lp"/$_lg; do
		[ -L "$_lf" ] || [ -e "$_lf" ] || continue
		_ln_t=$((_ln_t + 1))
		_lb=${_lf##*/}
		case $_lb in *[[:cntrl:]]* | *' -> '*) continue ;; esac # as _nameok, inline
		[ "$_ln_k" -lt 400 ] || continue
		_ls_line "$_lr" "$_lb" "$_lf"
		_ln_k=$((_ln_k + 1))
	done
	_cut ok "$_ln_t" "$_ln_k"
	_end 0 "$_CS" "$_ln"
}

# emit_resolve NAME PATH: where PATH really leads inside ROOT, and what is there.
emit_resolve() {
	_begin "$1"
	printf 'path %s\n' "$2"
	_resolve "$2"
	[ -n "$_RH" ] && printf '%s\n' "${_RH#"$_NL"}"
	printf 'resolved %s\n' "$_R"
	if [ "$_RS" = ok ]; then
		if [ -d "$_P" ]; then printf 'type d\n'
		elif [ -f "$_P" ]; then printf 'type f\n'
		else printf 'type ?\n'
		fi
		if [ -x "$_P" ]; then printf 'exec yes\n'; else printf 'exec no\n'; fi
		if [ -s "$_P" ]; then printf 'size nonzero\n'; else printf 'size zero\n'; fi
	fi
	_end 0 "$_RS" "$1"
}

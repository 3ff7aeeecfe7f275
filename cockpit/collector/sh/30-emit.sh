# emit_*: one section per call (or per file), with a state that keeps absent, unreadable
# and empty apart. Probe snippets are made of these.

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

# emit_file NAME PATH: a regular file's content (capped). Never reads FIFOs or devices.
emit_file() { _emit_read head "$1" "$2"; }

# emit_tail NAME PATH: the END of a file (logs: the newest lines are what matter), capped.
emit_tail() { _emit_read tail "$1" "$2"; }

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
	if _runnable "$1"; then
		"$@" </dev/null 2>/dev/null
		_rc=$?
		if [ "$_rc" -eq 0 ]; then _st=ok; else _st=error; fi
	fi
	_end "$_rc" "$_st" "$_n"
}

# _dir_state PATH: ok, absent, notfile or denied (sets _DS) for a directory to list.
_dir_state() {
	if [ ! -e "$1" ]; then _DS=absent
	elif [ ! -d "$1" ]; then _DS=notfile
	elif [ ! -r "$1" ] || [ ! -x "$1" ]; then _DS=denied
	else _DS=ok
	fi
}

# emit_dir NAME DIR [GLOB]: section NAME lists the entries (one name a line), then one
# section NAME:DIR/ENTRY per regular file (read by emit_files: line-normalized).
# Absent, unreadable and empty stay distinct.
emit_dir() {
	_dn=$1 _dd=$2 _dg=${3:-*}
	_inroot "$_dd"
	_dp=$_P
	_begin "$_dn"
	_dir_state "$_dp"
	_dst=$_DS
	if [ "$_dst" = ok ]; then
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
	_dir_state "$_lp"
	_lst=$_DS
	if [ "$_lst" = ok ]; then
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

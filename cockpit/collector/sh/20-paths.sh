# Paths inside ROOT: every file a probe reads goes through here, so an offline root is
# read as that machine would read it, never through this machine's own files.

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

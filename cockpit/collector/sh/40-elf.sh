# The ELF check of the boot init: interpreter and needed libraries, found inside ROOT,
# read with `od` and shell arithmetic (no readelf on most hosts, nothing installed).

# The ELF layout read below (System V gABI; offsets in bytes):
#   header: e_ident[EI_CLASS] 4 (1: 32-bit, 2: 64-bit), e_ident[EI_DATA] 5 (2: big endian),
#           e_machine 18; e_phoff / e_phentsize / e_phnum at 32/54/56 (64-bit), 28/42/44
#   program header: p_type 0, then p_offset / p_vaddr / p_filesz at 8/16/32 (64-bit), 4/8/16
#   dynamic entries: d_tag then d_val, one word each
_EI_CLASS=4 _EI_DATA=5 _E_MACHINE=18 _CLASS64=2 _DATA_BE=2
_PT_LOAD=1 _PT_DYNAMIC=2 _PT_INTERP=3
_DT_NULL=0 _DT_NEEDED=1 _DT_STRTAB=5 _DT_RPATH=15 _DT_RUNPATH=29
_DYN_MAX=8192 # bytes of the dynamic section read at most
_PHNUM_MAX=64 # program headers read at most (more is not an ELF the kernel would run)

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

# shellcheck disable=SC2154 # _nb is set by the eval above it, from _load's variables
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
		if _inroot "$_fd/$1" && [ -e "$_P" ]; then
			_F=$_R
			return 0
		fi
	done
	return 1
}

# _splitpath TEXT: words of TEXT split on ':' and blanks, with no process and no globbing.
# A word with a glob character is dropped: callers loop over _W_ unquoted, and a pattern
# would expand in the kernel's view (this machine's directories), not the root's.
_splitpath() {
	_W_=
	_oifs=$IFS
	IFS=": 	"
	set -f
	for _sw in $1; do
		case $_sw in *[*?[]*) continue ;; esac
		_W_="$_W_ $_sw"
	done
	set +f
	IFS=$_oifs
}

# _libdirs: the directories the dynamic loader searches, read from ROOT's own config
# (ld.so.conf, ld.so.conf.d/*.conf, musl's /etc/ld-musl-*.path), each file resolved inside
# ROOT and read capped (16 KiB, at most 32 files) by one `head`. Once per run.
_LIBDIRS=
_libdirs() {
	if [ -n "$_LIBDIRS" ]; then
		_D=$_LIBDIRS
		return 0
	fi
	_D=
	set --
	open_file /etc/ld.so.conf && set -- "$_P"
	for _ld in /etc/ld.so.conf.d:'*.conf' /etc:'ld-musl-*.path'; do
		open_dir "${_ld%%:*}" || continue
		_ldr=$_R
		for _cf in "$_P"/${_ld#*:}; do
			[ "$#" -lt 32 ] || break
			_inroot_at "$_ldr" "${_cf##*/}" && [ -f "$_P" ] && [ -r "$_P" ] || continue
			set -- "$@" "$_P"
		done
	done
	if [ "$#" -gt 0 ]; then
		# `head -v` header lines start with "==>": no word of theirs starts with "/"
		_C=$(head -c 16384 -v -- "$@" 2>/dev/null)
		while IFS= read -r _cl; do
			_cl=${_cl%%#*}
			case $_cl in include* | *'*'* | *'?'* | *'['*) continue ;; esac
			_splitpath "$_cl"
			for _cw in $_W_; do
				case $_cw in /*) _printable "$_cw" && _D="$_D $_cw" ;; esac
			done
		done <<LIBDIRS_EOF
$_C
LIBDIRS_EOF
	fi
	_D="$_D /lib /usr/lib /lib64 /usr/lib64 /usr/local/lib"
	_LIBDIRS=$_D
}

# emit_elf NAME PATH: PATH's ELF interpreter and needed libraries, each looked up inside
# ROOT. Lines: `class 32|64`, `machine N` (e_machine: 62 x86-64, 3 i386, 183 aarch64...),
# `static`, `interp P found|missing [R]`,
# `runpath DIRS`, `needed LIB found R` / `needed LIB missing`, `notelf`.
emit_elf() {
	_en=$1
	_begin "$_en"
	_est=ok
	if _cached "$_en"; then
		_est=cached
	elif ! open_file "$2"; then
		_est=$_ST
		[ "$_est" != notfile ] || _est=absent
	elif ! command -v od >/dev/null 2>&1; then
		_est=nocmd
	else
		_elf_body "$_P" "$2"
	fi
	_end 0 "$_est" "$_en"
}

# shellcheck disable=SC2154 # h0.., hn, dn are set by _load (eval), never by name
_elf_body() {
	# shellcheck disable=SC2046 # od prints decimal numbers: split into one byte a word
	_load h $(_bytes "$1" 0 64)
	if [ "${hn:-0}" -lt 52 ] || [ "$h0" != 127 ] || [ "$h1" != 69 ] || [ "$h2" != 76 ] || [ "$h3" != 70 ]; then
		printf 'notelf\n'
		return 0
	fi
	eval "_cls=\$h$_EI_CLASS _data=\$h$_EI_DATA"
	if [ "$_data" = "$_DATA_BE" ]; then _BE=1; else _BE=0; fi
	_num h "$_E_MACHINE" 2 # the CPU the kernel must be (a wrong one: "Exec format error")
	printf 'machine %s\n' "$_N"
	if [ "$_cls" = "$_CLASS64" ]; then
		printf 'class 64\n'
		_num h 32 8; _phoff=$_N; _num h 54 2; _phes=$_N; _num h 56 2; _phn=$_N
		_W=8
	else
		printf 'class 32\n'
		_num h 28 4; _phoff=$_N; _num h 42 2; _phes=$_N; _num h 44 2; _phn=$_N
		_W=4
	fi
	[ "$_phn" -le "$_PHNUM_MAX" ] || { printf 'badelf phnum\n'; return 0; }
	# shellcheck disable=SC2046 # od prints decimal numbers: split into one byte a word
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
		"$_PT_LOAD") _LOADS="$_LOADS $_pva:$_poff:$_pfs" ;;
		"$_PT_DYNAMIC") _dyn_off=$_poff _dyn_sz=$_pfs ;;
		"$_PT_INTERP") _interp_off=$_poff ;;
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
	[ "$_dyn_sz" -le "$_DYN_MAX" ] || _dyn_sz=$_DYN_MAX
	# shellcheck disable=SC2046 # od prints decimal numbers: split into one byte a word
	_load d $(_bytes "$1" "$_dyn_off" "$_dyn_sz")
	_strtab= _needed= _runpath=
	_e=$((2 * _W))
	_i=0
	while [ $((_i + _e)) -le "$dn" ]; do
		_num d "$_i" "$_W"; _tag=$_N
		_num d $((_i + _W)) "$_W"; _val=$_N
		case $_tag in
		"$_DT_NULL") break ;;
		"$_DT_NEEDED") _needed="$_needed $_val" ;;
		"$_DT_STRTAB") _strtab=$_val ;;
		"$_DT_RPATH" | "$_DT_RUNPATH") _runpath=$_val ;;
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
			# shellcheck disable=SC2016 # the literal text $ORIGIN, as the loader writes it
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

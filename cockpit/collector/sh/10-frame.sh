# cockpit collector prelude: helpers every probe snippet uses.
# POSIX sh only (dash, bash, busybox ash). Read-only: nothing here writes on the host.
# Variables set by the generated header: B (boundary, random per run), ROOT ('' for live),
# MODE (live|offline), CACHED (sections the client still holds). Set before each probe:
# CAP (bytes), TMO (seconds).
#
# For probe snippets: emit_file, emit_files, emit_tail, emit_cmd, emit_quick, emit_dir,
# emit_ls, emit_resolve, emit_elf; the in-root path helpers of 20-paths.sh (open_file,
# open_dir, _inroot, _inroot_at, _isdir, _exists, _slurp: never `$ROOT` itself); and, to
# frame a section a probe builds itself, _begin NAME / _end RC STATE NAME, with _printable
# and _nameok. Probe variables must not start with `_` (those are the prelude's).
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

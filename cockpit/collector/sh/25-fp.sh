# Incremental refresh: one `stat` for the files every watched probe reads, one awk that
# turns them into a fingerprint per probe, and the probes whose fingerprint the client
# already holds (it passes `fp:NAME#FP` in CACHED) are not run at all.
#
# A fingerprint is `count:max ctime:sum of inodes:sum of sizes:sum of mtimes` over the
# probe's paths, links followed (live mode only: offline, following a link could leave
# ROOT, so an offline root is read in full every refresh). Any write, chmod, rename,
# link or replacement moves a ctime forward to the host's clock, so once every ctime is
# older than the moment the fingerprint was taken, no later change can keep it. The
# section `:fp` gives that moment (`now`, from awk's srand(): no extra process); the
# client trusts a fingerprint only when its max ctime is at least 2 s older, so a change
# made in the same second as the read (same size, same mtime) is never missed.
#
# _fp_take "NAME1 NAME2 ..." /$_MK PATH... /$_MK PATH...: each probe's paths (host paths,
# globs expanded; ones that do not exist are not counted) follow the marker path, the
# random $_MK spelling of /, which no file name can forge. The generator writes the list
# whole: rotating hundreds of arguments in the shell would cost more than the stat.
# _fp_same NAME then says whether the client holds NAME's sections for this fingerprint.

_FPO=
_fp_take() {
	_fpm=/$_MK _fpl=$1
	shift
	_begin :fp
	if command -v stat >/dev/null 2>&1; then
		_FPO=$(stat -L -c '%Z %i %s %Y %n' -- "$@" 2>/dev/null </dev/null |
			_FPL=$_fpl _FPM=$_fpm _FPC=" $CACHED " awk '
			function flush() {
				if (!k) return
				fp = sprintf("%d:%d:%.0f:%.0f:%.0f", n, mc, si, ss, sm)
				printf "fp %s %s\n", nm[k], fp
				if (index(FC, " fp:" nm[k] "#" fp " ")) printf "same %s\n", nm[k]
				n = 0; mc = 0; si = 0; ss = 0; sm = 0
			}
			BEGIN {
				np = split(ENVIRON["_FPL"], nm, " "); M = ENVIRON["_FPM"]; FC = ENVIRON["_FPC"]
				k = 0; srand(); now = srand()
			}
			{
				if (substr($0, length($1 $2 $3 $4) + 5) == M) { flush(); k++; next }
				if (!k) next
				n++; if ($1 + 0 > mc) mc = $1 + 0
				si = (si + $2) % 4294967296; ss = (ss + $3) % 4294967296
				sm = (sm + $4) % 4294967296
			}
			END { flush(); printf "now %d", now }')
		printf '%s' "$_FPO"
	fi
	_end 0 ok :fp
}

# _fp_same NAME: the client holds NAME's sections for the fingerprint the host has now.
_fp_same() {
	case "$_NL$_FPO$_NL" in *"${_NL}same $1$_NL"*) return 0 ;; esac
	return 1
}

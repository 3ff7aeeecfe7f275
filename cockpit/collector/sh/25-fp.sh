# Incremental refresh: one `stat` for the files every watched probe reads, one `cksum` for
# the few kernel files whose content stands for what a probe reads (/proc/locks, PID 1's
# comm and cmdline, the mount table), one awk that turns both into a fingerprint per probe.
# The probes whose fingerprint the client already holds (it passes `fp:NAME#FP` in CACHED)
# are not run at all, and when none is left to run the script stops before the rest of
# it is even read (the generator puts that test before the big helpers and the bodies).
#
# A fingerprint is `count:max ctime:sum of inodes:sum of sizes:sum of mtimes:content` over
# the probe's paths, links followed, and its content tokens (live mode only: offline,
# following a link could leave ROOT, so an offline root is read in full every refresh).
# Any write, chmod, rename, link or replacement moves a ctime forward to the host's clock,
# so once every ctime is older than the moment the fingerprint was taken, no later change
# can keep it. The section `:fp` gives that moment (`now`, from awk's srand(): no extra
# process); the client trusts a fingerprint only when its max ctime is at least 2 s older,
# so a change made in the same second as the read (same size, same mtime) is never missed.
# Kernel files (/proc) have no ctime that moves with their content: those are tokens, whose
# CRC and length (cksum) go into the fingerprint instead.
#
# _fp_take "NAME1 NAME2 ..." /$_MK PATH... /$_MK PATH...: the paths to stat (host paths,
# globs expanded; ones that do not exist are not counted), each once, in groups; each
# group follows the marker path, the random $_MK spelling of /, which no file name can
# forge. $_FPG: per group, the probes it counts for ("1,4 2 ...", 1-based, in NAME
# order). $_FPT: "INDEX:PATH ..." the content tokens of the probes, $_FPK: the token
# paths, once each.
# The `:fp` section then says, one a line: `fp NAME FP` for each probe the host will read
# (the client did not hold that fingerprint), `kept K` (how many held fingerprints were
# found unchanged), `clock EPOCH +ZZZZ ZONE` (what `date '+%s %z %Z'` says: host.clock
# needs no process of its own) and `now EPOCH` last: without `now` the section is
# incomplete, and every probe runs.
# _fp_same NAME then says whether the client holds NAME's sections for this fingerprint;
# _fp_none whether no watched probe is left to run.

_FPO= _FPK= _FPT= _FPG=
_fp_take() {
	_fpm=/$_MK _fpl=$1
	shift
	_begin :fp
	if command -v stat >/dev/null 2>&1 && command -v awk >/dev/null 2>&1 &&
		{ [ -z "$_FPK" ] || command -v cksum >/dev/null 2>&1; }; then
		# cksum last in the group: the shell runs it without a fork of its own.
		# shellcheck disable=SC2086 # $_FPK: the generator's own token paths, no spaces
		_FPO=$({
			stat -L -c '%Z %i %s %Y %n' -- "$@"
			printf '%s\n' "$_fpm/cksum"
			[ -z "$_FPK" ] || cksum $_FPK
		} 2>/dev/null </dev/null |
			_FPL=$_fpl _FPM=$_fpm _FPC=" $CACHED " _FPT=$_FPT _FPG=$_FPG awk '
			BEGIN {
				np = split(ENVIRON["_FPL"], nm, " "); M = ENVIRON["_FPM"]; FC = ENVIRON["_FPC"]
				k = 0; part = 1; srand(); now = srand()
			}
			part == 1 && $0 == M "/cksum" { part = 2; next }
			part == 1 {
				if (substr($0, length($1 $2 $3 $4) + 5) == M) { g++; next }
				if (!g) next
				gn[g]++; if ($1 + 0 > gc[g]) gc[g] = $1 + 0
				gi[g] += $2; gs[g] += $3; gm[g] += $4
				next
			}
			NF >= 3 { tok[substr($0, length($1 $2) + 3)] = ($1 + $2) % 4294967296 }
			END {
				if (part != 2) exit 1
				ng = split(ENVIRON["_FPG"], grp, " ")
				for (j = 1; j <= ng; j++) {
					no = split(grp[j], own, ",")
					for (o = 1; o <= no; o++) {
						k = own[o] + 0
						n[k] += gn[j]; if (gc[j] > mc[k]) mc[k] = gc[j]
						si[k] = (si[k] + gi[j]) % 4294967296; ss[k] = (ss[k] + gs[j]) % 4294967296
						sm[k] = (sm[k] + gm[j]) % 4294967296
					}
				}
				nt = split(ENVIRON["_FPT"], tl, " ")
				for (i = 1; i <= nt; i++) {
					j = index(tl[i], ":"); t = substr(tl[i], 1, j - 1) + 0; p = substr(tl[i], j + 1)
					ck[t] = (ck[t] * 33 + (p in tok ? tok[p] + 1 : 0)) % 4294967296
				}
				kept = 0
				for (k = 1; k <= np; k++) {
					fp = sprintf("%d:%d:%.0f:%.0f:%.0f:%.0f", n[k], mc[k], si[k], ss[k], sm[k], ck[k])
					if (index(FC, " fp:" nm[k] "#" fp " ")) kept++
					else printf "fp %s %s\n", nm[k], fp
				}
				printf "kept %d\nclock %s\nnow %d", kept, strftime("%s %z %Z"), now
			}')
		case $_FPO in *"${_NL}now "[0-9]*) printf '%s' "$_FPO" ;; *) _FPO= ;; esac
	fi
	_end 0 ok :fp
}

# _fp_same NAME: the client holds NAME's sections for the fingerprint the host has now.
_fp_same() {
	case $_FPO in '' | "fp $1 "* | *"${_NL}fp $1 "*) return 1 ;; esac
	return 0
}

# _fp_none: fingerprints were taken and no watched probe is left to run.
_fp_none() {
	case $_FPO in '' | "fp "* | *"${_NL}fp "*) return 1 ;; esac
	return 0
}

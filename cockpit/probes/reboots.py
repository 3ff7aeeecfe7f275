"""reboots probes: everything that may reboot the host, and the flags that ask for one.

Cost matters (the whole collector must stay under 50 ms of CPU), so directories that
usually hold many harmless files (cron.d, cron.daily, user spools, at spools, unit files)
are listed and then read by ONE capped `head` and ONE awk for all of them (rb_flush): only
files that mention a reboot-ish word, or that cannot be read, are sent. The parser decides
what really reboots.

Paths under /var/run are read through /run when /var/run is a symlink: on an offline disk
an absolute `/var/run -> /run` link would otherwise lead to the collector machine's /run.
"""

from cockpit.probes.base import Probe

#: Prefilter only (the parser matches precisely): words that may start a reboot.
REBOOT_WORDS = (
    "reboot|shutdown|poweroff|halt|kexec|sysrq|init[[:space:]]+[06]|"
    "Automatic-Reboot|Unattended-Upgrade|APT::Periodic"
)

# rb_scan NAME DIR [GLOB] [nols]: list DIR as emit_ls does (unless nols) and queue its
# regular files (links too, resolved inside ROOT, as cron opens them) for rb_flush; a file
# that cannot be read gets its state (`denied`) at once. DIR is resolved first: Alpine
# links /var/spool/cron/crontabs -> /etc/crontabs, and a directory already queued is not
# queued twice. Every name cron could run is read, spaces and non-ASCII included (cronie
# runs them; Debian's cron skips names outside [A-Za-z0-9_-], which the parser applies).
# At most 400 listed and 200 queued per directory; names that cannot be framed (control
# characters) are left out: either way the listing ends `cut TOTAL KEPT` with the state
# `cut` (with nols, a section NAME holding only that line).
_HELPERS = (
    r"""
rb_scan() {
	rb_name=$1 rb_glob=${3:-*} rb_ls=${4:-}
	[ "$rb_ls" = nols ] || _begin "$rb_name"
	# sections are named after DIR, or after where it leads when DIR itself is a link
	rb_dir=$2
	if _inroot "${2%/*}" && [ -L "$_P/${2##*/}" ] && _resolve "$2"; then rb_dir=$_R; fi
	if ! open_dir "$2"; then
		[ "$rb_ls" = nols ] || _end 0 "$_DS" "$rb_name"
		return 0
	fi
	rb_p=$_P rb_r=$_R # where it is inside ROOT, resolved: entries are looked up there
	rb_seen=
	case "$RB_NL$RB_MAP" in
	*"$RB_NL$rb_dir$RB_NL"*) rb_seen=1 ;; # a linked dir seen already
	*) RB_MAP="$RB_MAP$rb_dir$RB_NL" ;;
	esac
	rb_t=0 rb_k=0 rb_l=0 rb_q=0 rb_bad=
	for rb_f in "$rb_p"/$rb_glob; do
		[ -L "$rb_f" ] || [ -e "$rb_f" ] || continue
		rb_t=$((rb_t + 1))
		rb_b=${rb_f##*/}
		case $rb_b in *[[:cntrl:]]*) continue ;; esac # as _nameok, inline
		if [ "$rb_ls" != nols ]; then
			case $rb_b in *' -> '*) continue ;; esac
			[ "$rb_l" -lt 400 ] || continue
			_ls_line "$rb_r" "$rb_b" "$rb_f"
			rb_l=$((rb_l + 1))
		fi
		if [ -L "$rb_f" ]; then
			_inroot_at "$rb_r" "$rb_b"
			rb_fp=$_P
		else
			rb_fp=$rb_f
		fi
		if [ -n "$rb_seen" ] || [ ! -f "$rb_fp" ]; then
			rb_k=$((rb_k + 1))
			continue
		fi
		[ "$rb_q" -lt 200 ] || continue
		rb_q=$((rb_q + 1)) rb_k=$((rb_k + 1))
		if [ -r "$rb_fp" ]; then
			RB_QN="${RB_QN:+$RB_QN$RB_NL}$rb_name:$rb_dir/$rb_b"
			RB_QP="${RB_QP:+$RB_QP$RB_NL}$rb_fp"
		else
			rb_bad="$rb_bad$RB_NL$rb_name:$rb_dir/$rb_b"
		fi
	done
	if [ "$rb_ls" != nols ]; then
		_cut ok "$rb_t" "$rb_k"
		_end 0 "$_CS" "$rb_name"
	elif [ "$rb_t" -gt "$rb_k" ]; then
		_begin "$rb_name"
		_cut ok "$rb_t" "$rb_k"
		_end 0 "$_CS" "$rb_name"
	fi
	rb_ifs=$IFS
	IFS=$RB_NL
	set -f
	for rb_b in $rb_bad; do
		IFS=$rb_ifs
		_begin "$rb_b"
		_end 0 denied "$rb_b"
	done
	set +f
	IFS=$rb_ifs
}
# rb_flush: ONE capped read of every file rb_scan queued (_batch: one head, one awk), time
# bounded, sending only the files with a reboot-ish word. A file the time bound cut off
# gets the state `timeout`: never silently "no match".
rb_flush() {
	if [ -n "$RB_QP" ]; then
		_BTO=$RB_TO
		_batch "$RB_QN" "$RB_QP" "$RB_WORDS" timeout
	fi
	RB_QN= RB_QP= RB_MAP=
}
# rb_runpath REL: sets rb_rp to /var/run/REL when /var/run is a real directory (old
# systems), else /run/REL.
rb_runpath() {
	rb_rp=/run$1
	if _inroot /var && [ -d "$_P/run" ] && [ ! -L "$_P/run" ]; then rb_rp=/var/run$1; fi
}
# rb_pid NAME PATH: (live mode only) the command line of the process whose pid PATH holds,
# as NAME.cmdline:/proc/PID/cmdline (NUL-separated: emit_file keeps bytes exact).
rb_pid() {
	[ "$MODE" = live ] || return 0
	_slurp 32 "$2" || return 0
	rb_p=${_C%%"$RB_NL"*}
	case $rb_p in '' | *[!0-9]*) return 0 ;; esac
	emit_file "$1.cmdline:/proc/$rb_p/cmdline" "/proc/$rb_p/cmdline"
}
RB_WORDS='"""
    + REBOOT_WORDS
    + r"""'
if command -v timeout >/dev/null 2>&1; then RB_TO="timeout $TMO"; else RB_TO=; fi
RB_QN= RB_QP= RB_MAP= RB_NL='
'
"""
)

_FLAG_FILES = ("reboot-required", "reboot-required.pkgs", "reboot-needed")
#: What rb_runpath and rb_pid build (every probe here carries those helpers).
_RUN_PIDS = ("/run/x", "/var/run/x", "/proc/1/cmdline")


# A waiting sysvinit `shutdown` (and openrc-shutdown) counts minutes from when it started
# (sysvinit src/shutdown.c: `+N`/`N` minutes, `hh:mm` as minutes from its start's local
# time, a 60 s sleep per minute), so its firing time is its start time plus that. The
# start time is /proc/PID/stat's starttime (clock ticks after boot) + /proc/stat's btime;
# the tick rate comes from `getconf CLK_TCK` (the one process, and only while a shutdown
# waits), with the shell's own /proc/self/stat against /proc/uptime as a fallback. All
# reads are the shell's own `read`. Live only: on a disk the pid means nothing.
SHUTDOWN_TIME = r"""
if [ "$MODE" = live ]; then
	# the pid file reboots.shutdown reads (rb_runpath): /var/run's only where /var/run is a
	# directory of its own, else /run's (POSIX test(1) has no -ef to compare the two)
	sdt_v=/run/shutdown.pid
	if [ -d /var/run ] && [ ! -L /var/run ]; then sdt_v=/var/run/shutdown.pid; fi
	for sdt_f in "$sdt_v" /run/openrc-shutdown.pid; do
		[ -f "$sdt_f" ] && [ -r "$sdt_f" ] || continue
		sdt_p=
		IFS= read -r sdt_p <"$sdt_f" || :
		case $sdt_p in '' | *[!0-9]*) continue ;; esac
		[ -r "/proc/$sdt_p/stat" ] || continue
		_begin "reboots.sdtime:$sdt_f"
		IFS= read -r sdt_l <"/proc/$sdt_p/stat" && printf 'stat %s\n' "$sdt_l"
		while read -r sdt_k sdt_v; do
			[ "$sdt_k" = btime ] && { printf 'btime %s\n' "$sdt_v"; break; }
		done </proc/stat
		IFS= read -r sdt_l </proc/uptime && printf 'uptime %s\n' "$sdt_l"
		IFS= read -r sdt_l </proc/self/stat && printf 'self %s\n' "$sdt_l"
		sdt_h=$(getconf CLK_TCK 2>/dev/null) && printf 'hz %s\n' "$sdt_h"
		_end 0 ok "reboots.sdtime:$sdt_f"
	done
fi
"""

#: Where the scripts cron jobs run are NOT looked for (an ERE, awk's and the parser's):
#: the system's own programs and libraries (binaries all mention "reboot" somewhere; the
#: packages that ship them are not the admin's hidden reboot), pseudo and scratch
#: directories (redirections: `>/dev/null`, `>>/var/log/x`), and the run-parts
#: directories (reboots.cron reads every script there).
JOB_SKIP = (
    "^/(s?bin|usr/s?bin|usr/lib|usr/lib64|usr/libexec|usr/share|lib|lib64|dev|proc|sys|run"
    "|tmp|var/tmp|var/log|etc/cron[.](hourly|daily|weekly|monthly))(/|$)"
)

# The scripts cron jobs run. A job line `0 3 * * * root /usr/local/sbin/nightly.sh` names
# no reboot, and the crontab holding it is not even sent (the prefilter); the script may
# reboot. One capped, time-bounded `head -v` of every crontab ($_MK: unforgeable headers,
# mapped back to the in-root names; a linked spool read once) and one awk send, in
# section reboots.jobs:
#   job<TAB>CRONTAB<TAB>LINE  each job line naming an absolute path outside JOB_SKIP (64)
#   env<TAB>CRONTAB<TAB>LINE  its CRON_TZ= / TZ= lines, for the jobs' time zone
#   STATE<TAB>P               each such path (32), as open_file says: ok, absent,
#                             dangling, loop, foreign, notfile (a directory...), denied
#   cut WHAT                  a bound was reached (jobs, paths, files) or head did not
#                             reach its end (read): the parser says "unknown", never none
# The readable scripts are read by rb_flush with the reboot-word prefilter
# (`reboots.job:P`, sent only with a reboot word; a read cut off by the time bound:
# `timeout`).
_JOBS = (
    r"""
rbj_n= rbj_m= rbj_cut= rbj_seen=
set --
for rbj_f in /etc/crontab /etc/cron.d /var/spool/cron/crontabs /var/spool/cron \
	/var/spool/cron/tabs /etc/crontabs; do
	if [ "$rbj_f" = /etc/crontab ]; then
		open_file "$rbj_f" || continue
		rbj_n="$rbj_n$RB_NL$rbj_f" rbj_m="$rbj_m$RB_NL/$_MK${_P#/}"
		set -- "$@" "/$_MK${_P#/}"
		continue
	fi
	open_dir "$rbj_f" || continue
	case "$RB_NL$rbj_seen$RB_NL" in *"$RB_NL$_R$RB_NL"*) continue ;; esac # a linked spool
	rbj_seen="$rbj_seen$RB_NL$_R" rbj_r=$_R
	for rbj_e in "$_P"/*; do
		rbj_b=${rbj_e##*/}
		case $rbj_b in *[[:cntrl:]]*) continue ;; esac # as _nameok, inline
		_inroot_at "$rbj_r" "$rbj_b" && [ -f "$_P" ] && [ -r "$_P" ] || continue
		if [ "$#" -ge 256 ]; then
			rbj_cut=files
			break
		fi
		rbj_n="$rbj_n$RB_NL$rbj_f/$rbj_b" rbj_m="$rbj_m$RB_NL/$_MK${_P#/}"
		set -- "$@" "/$_MK${_P#/}"
	done
done
_begin reboots.jobs
[ -z "$rbj_cut" ] || printf 'cut %s\n' "$rbj_cut"
rbj_out=
if [ "$#" -gt 0 ]; then
	# shellcheck disable=SC2016,SC2086 # awk's own $0 and $i; $RB_TO: "timeout N" or empty
	rbj_out=$($RB_TO head -c 65536 -v -- "$@" "/${_MK}dev/null" 2>/dev/null </dev/null |
		_FN=$rbj_n _FA=$rbj_m _FS="/${_MK}dev/null" _FK='"""
    + JOB_SKIP
    + r"""' awk '
		BEGIN {
			n = split(ENVIRON["_FN"], nm, "\n"); split(ENVIRON["_FA"], fa, "\n")
			for (i = 2; i <= n; i++) hdr["==> " fa[i] " <=="] = nm[i]
			end = "==> " ENVIRON["_FS"] " <=="; skip = ENVIRON["_FK"]
			jobs = 0; paths = 0; done = 0; cur = ""
		}
		$0 == end { done = 1; cur = ""; next }
		$0 in hdr { cur = hdr[$0]; next }
		cur == "" || $0 ~ /^[ \t]*(#|$)/ { next }
		$0 ~ /^[ \t]*(CRON_TZ|TZ)[ \t]*=/ { printf "env\t%s\t%s\n", cur, $0; next }
		$0 ~ /^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=/ { next }
		{
			k = split($0, w, /[ \t;&|()<>`"'"'"'=]+/); named = 0
			for (i = 1; i <= k; i++) {
				if (substr(w[i], 1, 1) != "/" || w[i] ~ skip || w[i] ~ /[^[:graph:]]/) continue
				named = 1
				if (w[i] in seen) continue
				if (paths >= 32) { cutp = 1; continue }
				seen[w[i]] = 1; order[++paths] = w[i]
			}
			if (!named) next
			if (jobs >= 64) { cutj = 1; next }
			jobs++; printf "job\t%s\t%s\n", cur, $0
		}
		END {
			for (i = 1; i <= paths; i++) printf "path\t%s\n", order[i]
			if (cutj) print "cut jobs"
			if (cutp) print "cut paths"
			if (!done) print "cut read"
		}' 2>/dev/null)
fi
rbj_ifs=$IFS
IFS=$RB_NL
set -f
for rbj_l in $rbj_out; do
	IFS=$rbj_ifs
	case $rbj_l in
	job"	"* | env"	"* | "cut "*) printf '%s\n' "$rbj_l" ;;
	path"	"/*)
		rbj_p=${rbj_l#path	}
		if open_file "$rbj_p"; then
			RB_QN="${RB_QN:+$RB_QN$RB_NL}reboots.job:$rbj_p"
			RB_QP="${RB_QP:+$RB_QP$RB_NL}$_P"
		fi
		printf '%s\t%s\n' "$_ST" "$rbj_p"
		;;
	esac
done
set +f
IFS=$rbj_ifs
_end 0 ok reboots.jobs
rb_flush
"""
)

#: Incremental refresh: every crontab the scans read, entry by entry.
_CRON_WATCH = (
    "/etc/cron.d/*",
    *(f"/etc/cron.{p}/*" for p in ("hourly", "daily", "weekly", "monthly")),
    "/var/spool/cron/*",
    "/var/spool/cron/crontabs/*",
    "/var/spool/cron/tabs/*",
    "/etc/crontabs/*",
)

PROBES: tuple[Probe, ...] = (
    Probe(
        name="reboots.cron",
        area="reboots",
        script=_HELPERS
        + "\n".join(
            (
                "emit_files reboots.crontab /etc/crontab reboots.anacrontab /etc/anacrontab",
                "rb_scan reboots.crond /etc/cron.d",
                "for rb_d in hourly daily weekly monthly; do",
                "\trb_scan reboots.cron.$rb_d /etc/cron.$rb_d",
                "done",
                # Debian, Gentoo vixie-cron/cronie; RH/Arch cronie; SUSE; busybox.
                "rb_scan reboots.spool.crontabs /var/spool/cron/crontabs",
                "rb_scan reboots.spool.cron /var/spool/cron",
                "rb_scan reboots.spool.tabs /var/spool/cron/tabs",
                "rb_scan reboots.spool.busybox /etc/crontabs",
                # unattended-upgrades settings ride on the same grep (one fork saved)
                "rb_scan reboots.apt /etc/apt/apt.conf.d '*' nols",
                "rb_flush",
            )
        ),
        doc="crontabs (system, cron.d, user spools), run-parts dirs, anacrontab, apt.conf.d",
        timeout_s=5,
        cap_bytes=262144,
        watch=(*_CRON_WATCH, "/etc/apt/apt.conf.d/*"),
        paths=(*(f"/etc/cron.{p}" for p in ("hourly", "daily", "weekly", "monthly")), *_RUN_PIDS),
    ),
    Probe(
        name="reboots.jobs",
        area="reboots",
        script=_HELPERS + _JOBS,
        doc="the scripts cron job lines run (outside system dirs): may they reboot?",
        timeout_s=5,
        cap_bytes=262144,
        every=6,
        paths=(*_RUN_PIDS, "/etc/cron.d/job", "/var/spool/cron/crontabs/root"),
    ),
    Probe(
        name="reboots.at",
        area="reboots",
        script=_HELPERS
        + (
            "rb_scan reboots.at.deb /var/spool/cron/atjobs\n"
            "rb_scan reboots.at.rh /var/spool/at\n"
            "rb_scan reboots.at.suse /var/spool/atjobs\n"
            "rb_flush"
        ),
        doc="at job spools (Debian, RH, SUSE): names carry the run time, files the command",
        cap_bytes=65536,
        watch=(
            *(f"{d}/*" for d in ("/var/spool/cron/atjobs", "/var/spool/at", "/var/spool/atjobs")),
        ),
        paths=_RUN_PIDS,
    ),
    Probe(
        name="reboots.shutdown",
        area="reboots",
        script=_HELPERS
        + """
rb_runpath /shutdown.pid
emit_files reboots.sd.scheduled /run/systemd/shutdown/scheduled \
	"reboots.sysv.pid:$rb_rp" "$rb_rp" \
	reboots.openrc.pid:/run/openrc-shutdown.pid /run/openrc-shutdown.pid \
	reboots.nologin.run /run/nologin reboots.nologin.etc /etc/nologin
rb_pid reboots.sysv.pid "$rb_rp"
rb_pid reboots.openrc.pid /run/openrc-shutdown.pid
""",
        doc="scheduled shutdowns: systemd schedule file, sysvinit/OpenRC pid files, nologin",
        cap_bytes=4096,
        # a schedule lives in /run (tmpfs: its ctimes move); the pid's cmdline is read
        # only while the pid file is there
        watch=("/run/systemd/shutdown/*", "/run/*", "/var/run/*"),
        paths=(*_RUN_PIDS, "/run/shutdown.pid", "/var/run/shutdown.pid"),
    ),
    Probe(
        name="reboots.flags",
        area="reboots",
        script=_HELPERS
        + """
rb_runpath /reboot-required
emit_files "reboots.flag:$rb_rp" "$rb_rp" "reboots.flag:$rb_rp.pkgs" "$rb_rp.pkgs" \
	"reboots.flag:${rb_rp%/*}/reboot-needed" "${rb_rp%/*}/reboot-needed"
""",
        doc="reboot-required flags (Debian/Ubuntu update-notifier, SUSE zypp)",
        cap_bytes=16384,
        watch=("/run/*", "/var/run/*"),
        paths=(
            *_RUN_PIDS,
            *(f"{d}/{f}" for d in ("/run", "/var/run") for f in _FLAG_FILES),
        ),
    ),
    Probe(
        name="reboots.timers",
        area="reboots",
        # The services (links too: `systemctl link` units) and list-timers (a systemctl
        # process) only where there is something to ask about: an admin or transient
        # timer; list-timers on a host booted with systemd. A service only matters as a
        # timer's unit.
        script=_HELPERS
        + """
emit_dir reboots.timers /etc/systemd/system '*.timer'
emit_dir reboots.ttimers /run/systemd/transient '*.timer'
rb_t=
for rb_d in /etc/systemd/system /run/systemd/transient; do
	open_dir "$rb_d" || continue
	for rb_f in "$_P"/*.timer; do
		if [ -L "$rb_f" ] || [ -e "$rb_f" ]; then rb_t=1; fi
	done
done
if [ -n "$rb_t" ]; then
	rb_scan reboots.units /etc/systemd/system '*.service' nols
	rb_scan reboots.tunits /run/systemd/transient '*.service' nols
	rb_flush
	emit_ls reboots.timers.wants /etc/systemd/system/timers.target.wants '*.timer'
	_inroot /run/systemd/system && [ -d "$_P" ] &&
		emit_cmd reboots.list-timers systemctl list-timers --all --no-legend --no-pager
fi
""",
        doc="systemd timers (admin and transient units) and, live, their next run",
        cap_bytes=65536,
        paths=_RUN_PIDS,
    ),
    Probe(
        name="reboots.auto",
        area="reboots",
        script=_HELPERS
        + """
emit_files reboots.dnf /etc/dnf/automatic.conf
emit_ls reboots.dnf.timers /etc/systemd/system/timers.target.wants 'dnf*'
""",
        doc="automatic reboots after updates: dnf-automatic (apt settings: reboots.cron)",
        cap_bytes=65536,
        watch=("/etc/systemd/system/timers.target.wants/*",),
        paths=_RUN_PIDS,
    ),
    Probe(
        name="reboots.shutdown.time",
        area="reboots",
        script=SHUTDOWN_TIME,
        doc="when a waiting sysvinit shutdown / openrc-shutdown fires: its start time (live)",
        cap_bytes=8192,
        watch=("/run/*", "/var/run/*"),
        # one moment (when the shutdown process started), read off the boot's own clocks
        steady=("/proc/self/stat", "/proc/stat", "/proc/uptime"),
    ),
)

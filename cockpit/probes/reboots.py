"""reboots probes: everything that may reboot the host, and the flags that ask for one.

Cost matters (the whole collector must stay under 50 ms of CPU), so directories that
usually hold many harmless files (cron.d, cron.daily, user spools, at spools, unit files)
are listed and then filtered by ONE `grep -l` per directory: only files that mention a
reboot-ish word, or that cannot be read, are sent. The parser decides what really reboots.

Paths under /var/run are read through /run when /var/run is a symlink: on an offline disk
an absolute `/var/run -> /run` link would otherwise lead to the collector machine's /run.
"""

from cockpit.probes.base import Probe

#: Prefilter only (the parser matches precisely): words that may start a reboot.
REBOOT_WORDS = (
    "reboot|shutdown|poweroff|halt|kexec|sysrq|init[[:space:]]+[06]|"
    "Automatic-Reboot|Unattended-Upgrade|APT::Periodic"
)

# rb_scan NAME DIR [GLOB] [nols]: emit_ls DIR (unless nols), queue its regular files for
# rb_flush, and emit each unreadable file at once (state `denied`). A DIR that is a
# symlink is resolved inside ROOT first (Alpine links /var/spool/cron/crontabs ->
# /etc/crontabs) and a directory already queued is not queued twice. Only names made of
# safe characters are queued (so the list splits exactly); others are read one by one.
_HELPERS = (
    r"""
rb_scan() {
	rb_name=$1 rb_dir=$2 rb_glob=${3:-*}
	if [ -L "$ROOT$rb_dir" ]; then
		if _resolve "$rb_dir"; then rb_dir=$_R; fi
	fi
	[ "${4:-}" = nols ] || emit_ls "$rb_name" "$rb_dir" "$rb_glob"
	[ -d "$ROOT$rb_dir" ] && [ -r "$ROOT$rb_dir" ] && [ -x "$ROOT$rb_dir" ] || return 0
	case $rb_dir in *[!A-Za-z0-9._/-]*) return 0 ;; esac
	case "$RB_NL$RB_MAP" in *"$RB_NL$rb_dir "*) return 0 ;; esac # a linked dir seen already
	RB_MAP="$RB_MAP$rb_dir $rb_name$RB_NL"
	rb_k=0
	for rb_f in "$ROOT$rb_dir"/$rb_glob; do
		[ -f "$rb_f" ] && [ ! -L "$rb_f" ] || continue
		rb_b=${rb_f##*/}
		_printable "$rb_b" || continue
		case $rb_b in
		*[!A-Za-z0-9._@+,:=-]*) emit_file "$rb_name:$rb_dir/$rb_b" "$rb_dir/$rb_b" ;;
		*)
			if [ -r "$rb_f" ]; then
				RB_ARGS="$RB_ARGS ${rb_dir#/}/$rb_b"
			else
				emit_file "$rb_name:$rb_dir/$rb_b" "$rb_dir/$rb_b"
			fi
			;;
		esac
		rb_k=$((rb_k + 1))
		[ "$rb_k" -lt 200 ] || break
	done
}
# rb_flush: ONE grep over every file rb_scan queued (relative to ROOT, safe names only, so
# the unquoted list splits exactly), then ONE emit_files for the files that matched.
rb_flush() {
	[ -n "$RB_ARGS" ] || return 0
	# shellcheck disable=SC2086
	( cd "$ROOT/" 2>/dev/null && $RB_TO grep -l -E "$RB_WORDS" -- $RB_ARGS 2>/dev/null ) | {
		set --
		while IFS= read -r rb_m; do
			rb_all="$RB_NL$RB_MAP"
			rb_t=${rb_all#*"$RB_NL/${rb_m%/*} "}
			[ "$rb_t" != "$rb_all" ] || continue
			set -- "$@" "${rb_t%%"$RB_NL"*}:/$rb_m" "/$rb_m"
		done
		[ "$#" -eq 0 ] || emit_files "$@"
	}
	RB_ARGS= RB_MAP=
}
# rb_runpath REL: sets rb_rp to /var/run/REL when /var/run is a real directory (old
# systems), else /run/REL.
rb_runpath() {
	rb_rp=/run$1
	if [ -d "$ROOT/var/run" ] && [ ! -L "$ROOT/var/run" ]; then rb_rp=/var/run$1; fi
}
# rb_pid NAME PATH: (live mode only) the command line of the process whose pid PATH holds,
# as NAME.cmdline:/proc/PID/cmdline (NUL-separated: emit_file keeps bytes exact).
rb_pid() {
	[ "$MODE" = live ] && [ -f "$2" ] && [ -r "$2" ] || return 0
	rb_p=
	IFS= read -r rb_p <"$2" || :
	case $rb_p in '' | *[!0-9]*) return 0 ;; esac
	emit_file "$1.cmdline:/proc/$rb_p/cmdline" "/proc/$rb_p/cmdline"
}
RB_WORDS='"""
    + REBOOT_WORDS
    + r"""'
if command -v timeout >/dev/null 2>&1; then RB_TO="timeout $TMO"; else RB_TO=; fi
RB_ARGS= RB_MAP= RB_NL='
'
"""
)

# A waiting sysvinit `shutdown` (and openrc-shutdown) counts minutes from when it started
# (sysvinit src/shutdown.c: `+N`/`N` minutes, `hh:mm` as minutes from its start's local
# time, a 60 s sleep per minute), so its firing time is its start time plus that. The
# start time is /proc/PID/stat's starttime (clock ticks after boot) + /proc/stat's btime;
# the tick rate comes from `getconf CLK_TCK` (the one process, and only while a shutdown
# waits), with the shell's own /proc/self/stat against /proc/uptime as a fallback. All
# reads are the shell's own `read`. Live only: on a disk the pid means nothing.
SHUTDOWN_TIME = r"""
if [ "$MODE" = live ]; then
	for sdt_f in /run/shutdown.pid /var/run/shutdown.pid /run/openrc-shutdown.pid; do
		[ -f "$sdt_f" ] && [ -r "$sdt_f" ] || continue
		[ "$sdt_f" = /var/run/shutdown.pid ] && [ /var/run/shutdown.pid -ef /run/shutdown.pid ] &&
			continue
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
    ),
    Probe(
        name="reboots.timers",
        area="reboots",
        # list-timers costs a systemctl process: only where there is something to ask
        # about (an admin or transient timer) on a host booted with systemd.
        script=_HELPERS
        + """
emit_dir reboots.timers /etc/systemd/system '*.timer'
rb_scan reboots.units /etc/systemd/system '*.service' nols
emit_dir reboots.ttimers /run/systemd/transient '*.timer'
rb_scan reboots.tunits /run/systemd/transient '*.service' nols
rb_flush
rb_t=
for rb_f in "$ROOT"/etc/systemd/system/*.timer "$ROOT"/run/systemd/transient/*.timer; do
	[ -e "$rb_f" ] && rb_t=1
done
if [ -n "$rb_t" ]; then
	emit_ls reboots.timers.wants /etc/systemd/system/timers.target.wants '*.timer'
	[ -d "$ROOT/run/systemd/system" ] &&
		emit_cmd reboots.list-timers systemctl list-timers --all --no-legend --no-pager
fi
""",
        doc="systemd timers (admin and transient units) and, live, their next run",
        cap_bytes=65536,
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
    ),
    Probe(
        name="reboots.shutdown.time",
        area="reboots",
        script=SHUTDOWN_TIME,
        doc="when a waiting sysvinit shutdown / openrc-shutdown fires: its start time (live)",
        cap_bytes=8192,
    ),
)

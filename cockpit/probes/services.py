"""Services probes: what each rc system reads at boot, and cheap runtime health.

Next-boot enablement is read from the directories the init itself reads (systemd's
`*.wants/`, sysv-rc's `rcN.d/`, OpenRC's `/etc/runlevels/`, runit's runsvdir), never
from `systemctl is-enabled` or `service --status-all`: the files answer it identically
offline, at no process cost.

Cost: the listings are shell builtins only (`svc_ls` below never forks, except one
`readlink` per link whose name concerns ssh or networking: masks and aliases). A
`readlink` or `head` costs about 1 ms here and the whole collector has 50 ms, so a
generic `emit_ls` (one `readlink` per link) over rc2.d or multi-user.target.wants would
eat a third of the budget. Commands run in live mode only, and only when the host's own
state calls for them (`systemctl` only if /run/systemd/system exists).

`svc_ls NAME DIR CHECK` prints one line per entry: `<l|d|f|?> <flag> <name>[ -> target]`.
flag: for CHECK=rc (sysv-rc links, `S20ssh`) and rl (OpenRC runlevels) the state of
`/etc/init.d/<service>`; for sv (runit) the state of `/etc/sv/<service>/run`:
`x` executable file, `f` exists but not executable, `!` missing; `.` not checked.
CHECK=link (/etc/systemd/system itself) reads the link target of ssh/network-related
names (masks, aliases) and flags an empty regular file `e` (systemd treats an empty unit
file as masked). Wants directories are listed by name only: systemd loads the unit a
wants link names by the link's name, not by its target.
"""

from cockpit.probes import pidfiles, sshd
from cockpit.probes.base import Probe

# Uses the prelude's framing (_begin/_end) and _printable, and only svc_* variables.
_SVC_LS = r"""
svc_isdir() { _isdir "$1"; }
# svc_chk DIR NAME: the state of NAME in DIR (an in-root directory from _R, or empty:
# not there), inside ROOT: x executable file, f exists, ! missing.
svc_chk() {
	svc_x='!'
	[ -n "$1" ] && _inroot_at "$1" "$2" || return 0
	if [ -f "$_P" ] && [ -x "$_P" ]; then svc_x=x
	elif [ -e "$_P" ]; then svc_x=f
	fi
}
svc_ls() {
	svc_n=$1 svc_c=$3
	_begin "$svc_n"
	if ! open_dir "$2"; then
		_end 0 "$_DS" "$svc_n"
		return 0
	fi
	svc_p=$_P svc_r=$_R
	# the directories the checks look in, resolved once for the whole listing
	svc_b1= svc_b2=
	case $svc_c in
	rc | rl) _inroot /etc/init.d && svc_b1=$_R ;;
	sv) _inroot /etc/sv && svc_b1=$_R ;;
	esac
	[ "$svc_c" != rl ] || { _inroot /usr/local/etc/init.d && svc_b2=$_R; }
	svc_k=0 svc_t=0
	for svc_f in "$svc_p"/*; do
		[ -L "$svc_f" ] || [ -e "$svc_f" ] || continue
		svc_t=$((svc_t + 1))
		svc_b=${svc_f##*/}
		_printable "$svc_b" || continue
		[ "$svc_k" -lt 400 ] || continue
		if [ -L "$svc_f" ]; then svc_t_=l
		elif [ -d "$svc_f" ]; then svc_t_=d
		elif [ -f "$svc_f" ]; then svc_t_=f
		else svc_t_='?'
		fi
		svc_x=.
		case $svc_c in
		rc)
			case $svc_b in
			[SK][0-9][0-9]?*) svc_chk "$svc_b1" "${svc_b#[SK][0-9][0-9]}" ;;
			esac
			;;
		rl)
			svc_chk "$svc_b1" "$svc_b"
			[ "$svc_x" = '!' ] && svc_chk "$svc_b2" "$svc_b"
			;;
		sv)
			svc_x='!'
			if [ -n "$svc_b1" ] && _inroot_at "$svc_b1" "$svc_b"; then svc_chk "$_R" run; fi
			;;
		esac
		if [ "$svc_c" = link ] && [ "$svc_t_" = f ] && [ ! -s "$svc_f" ]; then svc_x=e; fi
		svc_l=
		if [ "$svc_t_" = l ] && [ "$svc_c" = link ]; then
			case $svc_b in
			*ssh* | *network* | NetworkManager* | *dropbear* | dhcpcd* | wicked* | \
				connman* | netctl*)
				_readlink "${svc_r%/}/$svc_b" || :
				svc_l=$_T
				case $svc_l in *[![:graph:]]*) svc_l='?' ;; esac
				;;
			esac
		fi
		if [ -n "$svc_l" ]; then
			printf '%s %s %s -> %s\n' "$svc_t_" "$svc_x" "$svc_b" "$svc_l"
		else
			printf '%s %s %s\n' "$svc_t_" "$svc_x" "$svc_b"
		fi
		svc_k=$((svc_k + 1))
	done
	_cut ok "$svc_t" "$svc_k"
	_end 0 "$_CS" "$svc_n"
}
"""

#: Paths whose existence the parser needs, grouped by directory: each directory is
#: resolved inside ROOT once (one `readlink` per symlinked directory such as a merged-/usr
#: /sbin), then its entries are plain tests unless an entry is itself a link.
_PATHS: tuple[tuple[str, str], ...] = (
    # SSH servers: binaries, config, unit-less init scripts and runit services
    ("/usr/sbin", "sshd dropbear tinysshd openrc openrc-run runscript"),
    ("/usr/bin", "sshd dropbear tinysshd"),
    ("/sbin", "sshd openrc openrc-run runscript runscript.sh rc"),
    ("/usr/local/sbin", "sshd"),
    ("/etc/ssh", "sshd_config"),
    # init scripts and runit services for ssh and network bring-up (named in remedies)
    ("/etc/init.d", "ssh sshd dropbear networking net.lo network dhcpcd NetworkManager"),
    ("/etc/init.d", "network-manager"),
    ("/etc/sv", "sshd ssh dropbear dhcpcd NetworkManager"),
    # Debian's runit runs the sysv rcS.d/rc2.d scripts unless told not to (stages 1, 2)
    ("/lib/runit", "run_sysv_scripts"),
    ("/etc/runit", "no.emulate.sysv"),
    # OpenRC and Gentoo baselayout-1 shell libraries (which rc runs init scripts)
    ("/lib/rc/sh", "openrc-run.sh runscript.sh"),
    ("/usr/libexec/rc/sh", "openrc-run.sh"),
    ("/lib/rcscripts/sh", "rc-services.sh"),
)

_PATHS_SCRIPT = (
    r"""svc_path() {
	svc_q="$1/$3" svc_p="$2/$3"
	if [ -L "$svc_p" ]; then
		if ! _inroot "$svc_q" || [ ! -e "$_P" ]; then
			printf 'dangling - %s\n' "$svc_q"
			return 0
		fi
		svc_p=$_P
	fi
	[ -e "$svc_p" ] || return 0
	if [ -d "$svc_p" ]; then svc_t=d; elif [ -f "$svc_p" ]; then svc_t=f; else svc_t='?'; fi
	if [ -x "$svc_p" ]; then svc_x=x; else svc_x=-; fi
	printf '%s %s %s\n' "$svc_t" "$svc_x" "$svc_q"
}
_begin services.paths
"""
    + "".join(
        "# shellcheck disable=SC2043 # generated from _PATHS: some directories name one file\n"
        f"_inroot {d} && svc_gp=$_P && for svc_e in {names}; do\n"
        f'\tsvc_path {d} "$svc_gp" "$svc_e"\ndone\n'
        for d, names in _PATHS
    )
    + r"""_end 0 ok services.paths
emit_files services.inittab /etc/inittab services.ifaces /etc/network/interfaces
# Debian's openrc replaces sysv-rc's /etc/init.d/rc with a wrapper that execs openrc
emit_files services.initd-rc /etc/init.d/rc
if _inroot /etc/network/interfaces.d && [ -d "$_P" ]; then
	emit_dir services.ifaces.d /etc/network/interfaces.d
fi
"""
)

_UNITS = (
    "ssh.service sshd.service ssh.socket sshd.socket dropbear.service dropbear.socket "
    "networking.service systemd-networkd.service systemd-networkd.socket "
    "NetworkManager.service wicked.service connman.service dhcpcd.service dhcpcd@.service "
    "netctl@.service network.service"
)

_UNIT_DIRS = ("/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system")

_SYSTEMD_SCRIPT = (
    _SVC_LS
    + r"""
if svc_isdir /etc/systemd || svc_isdir /lib/systemd/system || svc_isdir /usr/lib/systemd/system
then
	svc_ls services.sd.etc /etc/systemd/system link
	svc_j=0
	svc_es=$_NOPATH svc_er=
	open_dir /etc/systemd/system && svc_es=$_P svc_er=$_R
	for svc_w in "$svc_es"/*.wants "$svc_es"/*.requires; do
		svc_wb=${svc_w##*/}
		_inroot_at "$svc_er" "$svc_wb" && [ -d "$_P" ] || continue
		_printable "$svc_wb" || continue
		svc_ls "services.sd.wants:/etc/systemd/system/$svc_wb" "/etc/systemd/system/$svc_wb" none
		svc_j=$((svc_j + 1))
		[ "$svc_j" -lt 64 ] || break
	done
	_begin services.sd.units
	for svc_ud in """
    + " ".join(_UNIT_DIRS)
    + r"""; do
		_inroot "$svc_ud" || continue
		svc_up=$_P svc_ur=$_R
		for svc_u in """
    + _UNITS
    + r"""; do
			svc_q="$svc_up/$svc_u"
			if [ -L "$svc_q" ]; then
				_readlink "${svc_ur%/}/$svc_u" || :
				svc_l=$_T
				case $svc_l in *[![:graph:]]*) svc_l='?' ;; esac
				printf 'l %s/%s -> %s\n' "$svc_ud" "$svc_u" "$svc_l"
			elif [ -f "$svc_q" ]; then
				if [ -s "$svc_q" ]; then printf 'f %s/%s\n' "$svc_ud" "$svc_u"
				else printf 'e %s/%s\n' "$svc_ud" "$svc_u"
				fi
			fi
		done
	done
	_end 0 ok services.sd.units
	for svc_nd in /etc/systemd/network /usr/local/lib/systemd/network /lib/systemd/network \
		/usr/lib/systemd/network /etc/netplan /lib/netplan /usr/lib/netplan; do
		svc_ls "services.sd.net:$svc_nd" "$svc_nd" none
	done
fi
"""
)

_SYSV_SCRIPT = (
    _SVC_LS
    + r"""
for svc_r in S 2 3 4 5; do
	svc_ls "services.rc:/etc/rc$svc_r.d" "/etc/rc$svc_r.d" rc
done
"""
)

_OPENRC_SCRIPT = (
    _SVC_LS
    + r"""
if _inroot /etc/runlevels && [ -d "$_P" ]; then
	svc_rl=$_P
	svc_ls services.rl /etc/runlevels none
	svc_j=0
	svc_rr=$_R
	for svc_rd in "$svc_rl"/*; do
		svc_rb=${svc_rd##*/}
		_inroot_at "$svc_rr" "$svc_rb" && [ -d "$_P" ] || continue
		_printable "$svc_rb" || continue
		svc_ls "services.rl:/etc/runlevels/$svc_rb" "/etc/runlevels/$svc_rb" rl
		svc_j=$((svc_j + 1))
		[ "$svc_j" -lt 16 ] || break
	done
	if _inroot /etc/init.d && [ -d "$_P" ]; then
		svc_id=$_P
		_begin services.initd
		# one capped read of every init script (64 KiB each): `head -v` names each file in
		# a header line ($_MK makes it unforgeable), awk prints `file:line:text` as grep -n
		(
			cd "$svc_id" 2>/dev/null || exit 0
			set --
			for svc_f in *; do
				[ ! -L "$svc_f" ] && [ -f "$svc_f" ] || continue
				_printable "$svc_f" || continue
				set -- "$@" "$_MK$svc_f"
				[ "$#" -lt 300 ] || break
			done
			[ "$#" -gt 0 ] || exit 0
			svc_re='^#!|^[[:space:]]*(command|command_args|pidfile|start_stop_daemon_args)='
			svc_re="$svc_re|^[[:space:]]*(start|depend)[[:space:]]*\\(\\)"
			head -c 65536 -v -- "$@" 2>/dev/null |
				_FM=$_MK _FR=$svc_re awk '
				BEGIN { mk = "==> " ENVIRON["_FM"]; re = ENVIRON["_FR"]; f = "" }
				index($0, mk) == 1 && substr($0, length($0) - 3) == " <==" {
					f = substr($0, length(mk) + 1, length($0) - length(mk) - 4); n = 0; next
				}
				f != "" { n++; if ($0 ~ re) print f ":" n ":" $0 }' | head -c "$((CAP + 1))"
		)
		_end 0 ok services.initd
	fi
fi
"""
)

_RUNIT_SCRIPT = (
    _SVC_LS
    + r"""
if svc_isdir /etc/runit || svc_isdir /etc/sv; then
	svc_ls services.runit.default /etc/runit/runsvdir/default sv
	svc_ls services.runit.service /etc/service sv
	emit_file services.rclocal /etc/rc.local
fi
"""
)

# svc_cmd NAME CMD...: emit_cmd's section with two processes fewer (no capping `head`:
# these commands print a word or a short list, captured, then capped by printf), the
# output kept in $svc_o and the status in $_rc/$_st; svc_frame NAME frames the same answer
# again under another name. This probe runs on every refresh.
_SVC_CMD = r"""
svc_cmd() {
	svc_n=$1
	shift
	svc_o=
	if _runnable "$1"; then
		svc_o=$($_TO ${_TO:+"$TMO"} "$@" </dev/null 2>/dev/null)
		_rc=$?
		_rc_state
	fi
	svc_frame "$svc_n"
}
svc_frame() {
	_begin "$1"
	[ -z "$svc_o" ] || printf "%.$((CAP + 1))s\n" "$svc_o"
	_end "$_rc" "$_st" "$1"
}
"""

_RUNTIME_SCRIPT = (
    _SVC_LS
    + _SVC_CMD
    + r"""
svc_sd=no
_inroot /run/systemd/system && [ -d "$_P" ] && svc_sd=yes
_begin services.sd.booted
echo "$svc_sd"
_end 0 ok services.sd.booted
if [ "$svc_sd" = yes ]; then
	svc_cmd services.sd.running systemctl is-system-running
	svc_frame init.systemd.state
	if [ "$_st" = ok ] && [ "$svc_o" = running ]; then
		# `running` is systemd's word for "up, and no unit failed" (one failed unit makes
		# it `degraded`): the list would be empty, and this runs every refresh.
		_begin services.sd.failed
		_end 0 ok services.sd.failed
	else
		svc_cmd services.sd.failed systemctl list-units --state=failed --no-legend --plain
	fi
fi
if _inroot /run/openrc/started && [ -d "$_P" ]; then
	svc_ls services.orc.started /run/openrc/started none
	svc_ls services.orc.failed /run/openrc/failed none
	svc_cmd services.orc.crashed rc-status --crashed
fi
"""
)

#: Incremental refresh: what the rc probes' listings check, entry by entry (an init
#: script's x bit, a runit service's run file), and what services.sd lists and reads.
_INITD_WATCH = ("/etc/init.d/*", "/usr/local/etc/init.d/*", "/etc/sv/*", "/etc/sv/*/run")
_SD_NET_DIRS = (
    "/etc/systemd/network",
    "/usr/local/lib/systemd/network",
    "/lib/systemd/network",
    "/usr/lib/systemd/network",
    "/etc/netplan",
    "/lib/netplan",
    "/usr/lib/netplan",
)
_SD_WATCH = (
    "/etc/systemd/*",
    "/etc/systemd/system/*",
    "/etc/systemd/system/*/*",
    *(f"{d}/{u}" for d in _UNIT_DIRS for u in _UNITS.split()),
    *(f"{d}/*" for d in _SD_NET_DIRS),
)

PROBES: tuple[Probe, ...] = (
    Probe(
        name="services.paths",
        area="services",
        script=_PATHS_SCRIPT,
        doc="sshd/dropbear installed, OpenRC vs baselayout-1 markers, inittab, ifupdown config",
        cap_bytes=16384,
        paths=tuple(f"{d}/{n}" for d, names in _PATHS for n in names.split()),
        watch=("/etc/network/interfaces.d/*",),
    ),
    Probe(
        name="services.sd",
        area="services",
        script=_SYSTEMD_SCRIPT,
        doc="systemd next boot: /etc/systemd/system masks, aliases, *.wants; unit files; .network",
        cap_bytes=16384,
        paths=(
            "/etc/systemd/system/multi-user.target.wants",
            "/etc/systemd/system/sshd.service",
            *(f"{d}/{u}" for d in _UNIT_DIRS for u in _UNITS.split()),
        ),
        watch=_SD_WATCH,
    ),
    Probe(
        name="services.rc",
        area="services",
        script=_SYSV_SCRIPT,
        doc="sysv-rc next boot: S/K links in rcS.d and rc2..5.d, and whether their script exists",
        cap_bytes=16384,
        paths=(*(f"/etc/rc{r}.d" for r in "S2345"), "/etc/init.d/ssh", "/etc/sv/ssh"),
        watch=(*(f"/etc/rc{r}.d/*" for r in "S2345"), *_INITD_WATCH),
    ),
    Probe(
        name="services.rl",
        area="services",
        script=_OPENRC_SCRIPT,
        doc="OpenRC / baselayout-1 next boot: /etc/runlevels, and init-script interpreters",
        cap_bytes=65536,
        paths=("/etc/runlevels/default", "/etc/runlevels/boot", "/etc/init.d/sshd"),
        watch=("/etc/runlevels/*", "/etc/runlevels/*/*", *_INITD_WATCH),
    ),
    Probe(
        name="services.runit",
        area="services",
        script=_RUNIT_SCRIPT,
        doc="runit next boot: /etc/runit/runsvdir/default (Void's /var/service), /etc/service",
        cap_bytes=16384,
        watch=("/etc/runit/runsvdir/default/*", "/etc/service/*", "/etc/rc.local", *_INITD_WATCH),
    ),
    Probe(
        name="services.runtime",
        area="services",
        script=_RUNTIME_SCRIPT,
        doc="health now: systemctl (only when booted with systemd), /run/openrc state dirs;"
        " every refresh, no fingerprint stands for a service's state",
        timeout_s=5,
        cap_bytes=65536,
    ),
    # sshd will start at the next boot: its config, host keys, start files (probes/sshd.py)
    *sshd.PROBES,
    # health without systemd: daemons dead with their pid file kept (probes/pidfiles.py)
    *pidfiles.PROBES,
)

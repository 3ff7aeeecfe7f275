"""sshd probes: the configuration as sshd reads it, its host keys, and what starts it.

`services.sshd` (every refresh, no process at all) walks /etc/ssh/sshd_config and every
file its `Include` lines name (relative patterns under /etc/ssh, globbed inside ROOT and
sorted, as sshd's glob(3) does). The shell's own `read` reads each file once: it sends the
lines and notes `Include` and `HostKey` on the way. Host keys are tested with shell tests
only (`-s` needs no read permission: an unprivileged user can tell an empty or missing key
from a good one). Live, it also asks whether the sshd that runs now started after every
one of those files last changed (`-nt` against its pid file): then that sshd loaded this
very configuration and these keys, which proves them better than any static check.

Sections:
- `services.sshd.cfg:PATH`: a configuration file's lines (capped; state as open_file).
- `services.sshd.glob:PATTERN`: one line per match, `<kind> <path>` with kind f (file),
  d (directory), l (dangling link), ? (other), u (unprintable name); state `error` when
  the pattern has wildcards in a directory component (not expanded here), `absent` when
  its directory does not exist.
- `services.sshd.keys`: `<state> <path>` per host key (sshd's defaults and every HostKey
  line's path), plus `stop present /etc/ssh/sshd_not_to_be_run` (Debian's off switch).
- `services.sshd.running` (live): `pid N sshd|other|gone`, then `newer PATH` for
  /etc/ssh, each configuration file, Include directory or key (and, when sshd_config
  cannot be read, as on Fedora without root, everything in sshd_config.d) not older than
  /run/sshd.pid (busybox compares whole seconds: the same second counts as newer);
  absent when sshd writes no pid file there (not running, or a PidFile elsewhere).

`services.sshd.slow` (every 6th refresh, always in `cockpit check`): the files that start
sshd (unit files and drop-ins, init scripts, /etc/conf.d/sshd, runit run scripts: they
say whether missing keys are generated at boot) in ONE `emit_files` (one awk), the sshd
binary's release string (one `grep`, offline too: it reads a file, runs nothing) and,
live, as root, and only when sshd is not running or something changed since it started,
`sshd -t` itself (the host's own sshd; its stderr is the answer). When nothing changed,
it says `cockpit: not run: ...` instead: the running sshd already loaded these files.
Never offline: that would be this machine's sshd judging another's files.
"""

from cockpit.probes.base import Probe

#: Unit files whose text tells what starts sshd and whether keys are generated first.
UNITS = (
    "ssh.service sshd.service ssh@.service sshd@.service ssh.socket sshd.socket "
    "sshd-keygen.target sshd-keygen@.service sshd-keygen.service sshdgenkeys.service"
)
UNIT_DIRS = (
    "/etc/systemd/system",
    "/usr/local/lib/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
)
#: Init scripts, OpenRC settings and runit run scripts that start sshd.
START_FILES = (
    "/etc/init.d/ssh",
    "/etc/init.d/sshd",
    "/etc/conf.d/sshd",
    "/etc/sv/ssh/run",
    "/etc/sv/sshd/run",
)
DEFAULT_KEYS = (
    "/etc/ssh/ssh_host_rsa_key",
    "/etc/ssh/ssh_host_ecdsa_key",
    "/etc/ssh/ssh_host_ed25519_key",
    "/etc/ssh/ssh_host_dsa_key",  # a default before OpenSSH 7.0
)

_SCAN = r"""
ssh_q=/etc/ssh/sshd_config ssh_seen= ssh_keys= ssh_kseen= ssh_n=0 ssh_watch=
ssh_nl='
'
ssh_word() {
	ssh_w=$1
	case $ssh_w in \"*\") ssh_w=${ssh_w#\"}; ssh_w=${ssh_w%\"} ;; esac
}
ssh_inc() {
	set -f
	for ssh_p in $1; do
		case $ssh_p in '#'*) break ;; esac
		ssh_word "$ssh_p"
		ssh_p=$ssh_w
		case $ssh_p in /*) ;; '~'*) continue ;; *) ssh_p=/etc/ssh/$ssh_p ;; esac
		case "$ssh_nl$ssh_seen" in *"$ssh_nl=$ssh_p$ssh_nl"*) continue ;; esac
		ssh_seen="$ssh_seen=$ssh_p$ssh_nl"
		ssh_glob "$ssh_p"
	done
	set +f
}
ssh_glob() {
	ssh_gd=${1%/*} ssh_gb=${1##*/}
	_begin "services.sshd.glob:$1"
	case $ssh_gd in
	*[*?[]*) _end 0 error "services.sshd.glob:$1"; return 0 ;;
	esac
	# the directory's own state: absent (sshd's glob matches nothing) or why it is unknown
	if ! open_dir "${ssh_gd:-/}"; then
		_end 0 "$_DS" "services.sshd.glob:$1"
		return 0
	fi
	ssh_gp=$_P ssh_gr=$_R
	ssh_watch="$ssh_watch$ssh_gp$ssh_nl"
	set +f
	for ssh_f in "$ssh_gp"/$ssh_gb; do
		[ -L "$ssh_f" ] || [ -e "$ssh_f" ] || continue
		ssh_fb=${ssh_f##*/}
		if ! _printable "$ssh_fb"; then printf 'u ?\n'; continue; fi
		ssh_fq="$ssh_gd/$ssh_fb"
		# each match resolved inside ROOT: a link that leads nowhere (or loops) is `l`
		if ! _inroot_at "$ssh_gr" "$ssh_fb"; then
			case $_RS in
			dangling | loop | absent) printf 'l %s\n' "$ssh_fq" ;;
			*) printf '? %s\n' "$ssh_fq" ;;
			esac
		elif [ -d "$_P" ]; then
			printf 'd %s\n' "$ssh_fq"
		elif [ -f "$_P" ]; then
			printf 'f %s\n' "$ssh_fq"
			ssh_q="$ssh_q${ssh_q:+$ssh_nl}$ssh_fq"
		else
			printf '? %s\n' "$ssh_fq"
		fi
	done
	set -f
	_end 0 ok "services.sshd.glob:$1"
}
ssh_key() {
	set -f
	for ssh_p in $1; do
		ssh_word "$ssh_p"
		case $ssh_w in
		'#'*) ;;
		/*) ssh_keys="$ssh_keys$ssh_w$ssh_nl" ;;
		*) ssh_keys="$ssh_keys/$ssh_w$ssh_nl" ;;
		esac
		break
	done
	set +f
}
while [ -n "$ssh_q" ] && [ "$ssh_n" -lt 32 ]; do
	ssh_c=${ssh_q%%"$ssh_nl"*}
	case $ssh_q in *"$ssh_nl"*) ssh_q=${ssh_q#*"$ssh_nl"} ;; *) ssh_q= ;; esac
	ssh_n=$((ssh_n + 1))
	[ -n "$ssh_c" ] || continue
	_begin "services.sshd.cfg:$ssh_c"
	if ! open_file "$ssh_c"; then
		_end 0 "$_ST" "services.sshd.cfg:$ssh_c"
		[ "$_ST" = denied ] || continue
		ssh_watch="$ssh_watch$_P$ssh_nl"
		[ "$ssh_c" = /etc/ssh/sshd_config ] && open_dir /etc/ssh/sshd_config.d || continue
		ssh_watch="$ssh_watch$_P$ssh_nl"
		ssh_gr=$_R
		for ssh_f in "$_P"/*; do
			_printable "$ssh_f" && _inroot_at "$ssh_gr" "${ssh_f##*/}" &&
				ssh_watch="$ssh_watch$_P$ssh_nl"
		done
		continue
	fi
	ssh_watch="$ssh_watch$_P$ssh_nl"
	ssh_todo= ssh_sz=0
	while IFS= read -r ssh_l || [ -n "$ssh_l" ]; do
		printf '%s\n' "$ssh_l"
		ssh_sz=$((ssh_sz + ${#ssh_l} + 1))
		[ "$ssh_sz" -le "$CAP" ] || break
		ssh_l=${ssh_l#"${ssh_l%%[![:space:]]*}"}
		case $ssh_l in
		[Ii][Nn][Cc][Ll][Uu][Dd][Ee][[:space:]=]*) ssh_l=${ssh_l#???????} ssh_t=inc ;;
		[Hh][Oo][Ss][Tt][Kk][Ee][Yy][[:space:]=]*) ssh_l=${ssh_l#???????} ssh_t=key ;;
		[Hh][Oo][Ss][Tt][Dd][Ss][Aa][Kk][Ee][Yy][[:space:]=]*)
			ssh_l=${ssh_l#??????????} ssh_t=key
			;;
		*) continue ;;
		esac
		ssh_l=${ssh_l#"${ssh_l%%[![:space:]=]*}"}
		if [ "$ssh_t" = inc ]; then ssh_todo="$ssh_todo$ssh_l$ssh_nl"; else ssh_key "$ssh_l"; fi
	done <"$_P"
	_end 0 ok "services.sshd.cfg:$ssh_c"
	while [ -n "$ssh_todo" ]; do
		ssh_inc "${ssh_todo%%"$ssh_nl"*}"
		ssh_todo=${ssh_todo#*"$ssh_nl"}
	done
done
set -f
_begin services.sshd.keys
for ssh_k in @DEFAULT_KEYS@ $ssh_keys; do
	case "$ssh_nl$ssh_kseen" in *"$ssh_nl$ssh_k$ssh_nl"*) continue ;; esac
	ssh_kseen="$ssh_kseen$ssh_k$ssh_nl"
	_printable "$ssh_k" || { printf 'unprintable ?\n'; continue; }
	if ! _inroot "$ssh_k"; then ssh_s=$_RS
	elif [ -f "$_P" ]; then
		ssh_watch="$ssh_watch$_P$ssh_nl"
		if [ -s "$_P" ]; then ssh_s=ok; else ssh_s=empty; fi
	elif [ -e "$_P" ]; then ssh_s=notfile
	else ssh_s=absent
	fi
	printf '%s %s\n' "$ssh_s" "$ssh_k"
done
if _inroot /etc/ssh/sshd_not_to_be_run && [ -e "$_P" ]; then
	printf 'stop present /etc/ssh/sshd_not_to_be_run\n'
fi
_end 0 ok services.sshd.keys
ssh_changed=unknown
if [ "$MODE" = live ]; then
	_begin services.sshd.running
	ssh_st=absent
	if [ -f /run/sshd.pid ]; then
		ssh_st=ok ssh_pid= ssh_comm=
		IFS= read -r ssh_pid </run/sshd.pid || :
		case $ssh_pid in '' | *[!0-9]*) ssh_pid=0 ;; esac
		if [ -r "/proc/$ssh_pid/comm" ]; then
			IFS= read -r ssh_comm <"/proc/$ssh_pid/comm" || :
			[ "$ssh_comm" = sshd ] || ssh_comm=other
		else
			ssh_comm=gone
		fi
		printf 'pid %s %s\n' "$ssh_pid" "$ssh_comm"
		if [ "$ssh_comm" = sshd ]; then
			# POSIX test(1) has no -ot: `find PIDFILE -newer F` prints the pid file when
			# it is newer than F (sshd started after F last changed). One find asks it of
			# every file at once; only if that fails, one per file says which changed. No
			# find (or F gone): changed, so that nothing is taken as loaded that was not.
			ssh_ifs=$IFS
			IFS=$ssh_nl
			# shellcheck disable=SC2086 # one path a line (IFS), globbing off: split on purpose
			set -- /etc/ssh $ssh_watch
			IFS=$ssh_ifs
			ssh_k=$#
			for ssh_f do set -- "$@" -newer "$ssh_f"; done
			shift "$ssh_k"
			ssh_changed=no
			if [ -z "$(find /run/sshd.pid "$@" 2>/dev/null)" ]; then
				for ssh_f do
					[ "$ssh_f" != -newer ] || continue
					[ -n "$(find /run/sshd.pid -newer "$ssh_f" 2>/dev/null)" ] && continue
					printf 'newer %s\n' "$ssh_f"
					ssh_changed=yes
				done
			fi
		fi
	fi
	_end 0 "$ssh_st" services.sshd.running
fi
set +f
"""

_OPENSSH_RELEASE = r"OpenSSH_[0-9]\{1,2\}\.[0-9]\{1,2\}p[0-9]\{1,2\}"
_SLOW = r"""
ssh_dseen= ssh_nl='
'
set --
for ssh_d in @UNIT_DIRS@; do
	open_dir "$ssh_d" || continue
	ssh_dp=$_P ssh_dr=$_R
	case "$ssh_nl$ssh_dseen" in *"$ssh_nl$ssh_dr$ssh_nl"*) continue ;; esac
	ssh_dseen="$ssh_dseen$ssh_dr$ssh_nl"
	for ssh_u in @UNITS@; do
		[ "$ssh_d" = /etc/systemd/system ] && [ -L "$ssh_dp/$ssh_u" ] && continue
		_inroot_at "$ssh_dr" "$ssh_u" && [ -f "$_P" ] || continue
		set -- "$@" "services.sshd.unit:$ssh_d/$ssh_u" "$ssh_d/$ssh_u"
	done
	for ssh_u in ssh.service sshd.service; do
		_inroot_at "$ssh_dr" "$ssh_u.d" && [ -d "$_P" ] || continue
		ssh_wr=$_R
		for ssh_f in "$_P"/*.conf; do
			ssh_fb=${ssh_f##*/}
			_printable "$ssh_fb" || continue
			_inroot_at "$ssh_wr" "$ssh_fb" && [ -f "$_P" ] || continue
			ssh_f="$ssh_d/$ssh_u.d/$ssh_fb"
			set -- "$@" "services.sshd.unit:$ssh_f" "$ssh_f"
		done
	done
done
for ssh_f in @START_FILES@; do
	_inroot "$ssh_f" && [ -f "$_P" ] && set -- "$@" "services.sshd.unit:$ssh_f" "$ssh_f"
done
emit_files "$@"
ssh_b=
for ssh_c in /usr/sbin/sshd /usr/bin/sshd /sbin/sshd /usr/local/sbin/sshd; do
	if _inroot "$ssh_c" && [ -f "$_P" ]; then ssh_b=$_P ssh_bn=$ssh_c; break; fi
done
_begin services.sshd.version
ssh_st=absent
if [ -n "$ssh_b" ]; then
	if [ -r "$ssh_b" ]; then
		printf '%s ' "$ssh_bn"
		# capped: a sshd is about 1 MB, and grep would hold a huge file's one long line
		head -c 8388608 -- "$ssh_b" 2>/dev/null |
			$_TO ${_TO:+"$TMO"} grep -a -o -m 1 '@RELEASE@' 2>/dev/null
		ssh_st=ok
	else
		ssh_st=denied
	fi
fi
_end 0 "$ssh_st" services.sshd.version
_begin services.sshd.test
ssh_rc=0 ssh_st=offline
if [ "$MODE" = live ]; then
	ssh_st=denied
	# shellcheck disable=SC2034 # ssh_r: the rest of the line, read only to leave it out
	while read -r ssh_k ssh_v ssh_r; do
		case $ssh_k in Uid:) [ "$ssh_v" = 0 ] && ssh_st=root; break ;; esac
	done </proc/self/status
	if [ -z "$ssh_b" ]; then
		ssh_st=nocmd
	elif [ "$ssh_st" = root ] && [ "${ssh_changed:-unknown}" = no ]; then
		ssh_st=ok
		printf 'cockpit: not run: nothing changed since the running sshd started\n'
	elif [ "$ssh_st" = root ]; then
		{ ssh_rc=$({ {
			$_TO ${_TO:+"$TMO"} "$ssh_b" -t </dev/null 2>&1 3>&- 4>&-
			echo "$?" >&3
		} | head -c "$((CAP + 1))" >&4; } 3>&1); } 4>&1
		case $ssh_rc in 0) ssh_st=ok ;; 124 | 143) ssh_st=timeout ;; *) ssh_st=error ;; esac
	fi
fi
_end "$ssh_rc" "$ssh_st" services.sshd.test
# The admin's own units (regular files in /etc/systemd/system) that run ssh-keygen: one
# may regenerate deleted host keys at boot. Lines: `unit.service:ExecStart=...`. One
# capped `head` and one awk for all of them ($_MK makes head's headers unforgeable); at
# most 200 units, then `cut TOTAL KEPT`.
_begin services.sshd.keygen
ssh_st=absent
if open_dir /etc/systemd/system; then
	ssh_ud=$_P ssh_t=0 ssh_k=0
	set --
	for ssh_f in "$ssh_ud"/*.service; do
		[ ! -L "$ssh_f" ] && [ -f "$ssh_f" ] || continue
		ssh_t=$((ssh_t + 1))
		_printable "${ssh_f##*/}" && [ "$ssh_k" -lt 200 ] || continue
		set -- "$@" "/$_MK${ssh_f#/}"
		ssh_k=$((ssh_k + 1))
	done
	if [ "$#" -gt 0 ]; then
		head -c 65536 -v -- "$@" 2>/dev/null | _FM="==> /$_MK" awk '
			index($0, ENVIRON["_FM"]) == 1 && / <==$/ {
				n = split(substr($0, 1, length($0) - 4), part, "/"); f = part[n]; next
			}
			f != "" && $0 ~ "Exec.*=.*sshd?-keygen" { print f ":" $0 }' | head -c "$((CAP + 1))"
	fi
	_cut ok "$ssh_t" "$ssh_k"
	ssh_st=$_CS
fi
_end 0 "$ssh_st" services.sshd.keygen
"""


def _fill(script: str) -> str:
    return (
        script.replace("@DEFAULT_KEYS@", " ".join(DEFAULT_KEYS))
        .replace("@UNIT_DIRS@", " ".join(UNIT_DIRS))
        .replace("@UNITS@", UNITS)
        .replace("@START_FILES@", " ".join(START_FILES))
        .replace("@RELEASE@", _OPENSSH_RELEASE)
    )


PROBES: tuple[Probe, ...] = (
    Probe(
        name="services.sshd",
        area="services",
        script=_fill(_SCAN),
        doc="sshd_config and its Includes as sshd reads them, host keys, unchanged since start",
        cap_bytes=65536,
        # the files its config names are in its sections (cadence.named_paths); the
        # running sshd: its pid file (a restart rewrites it)
        watch=("/etc/ssh/*", "/etc/ssh/sshd_config.d/*"),
        # live only: the running sshd's name, by the pid its pid file holds
        paths=("/proc/1/comm",),
    ),
    Probe(
        name="services.sshd.slow",
        area="services",
        script=_fill(_SLOW),
        doc="sshd's start files, its release (binary string), live as root `sshd -t`",
        timeout_s=5,
        cap_bytes=65536,
        # `sshd -t` also wants its privilege separation directory
        watch=(
            *(
                f"{d}/ssh*"
                for d in (
                    "/etc/systemd/system",
                    "/lib/systemd/system",
                    "/usr/lib/systemd/system",
                    "/usr/local/lib/systemd/system",
                )
            ),
            "/etc/systemd/system/*.service",
            "/etc/ssh/*",
            "/run/sshd",
        ),
        steady=("/proc/self/status",),
        every=6,
    ),
)

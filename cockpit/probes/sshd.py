"""sshd probes: the configuration as sshd reads it, its host keys, and what starts it.

`services.sshd` walks /etc/ssh/sshd_config and every file its `Include` lines name
(relative patterns under /etc/ssh, globbed inside ROOT and sorted, as sshd's glob(3)
does), reading lines with the shell's own `read` to find `Include` and `HostKey`; then
ONE `emit_files` (one awk) sends every configuration file together with the files that
start sshd (unit files, init scripts, runit run scripts), which say whether missing host
keys are generated at boot. Host keys are tested with shell tests only (`-s` needs no
read permission: an unprivileged user can tell an empty or missing key from a good one).
Cost: no process but that one awk.

Sections:
- `services.sshd.glob:PATTERN`: one line per match, `<kind> <path>` with kind f (file),
  d (directory), l (dangling link), ? (other), u (unprintable name); state `error` when
  the pattern has wildcards in a directory component (not expanded here), `absent` when
  its directory does not exist.
- `services.sshd.cfg:PATH` / `services.sshd.unit:PATH`: file contents (emit_files).
- `services.sshd.keys`: `<state> <path>` per host key (sshd's defaults and every HostKey
  line's path), plus `stop <state> /etc/ssh/sshd_not_to_be_run` (Debian's off switch).

`services.sshd.slow` (every 6th refresh, and always in `cockpit check`): the sshd
binary's release string (one `grep`, offline too: it reads a file, runs nothing) and,
live and only as root, `sshd -t` itself (a process of the host's own sshd; its stderr is
the answer). Never offline: it would be this machine's sshd judging another's files.
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

_SCAN = (
    r"""
ssh_q=/etc/ssh/sshd_config ssh_seen= ssh_args= ssh_keys= ssh_kseen= ssh_dseen= ssh_n=0
ssh_nl='
'
ssh_word() {
	ssh_w=$1
	case $ssh_w in \"*\") ssh_w=${ssh_w#\"}; ssh_w=${ssh_w%\"} ;; esac
}
ssh_arg() { ssh_args="$ssh_args services.sshd.$1:$2 $2"; }
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
	if ! _inroot "${ssh_gd:-/}" || [ ! -d "$_P" ]; then
		_end 0 absent "services.sshd.glob:$1"
		return 0
	fi
	ssh_gp=$_P
	set +f
	for ssh_f in "$ssh_gp"/$ssh_gb; do
		[ -e "$ssh_f" ] || [ -L "$ssh_f" ] || continue
		ssh_fb=${ssh_f##*/}
		if ! _printable "$ssh_fb"; then printf 'u ?\n'; continue; fi
		ssh_fq="$ssh_gd/$ssh_fb"
		if [ -L "$ssh_f" ] && ! { _inroot "$ssh_fq" && [ -e "$_P" ]; }; then
			printf 'l %s\n' "$ssh_fq"
		elif [ -d "$ssh_f" ]; then
			printf 'd %s\n' "$ssh_fq"
		elif [ -f "$ssh_f" ] || { [ -L "$ssh_f" ] && [ -f "$_P" ]; }; then
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
	ssh_arg cfg "$ssh_c"
	open_file "$ssh_c" || continue
	while IFS= read -r ssh_l || [ -n "$ssh_l" ]; do
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
		if [ "$ssh_t" = inc ]; then ssh_inc "$ssh_l"; else ssh_key "$ssh_l"; fi
	done <"$_P"
done
for ssh_d in @UNIT_DIRS@; do
	_inroot "$ssh_d" && [ -d "$_P" ] || continue
	ssh_dp=$_P
	case "$ssh_nl$ssh_dseen" in *"$ssh_nl$ssh_dp$ssh_nl"*) continue ;; esac
	ssh_dseen="$ssh_dseen$ssh_dp$ssh_nl"
	for ssh_u in @UNITS@; do
		[ -f "$ssh_dp/$ssh_u" ] || continue
		[ "$ssh_d" = /etc/systemd/system ] && [ -L "$ssh_dp/$ssh_u" ] && continue
		ssh_arg unit "$ssh_d/$ssh_u"
	done
	for ssh_u in ssh.service sshd.service; do
		[ -d "$ssh_dp/$ssh_u.d" ] || continue
		for ssh_f in "$ssh_dp/$ssh_u.d"/*.conf; do
			[ -f "$ssh_f" ] && _printable "${ssh_f##*/}" || continue
			ssh_arg unit "$ssh_d/$ssh_u.d/${ssh_f##*/}"
		done
	done
done
for ssh_f in @START_FILES@; do
	_inroot "$ssh_f" && [ -f "$_P" ] && ssh_arg unit "$ssh_f"
done
set -f
_begin services.sshd.keys
for ssh_k in @DEFAULT_KEYS@ $ssh_keys; do
	case "$ssh_nl$ssh_kseen" in *"$ssh_nl$ssh_k$ssh_nl"*) continue ;; esac
	ssh_kseen="$ssh_kseen$ssh_k$ssh_nl"
	_printable "$ssh_k" || { printf 'unprintable ?\n'; continue; }
	if ! _inroot "$ssh_k"; then ssh_s=$_RS
	elif [ -f "$_P" ]; then
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
emit_files $ssh_args
set +f
""".replace("@UNIT_DIRS@", " ".join(UNIT_DIRS))
    .replace("@UNITS@", UNITS)
    .replace("@START_FILES@", " ".join(START_FILES))
    .replace("@DEFAULT_KEYS@", " ".join(DEFAULT_KEYS))
)

_OPENSSH_RELEASE = r"OpenSSH_[0-9]\{1,2\}\.[0-9]\{1,2\}p[0-9]\{1,2\}"
_SLOW = r"""
ssh_b=
for ssh_c in /usr/sbin/sshd /usr/bin/sshd /sbin/sshd /usr/local/sbin/sshd; do
	if _inroot "$ssh_c" && [ -f "$_P" ]; then ssh_b=$_P ssh_bn=$ssh_c; break; fi
done
_begin services.sshd.version
ssh_st=absent
if [ -n "$ssh_b" ]; then
	if [ -r "$ssh_b" ]; then
		printf '%s ' "$ssh_bn"
		$_TO ${_TO:+"$TMO"} grep -a -o -m 1 '@RELEASE@' "$ssh_b" 2>/dev/null
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
	while read -r ssh_k ssh_v ssh_r; do
		case $ssh_k in Uid:) [ "$ssh_v" = 0 ] && ssh_st=root; break ;; esac
	done </proc/self/status
	if [ -z "$ssh_b" ]; then
		ssh_st=nocmd
	elif [ "$ssh_st" = root ]; then
		{ ssh_rc=$({ {
			$_TO ${_TO:+"$TMO"} "$ssh_b" -t </dev/null 2>&1 3>&- 4>&-
			echo "$?" >&3
		} | head -c "$((CAP + 1))" >&4; } 3>&1); } 4>&1
		case $ssh_rc in 0) ssh_st=ok ;; 124 | 143) ssh_st=timeout ;; *) ssh_st=error ;; esac
	fi
fi
_end "$ssh_rc" "$ssh_st" services.sshd.test
""".replace("@RELEASE@", _OPENSSH_RELEASE)

PROBES: tuple[Probe, ...] = (
    Probe(
        name="services.sshd",
        area="services",
        script=_SCAN,
        doc="sshd_config and its Includes as sshd reads them, host keys, sshd's start files",
        cap_bytes=65536,
    ),
    Probe(
        name="services.sshd.slow",
        area="services",
        script=_SLOW,
        doc="sshd's release (binary string) and, live as root only, `sshd -t`",
        timeout_s=5,
        cap_bytes=8192,
        every=6,
    ),
)

"""Service health where PID 1 keeps no service state: daemons gone but their pid file kept.

sysvinit knows nothing of the daemons its rc scripts start; the LSB answer is `status`
exit 1, "program is dead and /var/run pid file exists". Asking every init script is a
process each; the pid files alone answer it for free: one shell `read` per
/run/*.pid and /run/*/*.pid and a `[ -d /proc/PID ]`, no process at all. Together with
the runlevel sysvinit records in utmp (the init probe's `runlevel`), that is sysvinit's
cheap health signal. Live only (a disk's /run is a leftover), and only when systemd is
not PID 1 (systemctl answers there).

`services.pidfiles`: one line per pid file, `<alive|dead|bad|denied> <pid|-> <path>`.
"""

from cockpit.probes.base import Probe

_SCRIPT = r"""
if [ "$MODE" = live ] && [ ! -d /run/systemd/system ]; then
	_begin services.pidfiles
	pf_k=0
	for pf_f in /run/*.pid /run/*/*.pid; do
		[ -f "$pf_f" ] && _printable "$pf_f" || continue
		pf_k=$((pf_k + 1))
		[ "$pf_k" -le 200 ] || break
		if [ ! -r "$pf_f" ]; then
			printf 'denied - %s\n' "$pf_f"
			continue
		fi
		pf_p=
		IFS= read -r pf_p <"$pf_f" || :
		pf_p=${pf_p#"${pf_p%%[![:space:]]*}"}
		pf_p=${pf_p%%[![:digit:]]*}
		if [ -z "$pf_p" ]; then
			printf 'bad - %s\n' "$pf_f"
		elif [ -d "/proc/$pf_p" ]; then
			printf 'alive %s %s\n' "$pf_p" "$pf_f"
		else
			printf 'dead %s %s\n' "$pf_p" "$pf_f"
		fi
	done
	_end 0 ok services.pidfiles
fi
"""

PROBES: tuple[Probe, ...] = (
    Probe(
        name="services.pidfiles",
        area="services",
        script=_SCRIPT,
        doc="daemons gone but their /run pid file kept (LSB status 1), live, without systemd",
        cap_bytes=16384,
        paths=("/proc/1",),
    ),
)

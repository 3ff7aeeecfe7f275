"""Packages probes: which package managers are here, and is any of them mid-change.

Cost matters: these run on every refresh of every host (about 1 ms per process started):
- dpkg's status file (0.6-3 MB) is never shipped: ONE grep keeps the Status lines of
  packages not in a final state, with the lines around them (Package, Version). On a
  healthy host it prints nothing (grep's exit 1 is that case, not an error);
- logs are read from their tail (`tail -c`), never whole; dpkg.log only when the status
  file shows something half-done;
- each family's files are read only when its database directory exists;
- lock holders: the lock files' inodes (one `stat`) matched against /proc/locks, and the
  holders' /proc/<pid>/comm, read with shell builtins (live mode only). `pidof` runs only
  when a cheap signal calls for it (pacman's db.lck exists, portage has a resume list).

Logs are read with the prelude's `emit_tail`; files read another way (grep) go through its
`open_file`, so an offline root's file is read, never this machine's.
"""

from cockpit.distros import MANAGERS
from cockpit.probes.base import Probe

# Helpers, each probe carrying the ones it uses (a probe must run alone: the bench does).
# Map the prelude's open_file (sets _P/_ST) onto this module's names.
_OPEN = r"""
pk_open() {
	open_file "$1"
	pk_rc=$?
	pk_p=$_P pk_st=$_ST
	return "$pk_rc"
}
"""

# The dpkg status file through one grep: only Status lines of packages NOT in a final
# state, with the 8 lines before them (where Package is). grep exits 1 on no match: that
# is the healthy case, not an error. Sets pk_bad=1 when something was found.
_DPKG_STATUS = r"""
pk_dpkg_status() {
	_begin packages.dpkg-status
	pk_rc=0 pk_bad=
	if pk_open /var/lib/dpkg/status; then
		pk_re='half-installed|unpacked|half-configured|triggers-awaited|triggers-pending'
		pk_re="^Status: [a-z]+ ([a-z]+ ($pk_re)|(reinstreq|hold-reinstreq) [a-z-]+)\$"
		pk_out=$(head -c 67108864 -- "$pk_p" 2>/dev/null | grep -E -B8 -A12 "$pk_re" 2>/dev/null)
		pk_rc=$?
		case $pk_rc in
		0) pk_bad=1; printf '%s\n' "$pk_out" | head -c "$((CAP + 1))" ;;
		1) pk_rc=0 ;;
		*) pk_st=error ;;
		esac
	fi
	_end "$pk_rc" "$pk_st" packages.dpkg-status
}
"""

_GLOBS = r"""
pk_globs() {
	pk_n=$1
	_begin "$pk_n"
	if open_dir "$2"; then
		pk_p=$_P
		shift 2
		for pk_g in "$@"; do
			for pk_f in "$pk_p"/$pk_g; do
				[ -L "$pk_f" ] || [ -e "$pk_f" ] || continue
				pk_b=${pk_f##*/}
				_printable "$pk_b" && printf '%s\n' "$pk_b"
			done
		done
	fi
	_end 0 "$_DS" "$pk_n"
}
"""

# Every manager's database paths, in the table's order (cockpit/distros).
_PRESENT = (
    r"""
_begin packages.present
for pk_m in """
    + " ".join(f"{m.name}:{path}" for m in MANAGERS for path in m.database)
    + r"""; do
	if _exists "${pk_m#*:}"; then
		printf '%s %s\n' "${pk_m%%:*}" "${pk_m#*:}"
	fi
done
_end 0 ok packages.present
"""
)

# The case patterns are every manager's config-merge globs (cockpit/distros), on the
# file name: `*/` in front anchors one that does not start with `*` to it.
# /etc/* then /etc/*/* (directories of /etc that are links are not looked into: a glob
# through them would list wherever the kernel goes), then etc-update's ._cfg0000_* dot
# files (which `*` skips) on Gentoo only. More than 200 matches: `cut`. The match is
# inline in each loop (a function call per entry of /etc/*/* costs a millisecond).
_MERGE_GLOBS = " | ".join(
    c.glob if c.glob.startswith("*") else "*/" + c.glob for m in MANAGERS for c in m.config_merges
)


def _merge_loop(glob: str, name: str, tabs: int, then: str = "") -> str:
    """`for pk_f in GLOB`: count and print each config-merge file as NAME; THEN runs for
    every entry after the match (the directory collection of the first walk)."""
    t = "\t" * tabs
    return (
        f"{t}for pk_f in {glob}; do\n"
        f"{t}\tcase $pk_f in\n"
        f"{t}\t{_MERGE_GLOBS})\n"
        f"{t}\t\tpk_b={name}\n"
        f"{t}\t\tcase $pk_b in *[![:graph:]]*) ;; *)\n"
        f"{t}\t\t\tpk_t=$((pk_t + 1))\n"
        f'{t}\t\t\t[ "$pk_k" -ge 200 ] || {{ printf \'%s\\n\' "$pk_b"; pk_k=$((pk_k + 1)); }}\n'
        f"{t}\t\tesac\n"
        f"{t}\t\t;;\n"
        f"{t}\tesac\n" + (f"{t}\t{then}\n" if then else "") + f"{t}done\n"
    )


_CONFMERGE = (
    r"""
_begin packages.confmerge
pk_k=0 pk_t=0 pk_st=ok
if open_dir /etc; then
	pk_ep=$_P
	pk_dot=
	_exists /var/db/pkg && pk_dot=1
	pk_subs=
"""
    # one walk of /etc: its matches, and its real directories (no link) for the next
    + _merge_loop(
        '"$pk_ep"/*',
        '"/etc/${pk_f##*/}"',
        1,
        '[ ! -L "$pk_f" ] && [ -d "$pk_f" ] && pk_subs="$pk_subs$_NL${pk_f##*/}"',
    )
    + r"""	[ -z "$pk_dot" ] || {
"""
    + _merge_loop('"$pk_ep"/._cfg*', '"/etc/${pk_f##*/}"', 1)
    + r"""	}
	pk_ifs=$IFS
	for pk_g in '*' '._cfg*'; do
		[ "$pk_g" = '*' ] || [ -n "$pk_dot" ] || break
		IFS=$_NL
		set -f
		for pk_d in $pk_subs; do # one name a line, expanded before the body runs
			IFS=$pk_ifs
			set +f
"""
    + _merge_loop('"$pk_ep/$pk_d"/$pk_g', '"/etc/$pk_d/${pk_f##*/}"', 3)
    + r"""		done
		set +f
		IFS=$pk_ifs
	done
	_cut ok "$pk_t" "$pk_k"
	pk_st=$_CS
else
	pk_st=$_DS
fi
_end 0 "$pk_st" packages.confmerge
"""
)

# Live only: stat the lock files (one process), keep the /proc/locks lines on their
# inodes, and name the holders from /proc/<pid>/comm (shell builtins, no process).
# Arguments: lock paths, or `pid=PATH` for PID files. Lines out: `file DEV INO PATH`,
# `lock <a /proc/locks line>`, `pidfile PATH PID|?|denied`, `comm PID NAME`, `dead PID`.
_LOCKS = r"""
pk_locks() {
	_begin packages.locks
	if [ "$MODE" != live ]; then
		_end 0 offline packages.locks
		return 0
	fi
	pk_pids= pk_files=
	for pk_a in "$@"; do
		case $pk_a in
		pid=*)
			pk_f=${pk_a#pid=}
			[ -f "$pk_f" ] || continue
			if [ ! -r "$pk_f" ]; then echo "pidfile $pk_f denied"; continue; fi
			_slurp 64 "$pk_f" || continue
			pk_v=${_C%%"$_NL"*}
			while :; do
				case $pk_v in [' 	']*) pk_v=${pk_v#?} ;; *) break ;; esac
			done
			pk_v=${pk_v%%[' 	']*}
			case $pk_v in
			"" | *[!0-9]*) echo "pidfile $pk_f ?" ;;
			*) echo "pidfile $pk_f $pk_v"; pk_pids="$pk_pids $pk_v" ;;
			esac
			;;
		*) [ -e "$pk_a" ] && pk_files="$pk_files $pk_a" ;;
		esac
	done
	pk_inos=
	if [ -n "$pk_files" ]; then
		# shellcheck disable=SC2046,SC2086 # live paths of our own list: no blanks, split on purpose
		set -- $(stat -c '%d %i %n' $pk_files 2>/dev/null)
		while [ "$#" -ge 3 ]; do
			echo "file $1 $2 $3"
			pk_inos="$pk_inos $2"
			shift 3
		done
	fi
	if [ ! -r /proc/locks ]; then
		echo "proclocks unreadable"
	elif [ -n "$pk_inos" ]; then
		pk_k=0
		while IFS= read -r pk_l; do
			pk_k=$((pk_k + 1))
			[ "$pk_k" -le 5000 ] || break
			for pk_i in $pk_inos; do
				case "$pk_l " in
				*":$pk_i "*)
					echo "lock $pk_l"
					# shellcheck disable=SC2086 # a /proc/locks line: split into its fields
					set -- $pk_l
					[ "$2" = "->" ] && shift
					pk_pids="$pk_pids $5"
					break
					;;
				esac
			done
		done </proc/locks
	fi
	pk_seen= pk_k=0
	for pk_v in $pk_pids; do
		case $pk_v in "" | *[!0-9]*) continue ;; esac
		case " $pk_seen " in *" $pk_v "*) continue ;; esac
		pk_seen="$pk_seen $pk_v"
		pk_k=$((pk_k + 1))
		[ "$pk_k" -le 12 ] || break
		pk_c=
		if [ -r "/proc/$pk_v/comm" ] && read -r pk_c <"/proc/$pk_v/comm" 2>/dev/null; then
			echo "comm $pk_v $pk_c"
		else
			echo "dead $pk_v"
		fi
	done
	echo 'done'
	_end 0 ok packages.locks
}
"""

#: Every manager's lock files, then its PID files (cockpit/distros).
_LOCK_PATHS = (
    *(path for m in MANAGERS for path in m.locks),
    *(f"pid={pid.path}" for m in MANAGERS for pid in m.pidfiles),
)

_DPKG = r"""
if _isdir /var/lib/dpkg; then
	emit_ls packages.dpkg /var/lib/dpkg
	emit_ls packages.dpkg-updates /var/lib/dpkg/updates
	emit_ls packages.dpkg-triggers /var/lib/dpkg/triggers Unincorp
	if { open_file /var/lib/dpkg/triggers/Unincorp && [ -s "$_P" ]; } ||
		pk_open /var/run/unattended-upgrades.progress; then
		emit_files packages.dpkg-unincorp /var/lib/dpkg/triggers/Unincorp \
			packages.uu-progress /var/run/unattended-upgrades.progress
	fi
	pk_dpkg_status
	# a killed dpkg leaves its latest records in the journal, not in status: read them
	pk_args= pk_k=0
	open_dir /var/lib/dpkg/updates
	for pk_f in "$_P"/[0-9]*; do
		case ${pk_f##*/} in *[!0-9]*) continue ;; esac
		[ -L "$pk_f" ] || [ -f "$pk_f" ] || continue
		pk_k=$((pk_k + 1))
		[ "$pk_k" -le 40 ] || break
		pk_args="$pk_args packages.dpkg-journal:${pk_f##*/} /var/lib/dpkg/updates/${pk_f##*/}"
	done
	CAP=4096
	# shellcheck disable=SC2086 # section names and paths made of digits: split on purpose
	[ -z "$pk_args" ] || { pk_bad=1; emit_files $pk_args; }
	CAP=8192
	emit_tail packages.apt-history /var/log/apt/history.log
	[ -z "$pk_bad" ] || emit_tail packages.dpkg-log /var/log/dpkg.log
fi
"""

_RPM = r"""
if _isdir /var/lib/rpm || _isdir /usr/lib/sysimage/rpm; then
	emit_ls packages.yum /var/lib/yum 'transaction-*'
fi
"""

_PACMAN = r"""
if _isdir /var/lib/pacman; then
	emit_ls packages.pacman /var/lib/pacman
	emit_tail packages.pacman-log /var/log/pacman.log
	pk_globs packages.pacman-key /var/lib/pacman/local 'glibc-[0-9]*' 'musl-[0-9]*' \
		'systemd-[0-9]*' 'systemd-sysvcompat-[0-9]*' 'sysvinit-[0-9]*' 'openrc-[0-9]*' \
		'runit-[0-9]*' 's6-linux-init-[0-9]*' 'linux-[0-9]*' 'linux-lts-[0-9]*' \
		'mkinitcpio-[0-9]*'
	! _exists /var/lib/pacman/db.lck || emit_cmd packages.pidof-pacman pidof pacman
fi
"""

_PORTAGE = r"""
if _isdir /var/db/pkg; then
	emit_file packages.mtimedb /var/cache/edb/mtimedb
	emit_tail packages.emerge-log /var/log/emerge.log
	for pk_c in sys-apps sys-kernel sys-fs sys-libs sys-process; do
		emit_ls "packages.vdb:$pk_c" "/var/db/pkg/$pk_c"
	done
	if [ "$MODE" = live ] && open_file /var/cache/edb/mtimedb &&
		head -c 1048576 -- "$_P" 2>/dev/null | grep -q mergelist; then
		emit_cmd packages.pidof-emerge pidof emerge
	fi
fi
"""

# /lib/apk/db/triggers: one line per installed package that has triggers, its checksum
# then the paths it watches (apk-tools' apk_db_triggers_write); read with world in one awk.
_APK = r"""
if _isdir /lib/apk/db; then
	emit_ls packages.apk /lib/apk/db
	emit_files packages.apk-world /etc/apk/world packages.apk-triggers /lib/apk/db/triggers
fi
"""

# xbps's pkgdb through one grep: a state other than installed anywhere? Only then one awk
# prints `state STATE NAME PKGVER` for those packages. Packages are the top-level keys of
# the plist, their properties one tab deeper (proplib writes tabs, keys sorted).
_XBPS = r"""
if _isdir /var/db/xbps; then
	_begin packages.xbps-pkgdb
	pk_rc=0
	# read capped (64 MiB) before any tool sees it, as dpkg's status
	if pk_open /var/db/xbps/pkgdb-0.38.plist &&
		head -c 67108864 -- "$pk_p" 2>/dev/null |
		grep -q -E '<string>(unpacked|half-removed|broken)</string>' 2>/dev/null; then
		head -c 67108864 -- "$pk_p" 2>/dev/null | awk '
			/^\t<key>.*<\/key>$/ {
				name = $0; sub(/^\t<key>/, "", name); sub(/<\/key>$/, "", name)
				ver = ""; st = ""; want = ""; next
			}
			/^\t\t<key>pkgver<\/key>$/ { want = "v"; next }
			/^\t\t<key>state<\/key>$/ { want = "s"; next }
			want != "" && /^\t\t<string>.*<\/string>$/ {
				v = $0; sub(/^\t\t<string>/, "", v); sub(/<\/string>$/, "", v)
				if (want == "v") ver = v; else st = v
				want = ""; next
			}
			{ want = "" }
			/^\t<\/dict>$/ { if (st != "" && st != "installed") print "state", st, name, ver }
		' 2>/dev/null | head -c "$((CAP + 1))"
	fi
	_end "$pk_rc" "$pk_st" packages.xbps-pkgdb
fi
"""


def _locks_script() -> str:
    return _LOCKS + "pk_locks " + " ".join(_LOCK_PATHS) + "\n"


PROBES: tuple[Probe, ...] = (
    Probe(
        name="packages.present",
        area="packages",
        script=_PRESENT,
        doc=f"which package databases exist ({', '.join(m.name for m in MANAGERS)})",
        cap_bytes=1024,
        watch=("/var/lib/dpkg/status",),
    ),
    Probe(
        name="packages.dpkg",
        area="packages",
        script=_OPEN + _DPKG_STATUS + _DPKG,
        doc="dpkg journal, packages not in a final state, pending triggers, apt's last run",
        cap_bytes=16384,
        paths=("/var/lib/dpkg/updates/0001",),
        watch=("/var/lib/dpkg/*", "/var/lib/dpkg/updates/*", "/var/lib/dpkg/triggers/*"),
    ),
    Probe(
        name="packages.rpm",
        area="packages",
        script=_RPM,
        doc="yum transaction-all files without their transaction-done",
        cap_bytes=4096,
        watch=("/var/lib/yum/*",),
    ),
    Probe(
        name="packages.pacman",
        area="packages",
        script=_OPEN + _GLOBS + _PACMAN,
        doc="pacman db.lck, pacman.log tail, key installed packages",
        cap_bytes=8192,
        watch=("/var/lib/pacman/*", "/var/lib/pacman/local/*"),
    ),
    Probe(
        name="packages.portage",
        area="packages",
        script=_OPEN + _PORTAGE,
        doc="portage resume list (mtimedb), emerge.log tail, installed key packages (/var/db/pkg)",
        cap_bytes=16384,
        watch=("/var/db/pkg/*/*", "/var/cache/edb/*"),
        paths=tuple(
            f"/var/db/pkg/{c}"
            for c in ("sys-apps", "sys-kernel", "sys-fs", "sys-libs", "sys-process")
        ),
    ),
    Probe(
        name="packages.apk",
        area="packages",
        script=_APK,
        doc="apk database and lock, world, the installed packages' triggers",
        cap_bytes=4096,
        watch=("/lib/apk/db/*", "/etc/apk/world"),
    ),
    Probe(
        name="packages.xbps",
        area="packages",
        script=_OPEN + _XBPS,
        doc="xbps (Void): packages its pkgdb shows unpacked, half-removed or broken",
        cap_bytes=8192,
        watch=("/var/db/xbps/*",),
    ),
    Probe(
        name="packages.confmerge",
        area="packages",
        script=_CONFMERGE,
        doc="config merges left behind under /etc (*.dpkg-new, *.rpmnew, *.pacnew, ._cfg0000_*)",
        cap_bytes=8192,
        paths=("/etc/default", "/etc/fstab.dpkg-new", "/etc/default/grub.dpkg-new"),
        watch=("/etc/*/",),
    ),
    Probe(
        name="packages.locks",
        area="packages",
        script=_locks_script(),
        doc="package-manager locks and who holds them (/proc/locks, PID files; live only)",
        cap_bytes=8192,
        # who holds a lock: /proc/locks (a content token); the lock files' inodes (stat);
        # the pid files
        watch=("/var/run/*.pid", "/run/*.pid"),
        paths=("/proc/1/comm",),
    ),
)

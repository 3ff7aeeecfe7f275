"""init probes: what runs as PID 1, and what the next boot will exec.

Running view (live hosts, or trees that carry /proc and /run): PID 1's name, command line
and binary, the current boot's kernel command line, and the markers each init leaves in
/run. FIFOs (/run/initctl, /dev/initctl) are only listed, never opened. /proc/1/exe is
listed with `emit_ls` in both modes (one readlink, no `timeout` wrapper): a readable link
shows its target (with ' (deleted)' when PID 1's binary was replaced), a refused one (it
needs root) shows an empty target, which no real link has.

Next boot: /sbin/init (and /usr/sbin/init) resolved through symlinks INSIDE ROOT, then
the resolved file's ELF interpreter and libraries; the same for each `init=` value the
boot configs name (which one applies is decided later, from the boot area's default
entry). A `#!` script gets its interpreter resolved too. Each program is ELF-checked once
(merged /usr makes /sbin/init and /usr/sbin/init one file).

Shell variables here start with `init_` (the prelude owns `_*`).
"""

from cockpit.facts.init import INSTALLED_PATHS
from cockpit.probes.base import Probe

#: Boot configs that may carry `init=` (grep'd once, cheaply).
INIT_ARG_SOURCES: tuple[str, ...] = (
    "/boot/grub/grub.cfg",
    "/boot/grub2/grub.cfg",
    "/boot/grub/grub.conf",
    "/boot/grub/menu.lst",
    "/boot/extlinux/extlinux.conf",
    "/etc/default/grub",
    "/etc/kernel/cmdline",
)

_PID1 = """
emit_file init.pid1.comm /proc/1/comm
emit_file init.pid1.cmdline /proc/1/cmdline
emit_ls init.pid1.exe /proc/1 exe
emit_file init.proc.cmdline /proc/cmdline
"""

_RUN = """
emit_ls init.run /run
emit_ls init.run.systemd /run/systemd system
emit_ls init.run.openrc /run/openrc 'init.ctl'
emit_file init.openrc.softlevel /run/openrc/softlevel
emit_ls init.dev.initctl /dev initctl
if { _inroot /run/initctl && [ -p "$_P" ]; } || { _inroot /dev/initctl && [ -p "$_P" ]; }; then
	emit_cmd init.runlevel runlevel
fi
"""
# (systemd's state, init.systemd.state, is read with services.sd.running: services.runtime)

# init_exec PATH: one section `init.boot:PATH` (the resolution), then, once per resolved
# file: `init.elf:R` (ELF check) and for a #! script `init.script:R` (first 256 bytes)
# and `init.interp:R` (the interpreter, resolved).
_BOOT = (
    r"""
init_nl='
'
init_done=
init_exec() {
	emit_resolve "init.boot:$1" "$1"
	# emit_resolve leaves its _resolve result in _RS/_R: no second walk (readlink forks)
	[ "$_RS" = ok ] || return 0
	init_r=$_R
	case " $init_done " in *" $init_r "*) return 0 ;; esac
	init_done="$init_done $init_r"
	open_file "$init_r" || return 0
	init_p=$_P
	emit_elf "init.elf:$init_r" "$init_r"
	init_magic=$(head -c 2 -- "$init_p" 2>/dev/null)
	[ "$init_magic" = '#!' ] || return 0
	init_cap=$CAP
	CAP=4096
	emit_file "init.script:$init_r" "$init_r"
	CAP=$init_cap
	init_text=$(head -c 4096 -- "$init_p" 2>/dev/null)
	# A wrapper that ends in `exec /path/to/init`: that program is checked too (one level)
	if [ -z "$init_following" ]; then
		init_x=
		while IFS= read -r init_l; do
			init_l=${init_l#"${init_l%%[! 	]*}"} # leading blanks off
			case $init_l in
			exec\ /*) init_x=${init_l#exec } init_x=${init_x%%[ 	]*} ;;
			esac
		done <<INIT_EOF
$init_text
INIT_EOF
		case $init_x in
		'' | *[![:graph:]]* | *[*?[]*) ;;
		*) init_follow="$init_follow $init_x" ;;
		esac
	fi
	init_line=${init_text%%"$init_nl"*}
	init_line=${init_line#??}
	while :; do
		case $init_line in ' '* | '	'*) init_line=${init_line#?} ;; *) break ;; esac
	done
	init_ip=${init_line%%[ 	]*}
	case $init_ip in '' | *[![:graph:]]*) return 0 ;; esac
	emit_resolve "init.interp:$init_r" "$init_ip"
}
init_follow= init_following=
init_exec /sbin/init
init_exec /usr/sbin/init
init_files=
for init_f in """
    + " ".join(INIT_ARG_SOURCES)
    + """; do
	open_file "$init_f" && init_files="$init_files$init_nl$_P"
done
# BLS entries (a name with blanks or quotes could read as an `init=` in head's header line)
if open_dir /boot/loader/entries; then
	init_er=$_R init_k=0
	for init_f in "$_P"/*.conf; do
		case ${init_f##*/} in *[![:graph:]]* | *[\\"\\']*) continue ;; esac
		_inroot_at "$init_er" "${init_f##*/}" && [ -f "$_P" ] || continue
		init_files="$init_files$init_nl$_P"
		init_k=$((init_k + 1))
		[ "$init_k" -lt 64 ] || break
	done
fi
if [ -n "$init_files" ]; then
	set -f
	init_ifs=$IFS
	IFS=$init_nl
	init_re='(^|[[:space:]"'"'"'])init=[^[:space:]"'"'"';]*'
	# shellcheck disable=SC2086 # one path a line (IFS), globbing off: split on purpose
	init_words=$(head -c 1048576 -v -- $init_files 2>/dev/null | grep -ohE "$init_re" 2>/dev/null |
		head -n 64)
	init_seen= init_n=0
	for init_w in $init_words; do
		init_w=${init_w#*init=}
		case $init_w in '' | *[![:graph:]]*) continue ;; esac
		case "$init_nl$init_seen$init_nl" in *"$init_nl$init_w$init_nl"*) continue ;; esac
		init_seen="$init_seen$init_nl$init_w"
		init_n=$((init_n + 1))
		[ "$init_n" -le 6 ] || break
		IFS=$init_ifs
		init_exec "$init_w"
		IFS=$init_nl
	done
	IFS=$init_ifs
	set +f
fi
init_following=yes
# words without blanks or glob characters: split, and never expanded on this machine
set -f
for init_w in $init_follow; do
	set +f
	init_exec "$init_w"
done
set +f
"""
)

_INSTALLED = (
    """
for init_c in """
    + " ".join(INSTALLED_PATHS)
    + """; do
	_exists "$init_c" || continue
	emit_resolve "init.have:$init_c" "$init_c"
done
emit_ls init.runit /etc/runit
"""
)

#: The targets graphical.target and multi-user.target need (Requires=, down to
#: sysinit.target): one masked and systemd cannot start the default target.
MASKABLE_TARGETS = ("graphical.target", "multi-user.target", "basic.target", "sysinit.target")

# What the boot init reads first: checked every refresh (an edit here is a blocker).
_CONFIG = (
    """
emit_file init.inittab /etc/inittab
if _exists /lib/systemd/systemd || _exists /usr/lib/systemd/systemd; then
	init_unit=
	for init_c in /etc/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
		emit_resolve "init.target:$init_c/default.target" "$init_c/default.target"
		[ -z "$init_unit" ] && [ "$_RS" = ok ] && init_unit=$_R
	done
	# A site's own default target: its unit file says what it pulls in (multi-user?)
	case ${init_unit##*/} in
	'' | multi-user.target | graphical.target | rescue.target | emergency.target) ;;
	*.target)
		emit_file "init.targetunit:$init_unit" "$init_unit"
		emit_ls "init.targetwants:$init_unit" "$init_unit.wants"
		emit_ls "init.targetrequires:$init_unit" "$init_unit.requires"
		;;
	esac
	# The targets multi-user needs, as the admin can mask them (a link to /dev/null)
	for init_c in """
    + " ".join(MASKABLE_TARGETS)
    + """; do
		emit_resolve "init.mask:/etc/systemd/system/$init_c" "/etc/systemd/system/$init_c"
	done
fi
"""
)

_UNIT_DIRS = ("/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system")

PROBES: tuple[Probe, ...] = (
    Probe(
        name="init.pid1",
        area="init",
        script=_PID1,
        doc="PID 1: name, command line, binary (' (deleted)' = replaced since boot); /proc/cmdline",
        timeout_s=2,
        cap_bytes=4096,
        # PID 1's binary through its link (a re-exec into another file, or the file
        # replaced: its link count and ctime move); comm and cmdline are content tokens
        watch=("/proc/1/exe",),
        steady=("/proc/cmdline",),
    ),
    Probe(
        name="init.run",
        area="init",
        script=_RUN,
        doc="markers each running init leaves in /run (FIFOs listed, never opened)",
        timeout_s=3,
        cap_bytes=8192,
        # /run's entries (listed with their x and size bits; `runlevel` reads /run/utmp)
        watch=("/run/*", "/run/systemd/system", "/run/openrc/*", "/var/run/utmp"),
    ),
    Probe(
        name="init.boot",
        area="init",
        script=_BOOT,
        doc="the init the next boot execs: /sbin/init and each init= value, resolved, ELF-checked",
        timeout_s=5,
        cap_bytes=8192,
        # what the prelude's ELF check reads: the loader's config and library directories
        paths=(
            "/etc/ld.so.conf",
            "/etc/ld.so.conf.d",
            "/etc/ld-musl-x86_64.path",
            "/lib",
            "/usr/lib",
            "/lib64",
            "/usr/lib64",
            "/usr/local/lib",
            "/lib64/ld-linux-x86-64.so.2",
        ),
        # the multiarch and private library directories (a library added, removed or
        # replaced); the files the ELF check found are named in its sections and covered
        # too (cadence.named_paths), as are the resolved inits (section names)
        watch=(
            "/boot/loader/entries/*",
            "/etc/ld.so.conf.d/*",
            "/etc/ld.so.cache",
            *(f"{d}/*-linux-*" for d in ("/lib", "/usr/lib")),
            *(f"{d}/*-linux-*/systemd" for d in ("/lib", "/usr/lib")),
            *(f"{d}/systemd" for d in ("/lib", "/usr/lib")),
            "/bin",
            "/usr/bin",
            "/sbin",
            "/usr/sbin",
        ),
    ),
    Probe(
        name="init.installed",
        area="init",
        script=_INSTALLED,
        doc="installed init systems (changes only with packages: every 6th refresh)",
        timeout_s=3,
        cap_bytes=16384,
        every=6,
        watch=("/etc/runit/*",),
    ),
    Probe(
        name="init.config",
        area="init",
        script=_CONFIG,
        doc="/etc/inittab and systemd's default.target, what the boot init reads first",
        timeout_s=3,
        cap_bytes=16384,
        paths=tuple(
            f"{d}/default.target"
            for d in ("/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system")
        )
        + tuple(f"/etc/systemd/system/{t}" for t in MASKABLE_TARGETS),
        # a site's own default target: its .wants/.requires listings, wherever systemd
        # keeps units (the unit file itself is what default.target's link leads to)
        watch=(
            "/etc/inittab",
            *(
                f"{d}/*.target.{k}/*"
                for d in (*_UNIT_DIRS, "/usr/local/lib/systemd/system")
                for k in ("wants", "requires")
            ),
        ),
    ),
)

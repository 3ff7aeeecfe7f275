# emit_since_boot BOOT ABSENT STAT: what the CURRENT boot used, in the three sections
# named, so the client can tell which parts of the next boot's chain are still exactly
# what this boot went through (rules/chain/live.py).
# Live mode only: an offline root has no boot, so its three sections say `offline`.
#
#   BOOT    `btime N` (/proc/stat: the boot, in epoch seconds), then
#           `map MAJ:MIN INODE PATH` once per file PID 1 has mapped (its binary and
#           libraries as loaded; needs root, else none), and `sshd PID COMM` when
#           /run/sshd.pid names a live process. One awk, time-bounded.
#   ABSENT  one path a line: asked for, not there now.
#   STAT    `DEV INODE MTIME CTIME PATH` for every path asked for that is there,
#           from ONE `stat` (no -L: a symlink is judged itself, and each link on the
#           way to a file is asked for too), time-bounded and capped.
#
# The paths asked for are a superset of the chain's artifacts: the loader configs, kernels
# and initrds in /boot, fstab, /sbin/init and init= resolved link by link, what PID 1 has
# mapped, default.target, inittab and the runlevel directories, sshd's config, keys and
# enablement, the network config, and the mount points an artifact's device is compared
# with. Which of them matter is decided by the client from the facts; a path it needs and
# finds in none of the sections proves nothing. Names that are not plain printable words
# are skipped (the client then lacks them: unknown, never "unchanged").
# Variables: _sb*. Cost: one awk, one stat and its `timeout`, shell globs and tests.

# _sb_add PATH...: ask for each path once (there -> _SBL, not there -> _SBA).
_sb_add() {
	for _sbp in "$@"; do
		case $_sbp in '' | *[![:graph:]]* | *'*'*) continue ;; esac
		case "$_SBL$_SBA$_NL" in *"$_NL$_sbp$_NL"*) continue ;; esac
		[ "$_SBN" -lt 300 ] || return 0
		_SBN=$((_SBN + 1))
		if [ -e "$_sbp" ] || [ -L "$_sbp" ]; then
			_SBL="$_SBL$_NL$_sbp"
		else
			_SBA="$_SBA$_NL$_sbp"
		fi
	done
}

# _sb_chain PATH: PATH, each link met on the way to its file, and the file itself.
_sb_chain() {
	_sb_add "$1"
	_resolve "$1"
	_sbr=$_R _sbs=$_RS _sbh=$_RH
	while [ -n "$_sbh" ]; do
		_sbl=${_sbh%%"$_NL"*}
		if [ "$_sbl" = "$_sbh" ]; then _sbh=; else _sbh=${_sbh#*"$_NL"}; fi
		case $_sbl in "link "*" -> "*) _sbl=${_sbl#link }; _sb_add "${_sbl%% -> *}" ;; esac
	done
	[ "$_sbs" = ok ] && _sb_add "$_sbr"
	return 0
}

# shellcheck disable=SC2016 # an awk program: its $1, $2 are awk's
_SB_AWK='
FILENAME == "/proc/stat" && $1 == "btime" { print "btime " $2 }
FILENAME == "/proc/self/mounts" && NF >= 2 && m < 300 { m++; print "mnt " $2 " " $1 }
FILENAME == "/proc/1/maps" && NF >= 6 && substr($6, 1, 1) == "/" {
	p = $6
	for (i = 7; i <= NF; i++) p = p " " $i
	if (!(p in seen) && n < 200) { seen[p] = 1; n++; print "map " $4 " " $5 " " p }
}'

emit_since_boot() {
	_sbB=$1 _sbA=$2 _sbS=$3
	if [ "$MODE" != live ]; then
		for _sbn in "$_sbB" "$_sbA" "$_sbS"; do
			_begin "$_sbn"
			_end 0 offline "$_sbn"
		done
		return 0
	fi
	_SBL= _SBA= _SBN=0
	# The boot time, the mounts, PID 1's mappings: one awk over three /proc files, with
	# no `timeout` (a process less): procfs reads do not wait on disks or the network,
	# and the output is bounded (200 mappings, 300 mounts). maps needs root and comes
	# last: mawk stops at a file it cannot open.
	_sbo=$(awk "$_SB_AWK" /proc/stat /proc/self/mounts /proc/1/maps </dev/null 2>/dev/null)
	_sbrc=$?
	_begin "$_sbB"
	[ -n "$_sbo" ] && printf '%s\n' "$_sbo"
	if [ -r /run/sshd.pid ]; then
		_sbpid=
		read -r _sbpid </run/sshd.pid 2>/dev/null
		case $_sbpid in
		'' | *[!0-9]*) ;;
		*)
			if [ -r "/proc/$_sbpid/comm" ]; then
				_sbc=
				read -r _sbc <"/proc/$_sbpid/comm" 2>/dev/null
				_printable "$_sbc" && printf 'sshd %s %s\n' "$_sbpid" "$_sbc"
			fi
			;;
		esac
	fi
	# merged /usr: the loader finds /lib/x86_64-linux-gnu/libc.so.6, PID 1 maps /usr/lib/...
	for _sbf in /bin /sbin /lib /lib32 /lib64 /libx32; do
		[ -L "$_sbf" ] || continue
		_readlink "$_sbf"
		_printable "$_T" && printf 'link %s %s\n' "$_sbf" "$_T"
		_sb_add "$_sbf"
	done
	case $_sbrc in 0) _sbst=ok ;; 124 | 143) _sbst=timeout ;; *) _sbst=error ;; esac
	# PID 1's maps need root (and ptrace rights, which `test -r` does not ask about):
	# refused, the rest read. A state that stays while the rights do, so an incremental
	# refresh may keep it.
	if [ "$_sbst" = error ] && ! { read -r _sbl </proc/1/maps; } 2>/dev/null; then
		_sbst=denied
	fi
	_end "$_sbrc" "$_sbst" "$_sbB"

	# where an artifact's device is compared with
	_sb_add / /boot /boot/efi /efi /usr
	# boot entry, kernel, initramfs
	_sb_add /boot/grub/grub.cfg /boot/grub/grubenv /boot/grub2/grub.cfg /boot/grub2/grubenv \
		/boot/grub/menu.lst /boot/loader/loader.conf /boot/extlinux/extlinux.conf
	set +f
	_sbk=0
	for _sbf in /boot/vmlinuz* /boot/vmlinux* /boot/initrd* /boot/initramfs* \
		/boot/loader/entries/*.conf; do
		[ -e "$_sbf" ] || continue
		_sb_add "$_sbf"
		_sbk=$((_sbk + 1))
		[ "$_sbk" -lt 48 ] || break
	done
	# mounts
	_sb_add /etc/fstab /etc/crypttab
	# init exec: /sbin/init, /usr/sbin/init and this boot's init=, link by link
	_sb_chain /sbin/init
	_sb_chain /usr/sbin/init
	if [ -r /proc/cmdline ]; then
		_sbcl=
		read -r _sbcl </proc/cmdline 2>/dev/null
		set -f
		for _sbw in $_sbcl; do
			case $_sbw in init=/*) _sb_chain "${_sbw#init=}" ;; esac
		done
		set +f
	fi
	# ...and what PID 1 has mapped (its binary and libraries, as this boot loaded them)
	_sbh=$_sbo
	while [ -n "$_sbh" ]; do
		_sbl=${_sbh%%"$_NL"*}
		if [ "$_sbl" = "$_sbh" ]; then _sbh=; else _sbh=${_sbh#*"$_NL"}; fi
		case $_sbl in
		*" (deleted)") ;;
		"map "*)
			_sbl=${_sbl#map * * }
			_sb_add "$_sbl"
			;;
		esac
	done
	# init configuration
	for _sbd in /etc/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
		[ -e "$_sbd/default.target" ] || [ -L "$_sbd/default.target" ] &&
			_sb_chain "$_sbd/default.target"
	done
	_sb_add /etc/inittab /etc/rcS.d /etc/rc1.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d \
		/etc/runlevels/sysinit /etc/runlevels/boot /etc/runlevels/default /etc/rc.conf
	# remote access: sshd's config, host keys, how it is started; the network config
	_sb_add /etc/ssh/sshd_config /etc/ssh/sshd_config.d /etc/init.d/ssh /etc/init.d/sshd \
		/etc/systemd/system/multi-user.target.wants/ssh.service \
		/etc/systemd/system/multi-user.target.wants/sshd.service \
		/etc/systemd/system/sockets.target.wants/ssh.socket \
		/etc/systemd/system/ssh.service /etc/systemd/system/sshd.service \
		/lib/systemd/system/ssh.service /usr/lib/systemd/system/sshd.service \
		/etc/network/interfaces /etc/network/interfaces.d /etc/systemd/network /etc/netplan \
		/etc/systemd/system/multi-user.target.wants/networking.service \
		/etc/systemd/system/multi-user.target.wants/systemd-networkd.service \
		/etc/systemd/system/multi-user.target.wants/NetworkManager.service
	for _sbf in /etc/ssh/ssh_host_*_key; do
		[ -e "$_sbf" ] && _sb_add "$_sbf"
	done

	_begin "$_sbA"
	[ -n "$_SBA" ] && printf '%s\n' "${_SBA#"$_NL"}"
	_end 0 ok "$_sbA"
	set -f
	_sbifs=$IFS
	IFS=$_NL
	# shellcheck disable=SC2086 # one path a line; globbing is off
	set -- ${_SBL#"$_NL"}
	IFS=$_sbifs
	set +f
	# One stat, time-bounded (a path on a hung network mount must not stall the
	# refresh); capped with printf's precision instead of a `head` process.
	_begin "$_sbS"
	_sbrc=0 _sbst=ok
	if [ "$#" -gt 0 ]; then
		if [ -n "$_TO" ]; then
			_sbo=$("$_TO" "$TMO" stat -c '%d %i %Y %Z %n' -- "$@" </dev/null 2>/dev/null)
		else
			_sbo=$(stat -c '%d %i %Y %Z %n' -- "$@" </dev/null 2>/dev/null)
		fi
		_sbrc=$?
		case $_sbrc in 0) ;; 124 | 143) _sbst=timeout ;; 127) _sbst=nocmd ;; *) _sbst=error ;; esac
		[ -n "$_sbo" ] && printf "%.$((CAP + 1))s\n" "$_sbo"
	fi
	_end "$_sbrc" "$_sbst" "$_sbS"
}

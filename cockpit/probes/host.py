"""Host identity and clock: read first, cheaply (one batched read; the clock and the user
ids every refresh, the rest when its files change)."""

from cockpit.probes.base import Probe

PROBES: tuple[Probe, ...] = (
    Probe(
        name="host.mode",
        area="host",
        script="_begin host.mode\nprintf '%s\\n' \"$MODE\"\n_end 0 ok host.mode",
        doc="live or offline, as the collector ran (no process: a stable section to key on)",
        cap_bytes=64,
    ),
    Probe(
        name="host.uid",
        area="host",
        # The collector's own user ids (real, effective, saved, fs), by the shell's `read`:
        # whether root rights would have read what it could not. Its own process, in both
        # modes (offline it is what reads the root); never ROOT's /proc.
        script=r"""_begin host.uid
if [ -r /proc/self/status ]; then
	while read -r hu_k hu_v; do
		case $hu_k in Uid:) printf '%s\n' "$hu_v"; break ;; esac
	done </proc/self/status
fi
_end 0 ok host.uid""",
        doc="the collector's own user ids: root rights would (not) have read more",
        cap_bytes=128,
    ),
    Probe(
        name="host.clock",
        area="host",
        # On an incremental refresh the fingerprint's awk already read the clock
        # (collector/sh/25-fp.sh: `clock`, strftime is date's own): no process here.
        script=r"""case $_FPO in
*"${_NL}clock "*)
	hc_l=${_FPO#*"${_NL}clock "}
	_begin host.clock
	printf '%s\n' "${hc_l%%"$_NL"*}"
	_end 0 ok host.clock
	;;
*) emit_quick host.clock date '+%s %z %Z' ;;
esac""",
        doc="host clock and UTC offset, in the same round trip (live only)",
        cap_bytes=256,
    ),
    Probe(
        name="host.tz",
        area="host",
        script="emit_resolve host.tz /etc/localtime",
        doc="host time zone: where /etc/localtime leads (zoneinfo/<Zone>)",
        cap_bytes=1024,
        watch=("/etc/localtime",),
    ),
    Probe(
        name="host.files",
        area="host",
        script=(
            "emit_files host.os /etc/os-release host.os.usr /usr/lib/os-release"
            " host.gentoo /etc/gentoo-release host.hostname /etc/hostname"
            " host.tz.name /etc/timezone host.osrelease /proc/sys/kernel/osrelease"
            " host.bootid /proc/sys/kernel/random/boot_id host.container /run/systemd/container"
            # read here, not with the other boot files: a file of /proc has no ctime that
            # moves with its content, and boot.files is read only when its files change
            " boot.file:/proc/cmdline /proc/cmdline"
        ),
        doc="distribution, hostname, zone name, running kernel, boot id (tells a reboot happened)",
        cap_bytes=8192,
        watch=("/etc/os-release",),
        # what the running kernel was booted with: fixed until the next boot
        steady=("/proc/sys/kernel/osrelease", "/proc/sys/kernel/random/boot_id", "/proc/cmdline"),
    ),
    Probe(
        name="host.top",
        area="host",
        script="emit_ls host.top /",
        doc="the top of the tree: does this root hold a Linux system at all?",
        cap_bytes=4096,
        # `/` itself: an entry added, removed or replaced. Not each entry (/tmp changes all
        # the time); a chmod of a top-level directory waits for the next keyframe.
        watch=("/",),
    ),
)

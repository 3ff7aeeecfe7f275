"""Host identity and clock: read first, every refresh, cheaply."""

from cockpit.probes.base import Probe

PROBES: tuple[Probe, ...] = (
    Probe(
        name="host.clock",
        area="host",
        script="emit_cmd host.clock date '+%s %z %Z'",
        doc="host clock and UTC offset in the same round trip (live only)",
        timeout_s=2,
        cap_bytes=256,
    ),
    Probe(
        name="host.tz",
        area="host",
        script="emit_resolve host.tz /etc/localtime\nemit_file host.tz.name /etc/timezone",
        doc="host time zone: /etc/localtime link target, else /etc/timezone",
        cap_bytes=256,
    ),
    Probe(
        name="host.os",
        area="host",
        script=(
            "emit_file host.os /etc/os-release\n"
            "[ -e \"$ROOT/etc/os-release\" ] || emit_file host.os.usr /usr/lib/os-release\n"
            "emit_file host.gentoo /etc/gentoo-release\n"
            "emit_file host.hostname /etc/hostname\n"
            "emit_ls host.top /"
        ),
        doc="distribution (os-release), hostname, and the top of the tree",
        cap_bytes=8192,
    ),
    Probe(
        name="host.kernel",
        area="host",
        script=(
            "emit_file host.osrelease /proc/sys/kernel/osrelease\n"
            "emit_file host.bootid /proc/sys/kernel/random/boot_id\n"
            "emit_file host.container /run/systemd/container\n"
            "emit_cmd host.uname uname -rm"
        ),
        doc="running kernel release and boot id (tells a later refresh a reboot happened)",
        cap_bytes=512,
    ),
)

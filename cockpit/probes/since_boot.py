"""What the current boot used: the boot time, PID 1's mapped files, and one batched `stat`
of the boot chain's artifacts (collector/sh/60-since-boot.sh).

Why: on a live host, a chain artifact that has not changed since the current boot is
proven by that boot (rules/chain/live.py); only what changed needs the static checks,
and what changed is what the next boot will do differently. Live mode only: an offline
root has no boot time, so the probe costs it nothing.
"""

from cockpit.probes.base import Probe

PROBES: tuple[Probe, ...] = (
    Probe(
        name="since_boot.boot",
        area="since_boot",
        script="emit_since_boot since_boot.boot since_boot.absent since_boot.stat",
        doc="boot time, PID 1's mapped files, and one stat of the chain's artifacts (live only)",
        timeout_s=3,
        cap_bytes=32768,
        # every path it stats is named in its sections (cadence.named_paths); new kernels,
        # initrds, boot entries and host keys appear in these directories; the mount table
        # and PID 1's mapped files are content tokens, btime and the command line fixed
        watch=(
            "/boot/*",
            "/boot/loader/entries/*",
            "/etc/ssh/*",
            "/run/sshd.pid",
            "@/proc/self/mounts",
            "@/proc/1/maps",
        ),
        steady=("/proc/stat", "/proc/cmdline"),
    ),
)

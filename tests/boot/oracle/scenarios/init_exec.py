"""Init exec: the file the kernel (after initramfs-tools' run-init) will execute.

Direct boots: the init is on the root filesystem, the entry is untouched.
systemd's binary is /usr/lib/systemd/systemd; /sbin/init is systemd-sysv's symlink
to /lib/systemd/systemd (merged /usr: /sbin -> usr/sbin, /lib -> usr/lib).

What the boots showed: when the init is missing or not executable, initramfs-tools falls
back to /bin/sh as PID 1 (`init-shell`, see incident.py, whose incident-systemd is the
missing /sbin/init: the first oracle's init-missing deleted only that symlink and booted
the same way, so it was merged into it); when the init exists and is
executable but cannot run (wrong machine, missing interpreter or library), run-init's
exec fails or PID 1 exits, and the kernel panics ("Attempted to kill init!": `no-init`).
"""

from __future__ import annotations

from tests.boot.oracle.scenario import Scenario
from tests.boot.oracle.scenarios.edits import (
    chmod,
    cmdline,
    elf_interp,
    foreign_elf,
    rm,
    write,
)
from tests.boot.oracle.scenarios.kernel import cloud_kernel_alone

X = "init-exec"
SYSTEMD = "usr/lib/systemd/systemd"

SCENARIOS = [
    Scenario(
        "usr-split-not-in-fstab",
        X,
        "systemd",
        (),
        "initramfs-shell",
        "No init found. Try passing init= bootarg.",
        layout="usr",
        doc="/usr on its own partition, missing from fstab: the initramfs cannot know. "
        "run-init finds no /sbin/init (merged /usr: it lives in /usr) and gives up: 'No "
        "init found' is the init-exec stage failing (the kernel stage did its part: root "
        "is mounted). On the disk: the root filesystem's /usr is an empty directory and "
        "its fstab does not mount one (view.py), so /sbin/init -> usr/sbin/init is missing "
        "there too. usr-split-ok (kernel.py) is the same disk with /usr in fstab.",
    ),
    Scenario(
        "init-not-executable",
        X,
        "systemd",
        (chmod(SYSTEMD, 0o644),),
        "init-shell",
        "/bin/sh: 0: can't access tty; job control turned off",
        doc="systemd's binary lost its execute bits.",
    ),
    Scenario(
        "init-foreign-elf",
        X,
        "systemd",
        (foreign_elf("usr/sbin/init"),),
        "no-init",
        "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100",
        doc="/sbin/init is an aarch64 executable.",
    ),
    Scenario(
        "init-interp-missing",
        X,
        "systemd",
        (elf_interp(SYSTEMD, "/lib64/ld-linux-x86-64.so.3"),),
        "no-init",
        "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100",
        doc="systemd's ELF interpreter does not exist on this root.",
    ),
    Scenario(
        "init-library-missing",
        X,
        "systemd",
        (rm("usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so"),),
        "no-init",
        "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00007f00",
        doc="A library systemd needs is gone.",
    ),
    Scenario(
        "init-shebang-missing",
        X,
        "systemd",
        (write("usr/sbin/init", "#!/usr/bin/nosuchsh\nexec /lib/systemd/systemd\n", 0o755),),
        "no-init",
        "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100",
        doc="/sbin/init is a script whose interpreter does not exist.",
    ),
    Scenario(
        "init-shebang-crlf",
        X,
        "systemd",
        (write("usr/sbin/init", '#!/bin/sh\r\nexec /lib/systemd/systemd "$@"\r\n', 0o755),),
        "no-init",
        "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100",
        doc="A wrapper script saved with CRLF line endings: the kernel looks for the "
        "interpreter '/bin/sh\\r' ('run-init: /sbin/init: No such file or directory'). "
        "/sbin/init exists and is executable, so initramfs-tools does not fall back.",
    ),
    Scenario(
        "init-shebang-wrapper-ok",
        X,
        "systemd",
        (write("usr/sbin/init", '#!/bin/sh\nexec /lib/systemd/systemd "$@"\n', 0o755),),
        "booted",
        "vm login:",
        doc="A working wrapper script as /sbin/init: must stay bootable.",
    ),
    Scenario(
        "cmdline-init-missing",
        X,
        "systemd",
        cmdline("init=/sbin/nosuchinit"),
        "booted",
        "vm login:",
        doc="init= on the command line names a program that does not exist. SURPRISE, "
        "recorded as the truth: it boots. run-init fails ('Target filesystem doesn't have "
        "requested /sbin/nosuchinit.') and initramfs-tools falls back to /sbin/init.",
    ),
    Scenario(
        "cmdline-init-missing-no-initramfs",
        X,
        "systemd",
        cloud_kernel_alone("init=/sbin/nosuchinit"),
        "no-init",
        "Kernel panic - not syncing: Requested init /sbin/nosuchinit failed (error -2).",
        disk="nvme",
        doc="init= naming a missing program, on a root whose kernel boots WITHOUT an "
        "initramfs (kernel-builtin-no-initrd-ok + init=): the kernel's own behaviour, "
        "against initramfs-tools' fallback to /sbin/init (cmdline-init-missing).",
    ),
]

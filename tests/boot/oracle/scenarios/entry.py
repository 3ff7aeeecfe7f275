"""Boot entry: GRUB's config and the kernel and initrd it names. All boot through the
disk's own MBR, GRUB and grub.cfg (boot="grub"): GRUB is what they test. Passing cases:
healthy-systemd (healthy.py) and entry-old-kernel-no-initrd.

What the command line SAYS belongs to later stages (issue 11's chain): `root=` to the
kernel stage (kernel.py: entry-root-*), `single`/`systemd.unit=` to init-config
(init_config.py: entry-default-recovery, GRUB's default pointing at the recovery entry).
"""

from __future__ import annotations

from tests.boot.oracle.scenario import Scenario
from tests.boot.oracle.scenarios.edits import rm, truncate, update_grub, write

E = "entry"

SCENARIOS = [
    Scenario(
        "entry-kernel-missing",
        E,
        "systemd",
        (rm("boot/vmlinuz-*"),),
        "grub-error",
        "error: file `/boot/vmlinuz-6.1.0-50-amd64' not found.",
        boot="grub",
        doc="The default entry's kernel deleted (grub.cfg not regenerated).",
    ),
    Scenario(
        "entry-initrd-missing",
        E,
        "systemd",
        (rm("boot/initrd.img-*"),),
        "grub-error",
        "error: file `/boot/initrd.img-6.1.0-50-amd64' not found.",
        boot="grub",
        doc="The default entry's initrd deleted.",
    ),
    Scenario(
        "entry-kernel-truncated",
        E,
        "systemd",
        (truncate("boot/vmlinuz-*", 0.0),),
        "grub-error",
        "error: premature end of file /boot/vmlinuz-6.1.0-50-amd64.",
        boot="grub",
        doc="A zero-byte kernel: /boot filled up during an update.",
    ),
    Scenario(
        "entry-grub-cfg-missing",
        E,
        "systemd",
        (rm("boot/grub/grub.cfg"),),
        "grub-error",
        "grub>",
        boot="grub",
        doc="grub.cfg deleted: GRUB has no menu to boot.",
    ),
    Scenario(
        "entry-grub-modules-missing",
        E,
        "systemd",
        (rm("boot/grub/i386-pc"),),
        "grub-error",
        "error: file `/boot/grub/i386-pc/normal.mod' not found.",
        boot="grub",
        doc="GRUB's module directory deleted; core.img in the MBR gap is intact.",
    ),
    Scenario(
        "entry-old-kernel-no-initrd",
        E,
        "systemd",
        (write("boot/vmlinuz-6.1.0-9-amd64", "not booted\n"), update_grub()),
        "booted",
        "vm login:",
        boot="grub",
        doc="An older, non-default kernel without initrd in the menu: harmless.",
    ),
]

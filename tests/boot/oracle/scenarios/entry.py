"""Boot entry: GRUB's config, the kernel and initrd it names, the command line. All boot
through the disk's own MBR, GRUB and grub.cfg (boot="grub")."""

from __future__ import annotations

from tests.boot.oracle.scenario import Scenario
from tests.boot.oracle.scenarios.edits import (
    grub_default,
    rm,
    sub,
    truncate,
    update_grub,
    write,
)
from tests.real.build import ROOT_UUID

OTHER_UUID = ROOT_UUID[:-1] + "7"  # a one-character typo of the root's UUID
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
        "entry-root-uuid-typo",
        E,
        "systemd",
        (sub("boot/grub/grub.cfg", f"root=UUID={ROOT_UUID}", f"root=UUID={OTHER_UUID}"),),
        "initramfs-shell",
        "ALERT!  UUID=2b7a9c3e-51d4-4f0e-8a6b-93c1d2e4f5a7 does not exist.  Dropping to a shell!",
        boot="grub",
        doc="grub.cfg hand-edited: the default entry's root= UUID has a typo. "
        "initramfs-tools waits 30 s (its minimum) for the device.",
    ),
    Scenario(
        "entry-root-wrong-device",
        E,
        "systemd",
        (sub("boot/grub/grub.cfg", f"root=UUID={ROOT_UUID}", "root=/dev/sda1"),),
        "initramfs-shell",
        "ALERT!  /dev/sda1 does not exist.  Dropping to a shell!",
        boot="grub",
        doc="root=/dev/sda1 on a virtio disk (the disk is /dev/vda).",
    ),
    Scenario(
        "entry-root-by-name-ok",
        E,
        "systemd",
        (grub_default("GRUB_DISABLE_LINUX_UUID", "true"), update_grub()),
        "booted",
        "vm login:",
        boot="grub",
        doc="root=/dev/vda1 by name, which exists: must stay bootable.",
    ),
    Scenario(
        "entry-default-recovery",
        E,
        "systemd",
        (grub_default("GRUB_DEFAULT", '"1>1"'), update_grub()),
        "rescue",
        'You are in rescue mode. After logging in, type "journalctl -xb" to view',
        boot="grub",
        doc="GRUB_DEFAULT points at the recovery entry (its command line has `single`).",
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

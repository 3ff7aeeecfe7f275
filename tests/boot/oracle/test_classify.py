"""The console classifier on excerpts of real boot logs of this oracle (fast: no boot).

Each excerpt is the tail of a console the runner captured (normalised: escapes, CRs and
kernel timestamps removed), with the outcome and proof line it must give.
"""

from __future__ import annotations

import pytest

from tests.boot.oracle import classify

USR_NOT_IN_FSTAB = """Booting from ROM...
run-init: /sbin/init: No such file or directory
Target filesystem doesn't have requested /sbin/init.
run-init: /bin/sh: No such file or directory
No init found. Try passing init= bootarg.
(initramfs)"""

FSTAB_UUID_MISSING = """[ TIME ] Timed out waiting for device c5a7e-9b1d-4e2f-8a6c-4d5e6f7a8b9c.
[DEPEND] Dependency failed for srv-data.mount - /srv/data.
You are in emergency mode. After logging in, type "journalctl -xb" to view
system logs, "systemctl reboot" to reboot, "systemctl default" or "exit"
Cannot open access to console, the root account is locked.
Press Enter to continue."""

RECOVERY_ENTRY = """[  OK  ] Reached target rescue.target - Rescue Mode.
You are in rescue mode. After logging in, type "journalctl -xb" to view
ACPI: button: Power Button [PWRF]"""

ROOT_TYPO = """Gave up waiting for root file system device.  Common problems:
 - Missing modules (cat /proc/modules; ls /dev)
ALERT!  /dev/sda1 does not exist.  Dropping to a shell!
(initramfs)"""

KERNEL_MISSING = """   Booting `Debian GNU/Linux' Booting `Debian GNU/Linux
Loading Linux 6.1.0-50-amd64 ...Loading Linux 6.1.0-50-amd64 ..
error: file `/boot/vmlinuz-6.1.0-50-amd64' not found.
error: file `/boot/vmlinuz-6.1.0-50-amd64' not foundLoading initial ramdisk ....
error: you need to load the kernel first.
Press any key to continue...Press any key to continue..."""

SYSV_FSCK_FAILED = """Checking file systems...fsck.ext4: Unable to resolve 'UUID=0f3c5a7e'
fsck exited with status code 8
File system check failed.
A maintenance shell will now be started.
Press Enter for maintenance
(or press Control-D to continue):"""

SYSV_SINGLE_USER = """Checking file systems...done.
Mounting local filesystems...
Configuring network interfaces...
 done.
Press Enter for maintenance
(or press Control-D to continue):"""

MODULES_MISSING = """GRUB loading.
Welcome to GRUB!
error: file `/boot/grub/i386-pc/normal.mod' not found.
Entering rescue mode...
grub rescue>"""


@pytest.mark.parametrize(
    ("console", "kind", "proof"),
    [
        (USR_NOT_IN_FSTAB, "initramfs-shell", "No init found. Try passing init= bootarg."),
        (FSTAB_UUID_MISSING, "emergency", "You are in emergency mode."),
        (RECOVERY_ENTRY, "rescue", "You are in rescue mode."),
        (ROOT_TYPO, "initramfs-shell", "ALERT!  /dev/sda1 does not exist."),
        (KERNEL_MISSING, "grub-error", "error: file `/boot/vmlinuz-6.1.0-50-amd64' not found."),
        (MODULES_MISSING, "grub-error", "error: file `/boot/grub/i386-pc/normal.mod' not"),
        ("Debian GNU/Linux 12 vm ttyS0\nvm login:", "booted", "vm login:"),
        (SYSV_FSCK_FAILED, "emergency", "Press Enter for maintenance"),
        (SYSV_SINGLE_USER, "rescue", "Press Enter for maintenance"),
    ],
)
def test_certain(console: str, kind: str, proof: str) -> None:
    got = classify.certain(console)
    assert got is not None and got.kind == kind and got.proof.startswith(proof), got


def test_panic_waits_for_its_end_then_names_init() -> None:
    head = "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00007f00"
    assert classify.certain(head) is None  # the message is still being written
    got = classify.certain(head + "\n---[ end Kernel panic - not syncing: Attempted to kill")
    assert got == classify.Outcome("no-init", head)


def test_booting_is_not_certain_and_a_stopped_console_is_a_hang() -> None:
    console = "Loading Linux 6.1.0-50-amd64 ...\nBegin: Loading essential drivers ... done."
    assert classify.certain(console) is None
    assert classify.final(console).kind == "hang"


def test_normalise_drops_escapes_crs_and_kernel_timestamps() -> None:
    raw = b"\x1b[0;1;31m[    3.141593] Kernel panic\x1b[0m\r\nvm login: "
    assert classify.normalise(raw) == "Kernel panic\nvm login:"


def test_systemd_freezing_is_a_certain_hang() -> None:
    """The boot oracle's target-multi-user-masked: the console stops there for good."""
    console = (
        "systemd[1]: Failed to isolate default target: Unit multi-user.target is masked.\n"
        "systemd[1]: Freezing execution.\n"
    )
    got = classify.certain(console)
    assert got is not None and (got.kind, got.proof) == ("hang", "systemd[1]: Freezing execution.")

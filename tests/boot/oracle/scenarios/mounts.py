"""Mounts: fstab entries whose sources exist or not, with and without nofail.

Direct boots. Under systemd, an fstab line whose device the disk does not have carries
`x-systemd.device-timeout=10s` (WAIT): it only shortens how long systemd waits for that
device (90 s by default) before failing the mount; the failure, and so the outcome, is
the same. Not the command line's systemd.default_device_timeout_sec=, which bookworm's
systemd 252 ignores (it came with 254: the first oracle's boots waited the whole 90 s),
nor DefaultDeviceTimeoutSec= for every device: on a loaded host /dev/ttyS0 then timed out
too, and with it the serial getty the boot is judged by.
"""

from __future__ import annotations

from tests.boot.oracle.layout import BOOT_UUID, DATA_UUID
from tests.boot.oracle.scenario import Break, Scenario
from tests.boot.oracle.scenarios.edits import append, run, separate_boot, sub
from tests.real.build import ROOT_UUID

M = "mounts"
GONE = "0f3c5a7e-9b1d-4e2f-8a6c-4d5e6f7a8b9c"  # a filesystem this disk does not have
GONE2 = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
GONE3 = "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b"
BOOT_TYPO = BOOT_UUID[:-1] + "f"
WAIT = "x-systemd.device-timeout=10s"


def line(src: str, mnt: str = "/srv/data", fs: str = "ext4", opts: str = "defaults",
         passno: int = 2) -> str:  # fmt: skip
    return f"{src} {mnt} {fs} {opts} 0 {passno}\n"


def mkdir_data() -> Break:
    return run("mkdir", "-p", "/srv/data")


SCENARIOS = [
    Scenario(
        "fstab-uuid-missing",
        M,
        "systemd",
        (mkdir_data(), append("etc/fstab", line(f"UUID={GONE}", opts=f"defaults,{WAIT}"))),
        "emergency",
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        doc="A data mount by UUID whose filesystem is gone.",
    ),
    Scenario(
        "fstab-missing-not-blocking",
        M,
        "systemd",
        (
            mkdir_data(),
            append(
                "etc/fstab",
                line(f"UUID={GONE}", opts="defaults,nofail")
                + line(f"UUID={GONE2}", mnt="/srv/spare", opts="noauto", passno=0)
                + f"UUID={GONE3} none swap sw,{WAIT} 0 0\n",
            ),
        ),
        "booted",
        "vm login:",
        doc="Three fstab lines whose filesystem is gone and that must not block the boot: "
        "a nofail mount, a noauto one, and a swap partition without nofail (systemd times "
        "out on its device, 'Dependency failed for swap.target', and boots on). The first "
        "oracle booted each alone (fstab-uuid-missing-nofail, fstab-noauto-missing, "
        "fstab-swap-missing): each reached login:.",
    ),
    Scenario(
        "fstab-devpath-missing",
        M,
        "systemd",
        (mkdir_data(), append("etc/fstab", line("/dev/vdb1", opts=f"defaults,{WAIT}", passno=0))),
        "emergency",
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        doc="A second disk by kernel name, detached (no fsck).",
    ),
    Scenario(
        "fstab-data-present",
        M,
        "systemd",
        (mkdir_data(), append("etc/fstab", line(f"UUID={DATA_UUID}"))),
        "booted",
        "vm login:",
        layout="data",
        doc="A data mount whose filesystem is on the disk (captured device list "
        "/dev/disk/by-uuid/DATA_UUID -> ../../vda2): must stay bootable.",
    ),
    Scenario(
        "fstab-root-names-other-fs",
        M,
        "systemd",
        (sub("etc/fstab", f"UUID={ROOT_UUID} /", f"UUID={GONE} /"),),
        "booted",
        "vm login:",
        doc="root= (grub.cfg) and fstab's / name different filesystems. SURPRISE, recorded "
        "as the truth: it boots. initramfs-tools mounts root from root=, systemd never mounts "
        "/ from fstab; only systemd-remount-fs fails ('[FAILED] Failed to start "
        "systemd-re…ount Root and Kernel File Systems.'), root stays read-only, and "
        "multi-user and login: are reached anyway.",
    ),
    Scenario(
        "fstab-type-typo",
        M,
        "systemd",
        (mkdir_data(), append("etc/fstab", line(f"UUID={DATA_UUID}", fs="ext5"))),
        "emergency",
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        layout="data",
        doc="A data mount whose filesystem exists, with a type no kernel knows (ext5): "
        "mount fails ('unknown filesystem type'), local-fs.target with it.",
    ),
    Scenario(
        "fstab-option-typo",
        M,
        "systemd",
        (mkdir_data(), append("etc/fstab", line(f"UUID={DATA_UUID}", opts="defualts"))),
        "emergency",
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        layout="data",
        doc="A data mount whose filesystem exists, with an option ext4 refuses (defualts).",
    ),
    Scenario(
        "fstab-option-typo-sysvinit",
        M,
        "sysvinit",
        (mkdir_data(), append("etc/fstab", line(f"UUID={DATA_UUID}", opts="defualts"))),
        "booted",
        "vm login:",
        layout="data",
        doc="The same line under sysvinit: mountall.sh reports the failed mount and goes on.",
    ),
    Scenario(
        "fstab-type-typo-sysvinit",
        M,
        "sysvinit",
        (mkdir_data(), append("etc/fstab", line(f"UUID={DATA_UUID}", fs="ext5"))),
        "booted",
        "vm login:",
        layout="data",
        doc="The type typo under sysvinit, checked by fsck at boot (pass 2).",
    ),
    Scenario(
        "fstab-sysvinit-missing",
        M,
        "sysvinit",
        (mkdir_data(), append("etc/fstab", line(f"UUID={GONE}"))),
        "emergency",
        "Press Enter for maintenance",
        doc="sysvinit, a fsck'd (pass 2) data mount whose filesystem is gone.",
    ),
    Scenario(
        "fstab-sysvinit-missing-no-fsck",
        M,
        "sysvinit",
        (mkdir_data(), append("etc/fstab", line(f"UUID={GONE}", passno=0))),
        "booted",
        "vm login:",
        doc="sysvinit, a data mount whose filesystem is gone, not fsck'd (pass 0).",
    ),
    Scenario(
        "fstab-root-other-fs-sysvinit",
        M,
        "sysvinit",
        (sub("etc/fstab", f"UUID={ROOT_UUID} /", f"UUID={GONE} /"),),
        "emergency",
        "An automatic file system check (fsck) of the root filesystem failed.",
        doc="fstab-root-names-other-fs on sysvinit: checkroot.sh reads fstab's / line.",
    ),
    Scenario(
        "fstab-root-other-fs-openrc",
        M,
        "openrc",
        (sub("etc/fstab", f"UUID={ROOT_UUID} /", f"UUID={GONE} /"),),
        "emergency",
        "An automatic file system check (fsck) of the root filesystem failed.",
        doc="fstab-root-names-other-fs on OpenRC (its sysinit runlevel runs checkroot.sh).",
    ),
    Scenario(
        "boot-partition-ok",
        M,
        "systemd",
        (separate_boot(BOOT_UUID), append("etc/fstab", line(f"UUID={BOOT_UUID}", "/boot"))),
        "booted",
        "vm login:",
        layout="boot",
        doc="/boot on its own partition (vda2), mounted by fstab; grub.cfg written by the "
        "real grub-mkconfig for that layout (`linux /vmlinuz-...`). Direct boot: GRUB is "
        "not what is tested (runner takes the entry's files from the /boot partition).",
    ),
    Scenario(
        "boot-partition-uuid-typo",
        M,
        "systemd",
        (
            separate_boot(BOOT_UUID),
            append("etc/fstab", line(f"UUID={BOOT_TYPO}", "/boot", opts=f"defaults,{WAIT}")),
        ),
        "emergency",
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        layout="boot",
        doc="The same disk, fstab's /boot line has a one-character typo in the UUID and "
        "no nofail. The kernel still loads (GRUB finds /boot by its own search UUID).",
    ),
]

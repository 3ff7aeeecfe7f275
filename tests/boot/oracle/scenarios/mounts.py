"""Mounts: fstab entries whose sources exist or not, with and without nofail.

Direct boots. systemd scenarios add `systemd.default_device_timeout_sec=10` to the
command line: it only shortens how long systemd waits for a missing device (90 s by
default) before failing the mount; the failure, and so the outcome, is the same.
"""

from __future__ import annotations

from tests.boot.oracle.layout import DATA_UUID
from tests.boot.oracle.scenario import Break, Scenario
from tests.boot.oracle.scenarios.edits import append, run, sub
from tests.real.build import ROOT_UUID

M = "mounts"
GONE = "0f3c5a7e-9b1d-4e2f-8a6c-4d5e6f7a8b9c"  # a filesystem this disk does not have
SHORT = ("systemd.default_device_timeout_sec=10",)


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
        (mkdir_data(), append("etc/fstab", line(f"UUID={GONE}"))),
        "emergency",
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        cmdline_extra=SHORT,
        doc="A data mount by UUID whose filesystem is gone.",
    ),
    Scenario(
        "fstab-uuid-missing-nofail",
        M,
        "systemd",
        (mkdir_data(), append("etc/fstab", line(f"UUID={GONE}", opts="defaults,nofail"))),
        "booted",
        "vm login:",
        cmdline_extra=SHORT,
        doc="The same with nofail: harmless.",
    ),
    Scenario(
        "fstab-devpath-missing",
        M,
        "systemd",
        (mkdir_data(), append("etc/fstab", line("/dev/vdb1", passno=0))),
        "emergency",
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        cmdline_extra=SHORT,
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
        cmdline_extra=SHORT,
        doc="A data mount whose filesystem is on the disk (captured device list "
        "/dev/disk/by-uuid/DATA_UUID -> ../../vda2): must stay bootable.",
    ),
    Scenario(
        "fstab-noauto-missing",
        M,
        "systemd",
        (mkdir_data(), append("etc/fstab", line(f"UUID={GONE}", opts="noauto", passno=0))),
        "booted",
        "vm login:",
        cmdline_extra=SHORT,
        doc="noauto, source gone: harmless.",
    ),
    Scenario(
        "fstab-swap-missing",
        M,
        "systemd",
        (append("etc/fstab", f"UUID={GONE} none swap sw 0 0\n"),),
        "booted",
        "vm login:",
        cmdline_extra=SHORT,
        doc="A swap partition that is gone, without nofail: systemd times out on the device "
        "('Dependency failed for swap.target') and boots on: harmless.",
    ),
    Scenario(
        "fstab-root-names-other-fs",
        M,
        "systemd",
        (sub("etc/fstab", f"UUID={ROOT_UUID} /", f"UUID={GONE} /"),),
        "booted",
        "vm login:",
        cmdline_extra=SHORT,
        doc="root= (grub.cfg) and fstab's / name different filesystems. SURPRISE, recorded "
        "as the truth: it boots. initramfs-tools mounts root from root=, systemd never mounts "
        "/ from fstab; only systemd-remount-fs fails ('[FAILED] Failed to start "
        "systemd-re…ount Root and Kernel File Systems.'), root stays read-only, and "
        "multi-user and login: are reached anyway.",
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
]

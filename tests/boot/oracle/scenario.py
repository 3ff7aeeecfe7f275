"""A scenario: a base root, one breakage, how it boots, and what its boot showed.

Why the expectation lives here, next to the recipe: the oracle's truth is what a boot
SHOWED, so `expect` and `proof` are copied from a real console log (`python3 -m
tests.boot.oracle boot NAME` prints both). The test re-checks them on every cold run: a
recipe whose boot no longer shows its proof line fails loudly instead of drifting.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.real import build

STAGES = ("entry", "kernel", "mounts", "init-exec", "init-config", "remote-access")
Break = Callable[[Path], None]


@dataclass(frozen=True)
class Scenario:
    """One boot of one broken root.

    name: unique, kebab-case. stage: the boot-chain stage the breakage sits in (a
    healthy root names the stage it guards, "" for the whole chain). variant: a
    tests/real/build.py variant. breaks: applied in order to a private copy of the tree
    (each a small function; its source is part of the cache key). boot: "grub" boots the
    disk's own MBR, GRUB and grub.cfg; "direct" hands the kernel, initrd and command line
    of grub.cfg's default entry to qemu (-kernel/-initrd/-append), for breakages after the
    boot entry, to save GRUB's ~12 s under TCG. cmdline_extra: appended in direct boots
    only, each a wait shortened where the outcome stays the same (say why in `doc`).
    layout: a layout.LAYOUTS name: "root" (one partition), "data" (plus an empty ext4,
    DATA_UUID), "usr" (/usr on its own partition), "boot" (/boot on its own). ssh: boot
    with a user-mode NIC forwarding a local port to the guest's 22 and read sshd's
    banner after `login:`. disk: the bus the disk is on, "virtio" (/dev/vda) or "nvme"
    (/dev/nvme0n1: a driver Debian's cloud kernel has built in). expect/proof: the
    outcome class and the console line that proved it, copied from the log.
    deciding_fact_off_disk: why cockpit cannot decide from the disk alone (verdict
    `unknown` accepted), "" when every deciding fact is on the disk (cockpit is shown the
    disk as an admin's chroot of it: view.py). engine_miss: cockpit is known to judge this
    disk wrongly, and which rule is missing (test_oracle.py marks its claim 2 xfail,
    strict); "" otherwise. Neither is part of the boot's cache key.
    """

    name: str
    stage: str
    variant: str
    breaks: tuple[Break, ...]
    expect: str
    proof: str
    doc: str
    boot: str = "direct"
    cmdline_extra: tuple[str, ...] = ()
    layout: str = "root"
    ssh: bool = False
    disk: str = "virtio"
    timeout: int = 300
    deciding_fact_off_disk: str = ""
    engine_miss: str = ""
    tags: tuple[str, ...] = field(default=())

    def tree_key(self) -> str:
        """Hash of what the tree is made of: the base tarball, the layout and each break's
        source (a changed recipe gets a new tree)."""
        parts = {
            "base": build.tarball(self.variant).name,
            "layout": self.layout,
            "breaks": [describe(b) for b in self.breaks],
            "tree_version": TREE_VERSION,
        }
        return _hash(parts)

    def boot_key(self, qemu_args: list[str]) -> str:
        """Hash of everything the observed outcome depends on."""
        parts = {
            "tree": self.tree_key(),
            "boot": self.boot,
            "cmdline_extra": self.cmdline_extra,
            "ssh": self.ssh,
            "timeout": self.timeout,
            "qemu": qemu_args,
        }
        if self.disk != "virtio":
            parts["disk"] = self.disk
        return _hash(parts)


# Bump when trees.py changes how a tree is made from the same recipe.
TREE_VERSION = 1


def describe(fn: Break) -> str:
    """A break's source plus the values it closes over (a factory's parameters), so two
    breaks made by one factory with different arguments get different keys."""
    cells = []
    for cell in getattr(fn, "__closure__", None) or ():
        value = cell.cell_contents
        cells.append(describe(value) if callable(value) else repr(value))
    return inspect.getsource(fn) + "\n".join(cells)


def _hash(obj: object) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:20]

"""The live VMs' disks: an oracle scenario tree per init, made into a disk once and cached.

Why the oracle's machinery: a live VM is a root of tests/real (build.py variants, with
openssh-server) plus a few additions, so its tree is an oracle Scenario (tests/boot/oracle:
overlay tree cached by recipe hash) and its disk is made by the oracle's image.make
(tests/real/disk.py: mke2fs -d, the base's own GRUB boot sectors). What is added here:

- the disk itself is cached next to the trees (`live/<key>.img`), keyed by the scenario's
  tree key and IMAGE_VERSION, and qemu opens it with `snapshot=on`: the guest's writes
  (a purged init, a crontab) go to a temporary overlay that dies with qemu, so the cached
  disk stays as built and a warm run builds nothing;
- a throw-away key pair (`live/id_ed25519`, made once, root-only) whose public half is
  root's authorized_keys in the trees; its text is part of the recipe, so a new key gets
  new trees;
- the guest's ed25519 host key is copied beside the disk: the tests write it into a
  known_hosts file, and cockpit verifies it as it verifies any host.

A warm run must not depend on the variant's tarball: other branches build roots of an
older RECIPE, and build.ensure deletes the tarball of every other recipe when it finishes.
A cached disk needs neither the tarball nor the tree.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.boot.oracle import image, trees
from tests.boot.oracle.scenario import Break, Scenario
from tests.real import build

#: Bump when the disk made from the same tree changes (image.make's inputs, the key).
IMAGE_VERSION = 1
VARIANTS = ("systemd", "sysvinit", "openrc")
#: Packages a live VM adds to its tests/real root: `at` for at-job reboots, and on systemd
#: `dbus`, through which `shutdown -r +90` asks logind to schedule the shutdown (minbase
#: has no D-Bus: "Failed to connect to bus"; a real server has it).
EXTRA = {"systemd": ("at", "dbus"), "sysvinit": ("at",), "openrc": ("at",)}

#: A package whose postinst sleeps while /run/cockpit-slow exists: a real dpkg run held
#: in flight (dpkg lock held, the package half-configured) for as long as a test needs.
SLOW_CONTROL = """Package: cockpit-slow
Version: 1.0
Architecture: all
Maintainer: cockpit tests <tests@cockpit.invalid>
Description: postinst that waits while /run/cockpit-slow exists (tests/live)
"""
SLOW_POSTINST = """#!/bin/sh
set -e
while [ -e /run/cockpit-slow ]; do sleep 1; done
exit 0
"""


def live_dir() -> Path:
    path = trees.oracle_dir().parent / "live"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def client_key() -> Path:
    """The throw-away private key the tests log in with (made once, mode 0600)."""
    key = live_dir() / "id_ed25519"
    if not key.exists():
        tmp = key.with_suffix(".part")
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".pub").unlink(missing_ok=True)
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "cockpit-tests-live",
             "-f", str(tmp)],
            check=True,
        )  # fmt: skip
        Path(str(tmp) + ".pub").rename(str(key) + ".pub")
        tmp.rename(key)
    return key


def apt_install(*packages: str) -> Break:
    """Packages from the mirror, as build.py installs the variants (policy-rc.d, clean)."""

    def install(root: Path) -> None:
        with tempfile.NamedTemporaryFile(suffix=".log") as log:
            build.apt_install(root, packages, Path(log.name))

    return install


def slow_deb(control: str, postinst: str) -> Break:
    """/root/cockpit-slow_1.0_all.deb, built by the root's own dpkg-deb."""

    def make(root: Path) -> None:
        src = root / "root/cockpit-slow"
        (src / "DEBIAN").mkdir(parents=True)
        (src / "DEBIAN/control").write_text(control)
        post = src / "DEBIAN/postinst"
        post.write_text(postinst)
        post.chmod(0o755)
        trees.chroot(root, ["dpkg-deb", "--root-owner-group", "--build", "/root/cockpit-slow",
                            "/root/cockpit-slow_1.0_all.deb"])  # fmt: skip
        shutil.rmtree(src)

    return make


def authorized(pubkey: str) -> Break:
    """root's authorized_keys: the throw-away key may log in (key only, as Debian's
    sshd allows root by default: PermitRootLogin prohibit-password)."""

    def put(root: Path) -> None:
        ssh = root / "root/.ssh"
        ssh.mkdir(mode=0o700, exist_ok=True)
        keys = ssh / "authorized_keys"
        keys.write_text(pubkey.strip() + "\n")
        keys.chmod(0o600)

    return put


def scenario(variant: str, pubkey: str) -> Scenario:
    """The live VM's recipe. Not in the oracle's ALL: it is booted here, not classified."""
    return Scenario(
        f"live-{variant}",
        "",
        variant,
        (apt_install(*EXTRA[variant]), slow_deb(SLOW_CONTROL, SLOW_POSTINST), authorized(pubkey)),
        "booted",
        "login:",
        doc=f"live VM: the {variant} root with at, a slow package and a test key",
        boot="grub",
        ssh=True,
    )


@dataclass(frozen=True)
class Disk:
    """A cached disk and what the tests need to reach the guest it boots."""

    variant: str
    image: Path
    host_key: str  # the guest's ssh-ed25519 public key line
    kernel_release: str
    built_s: float  # 0 when it came from the cache


def _pubkey(key: Path) -> str:
    return Path(str(key) + ".pub").read_text().strip()


def _key(scn: Scenario) -> str:
    return f"{scn.name}-{scn.tree_key()}-v{IMAGE_VERSION}"


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    with (live_dir() / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


def disk(variant: str) -> Disk:
    """The variant's disk: from the cache, else built (tree, image) and cached."""
    scn = scenario(variant, _pubkey(client_key()))
    base = live_dir() / _key(scn)
    img, meta = base.with_suffix(".img"), base.with_suffix(".json")
    with _locked():
        if not meta.exists():
            t0 = time.monotonic()
            with trees.scenario_tree(scn) as tree:
                host_key = (tree / "etc/ssh/ssh_host_ed25519_key.pub").read_text().split()
                release = sorted((tree / "boot").glob("vmlinuz-*"))[-1].name[len("vmlinuz-") :]
                part = img.with_suffix(".part")
                image.make(scn.layout, tree, part, trees.lower(variant))
                part.rename(img)
            info = {
                "host_key": " ".join(host_key[:2]),
                "kernel_release": release,
                "built_s": round(time.monotonic() - t0, 1),
            }
            meta.write_text(json.dumps(info) + "\n")
            for stale in live_dir().glob(f"{scn.name}-*"):
                if not stale.name.startswith(base.name):
                    stale.unlink(missing_ok=True)
            built = info["built_s"]
        else:
            info = json.loads(meta.read_text())
            built = 0.0
    return Disk(variant, img, str(info["host_key"]), str(info["kernel_release"]), float(built))

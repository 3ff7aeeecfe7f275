"""Build real Debian bookworm root filesystems for the `real` test tier (issue 3).

Why real roots: sample_hosts/ trees are written by us from what we think a system has; a
root built by debootstrap and dpkg has what Debian really puts there (symlink layouts,
RUNPATHs, dpkg's own bookkeeping, the grub.cfg grub-mkconfig writes), so cockpit's parsers
and rules meet files nobody hand-picked.

How a root is made (all with Debian's own tools, from the mirror apt uses on this machine):
1. `debootstrap --variant=minbase --include=systemd-sysv,linux-image-amd64 bookworm`.
   linux-image-amd64 pulls initramfs-tools, whose hook writes the initrd.
2. Inside a chroot (with /proc mounted only for the apt run, unmounted in `finally`, and a
   policy-rc.d that forbids starting daemons, removed afterwards): `apt-get install
   --no-install-recommends grub-pc openssh-server ifupdown isc-dhcp-client cron`. grub-pc's postinst
   installs cleanly but writes no grub.cfg: it has no install device, and in a chroot
   grub-probe cannot find the disk under `/` ("cannot find a device for /").
3. GRUB on the serial console, as servers with a serial console (and every cloud image)
   have it: /etc/default/grub gets GRUB_TERMINAL="serial console", GRUB_SERIAL_COMMAND,
   console=ttyS0 on GRUB_CMDLINE_LINUX, and GRUB_TIMEOUT=1 (Debian's 5 s would only slow
   every boot of tests/boot/oracle). grub.cfg: the REAL `grub-mkconfig` with the real
   /etc/grub.d templates, run in the
   chroot while /usr/sbin/grub-probe is temporarily replaced by a shim that answers its
   questions for the disk this root would sit on (/dev/vda1, ext2 driver, msdos
   partition map, ROOT_UUID). The shim and a placeholder /dev/vda1 (so 10_linux's
   `test -e /dev/disk/by-uuid/UUID` holds and it writes root=UUID=..., as on an
   installed host) are removed right after; the real grub-probe is put back.
   Then the REAL `grub-install --target=i386-pc` onto a disk image of the root (a loop
   device for the disk, a second one at the partition's offset mounted as the chroot's
   root: this machine has no partition nodes for loop devices; hence `--modules=part_msdos`,
   which grub-install would find by itself on a real partition), and /boot/grub as it
   left it (i386-pc/ with core.img, grubenv, fonts, locale) is copied back into the root.
   The disk image is thrown away: the oracle writes the boot sectors again from the tree.
4. /etc/network/interfaces as the installer's netcfg writes it for DHCP on ens3 (the
   stock ifupdown file configures only lo: a host that boots without network).
   /etc/fstab gets the root line the Debian installer writes (by UUID), and the captured
   device list /dev/disk/by-uuid/ROOT_UUID -> ../../vda1, the way
   sample_hosts/debian12-fstab-missing-uuid captures the devices present.
5. `apt-get clean` (as an admin would; saves 100 MB per cached tarball).

Variants are the base plus `apt-get install` in a chroot: sysvinit (sysvinit-core),
openrc (sysvinit-core + openrc), runit (runit-init). sysvinit and openrc then get the
serial getty line Debian's /etc/inittab ships commented out (T0), enabled at 115200 for
runlevels 2-5, as an admin with a serial console does: a booted host shows `login:` on
ttyS0 (systemd starts serial-getty@ttyS0 by itself for the console).
Each is cached as an uncompressed
tarball named by a hash of its recipe (suite, mirror, package lists, RECIPE), under
$COCKPIT_REAL_CACHE, else /var/cache/cockpit-tests (root), else $XDG_CACHE_HOME; rebuilt
when missing. Bump RECIPE when the steps change.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

SUITE = "bookworm"
# The mirror apt uses on this machine (/etc/apt/sources.list.d/debian.sources), which is
# also debootstrap's default for Debian.
MIRROR = "http://deb.debian.org/debian"
RECIPE = 5
ROOT_UUID = "2b7a9c3e-51d4-4f0e-8a6b-93c1d2e4f5a6"
DEBOOTSTRAP_INCLUDE = ("systemd-sysv", "linux-image-amd64")
BASE_APT = ("grub-pc", "openssh-server", "ifupdown", "isc-dhcp-client", "cron")
# variant -> packages installed on top of the base, in order (one apt-get call each)
VARIANTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "systemd": (),
    "sysvinit": (("sysvinit-core",),),
    "openrc": (("sysvinit-core",), ("openrc",)),
    "runit": (("runit-init",),),
}
APT_OPTS = (
    "-y",
    "-q",
    "--no-install-recommends",
    "-o",
    "Acquire::Retries=5",
    "-o",
    "Dpkg::Options::=--force-confdef",
    "-o",
    "Dpkg::Options::=--force-confold",
)
CHROOT_ENV = {
    "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
    "DEBIAN_FRONTEND": "noninteractive",
    "LC_ALL": "C",
    "HOME": "/root",
}

GRUB_PROBE_SHIM = f"""#!/bin/sh
# Temporary stand-in for grub-probe while grub-mkconfig runs in a chroot (tests/real).
t=
for a in "$@"; do case "$a" in --target=*) t=${{a#--target=}};; esac; done
case "$t" in
  device) echo /dev/vda1;;
  fs_uuid) echo {ROOT_UUID};;
  fs) echo ext2;;
  partmap) echo msdos;;
  abstraction) ;;
  drive) echo '(hd0,msdos1)';;
  compatibility_hint) echo hd0,msdos1;;
  hints_string) echo '--hint-bios=hd0,msdos1 --hint-efi=hd0,msdos1 --hint-baremetal=ahci0,msdos1';;
  partuuid) echo 6c3b1a2e-01;;
  fs_label) ;;
  *) exit 1;;
esac
"""

FSTAB = f"""# /etc/fstab: static file system information.
#
# Use 'blkid' to print the universally unique identifier for a
# device; this may be used with UUID= as a more robust way to name devices
# that works even if disks are added and removed. See fstab(5).
#
# systemd generates mount units based on this file, see systemd.mount(5).
# Please run 'systemctl daemon-reload' after you make changes here.
#
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
# / was on /dev/vda1 during installation
UUID={ROOT_UUID} /               ext4    errors=remount-ro 0       1
"""

# What the Debian installer's netcfg writes for a DHCP interface (bookworm).
INTERFACES = """# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface
allow-hotplug ens3
iface ens3 inet dhcp
"""


# What /etc/default/grub gets (Debian's stock file, these lines changed or added).
GRUB_DEFAULTS = {
    "GRUB_TIMEOUT": "1",
    "GRUB_CMDLINE_LINUX": '"console=tty0 console=ttyS0,115200n8"',
    "GRUB_TERMINAL": '"serial console"',
    "GRUB_SERIAL_COMMAND": '"serial --speed=115200 --unit=0 --word=8 --parity=no --stop=1"',
}
INITTAB_SERIAL = "T0:2345:respawn:/sbin/getty -L ttyS0 115200 vt100"


class BuildError(RuntimeError):
    """A root could not be built (mirror unreachable, apt failed...): tests must FAIL."""


def cache_dir() -> Path:
    env = os.environ.get("COCKPIT_REAL_CACHE")
    if env:
        path = Path(env)
    elif os.geteuid() == 0:
        path = Path("/var/cache/cockpit-tests")
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(xdg) / "cockpit-tests"
    path.mkdir(parents=True, exist_ok=True)
    return path


def recipe(variant: str) -> dict[str, object]:
    return {
        "recipe": RECIPE,
        "suite": SUITE,
        "mirror": MIRROR,
        "variant": "minbase",
        "include": DEBOOTSTRAP_INCLUDE,
        "apt": BASE_APT,
        "extra": VARIANTS[variant],
        "root_uuid": ROOT_UUID,
        "grub_defaults": GRUB_DEFAULTS,
        "inittab_serial": INITTAB_SERIAL,
    }


def tarball(variant: str) -> Path:
    key = hashlib.sha256(json.dumps(recipe(variant), sort_keys=True).encode()).hexdigest()
    return cache_dir() / f"{SUITE}-{variant}-{key[:16]}.tar"


def run(cmd: Sequence[str], log: Path, **kw: object) -> None:
    """Run a build step; its output goes to the build log, which a failure quotes."""
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        proc = subprocess.run(list(cmd), stdout=out, stderr=subprocess.STDOUT, **kw)  # type: ignore[call-overload]
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise BuildError(f"`{' '.join(cmd)}` exited {proc.returncode}; log {log}:\n{tail}")


def chroot(root: Path, cmd: Sequence[str], log: Path, env: dict[str, str] | None = None) -> None:
    run(["chroot", str(root), *cmd], log, env={**CHROOT_ENV, **(env or {})})


@contextlib.contextmanager
def proc_mounted(root: Path) -> Iterator[None]:
    """/proc inside the chroot for the duration (apt and maintainer scripts want it);
    unmounted whatever happens, lazily if a process still holds it."""
    target = root / "proc"
    subprocess.run(["mount", "-t", "proc", "proc", str(target)], check=True)
    try:
        yield
    finally:
        if subprocess.run(["umount", str(target)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(target)], check=False)


@contextlib.contextmanager
def no_daemons(root: Path) -> Iterator[None]:
    """policy-rc.d 101: maintainer scripts must not start sshd or cron from the chroot on
    the machine running the tests. Not part of the cached root."""
    policy = root / "usr/sbin/policy-rc.d"
    policy.write_text("#!/bin/sh\nexit 101\n")
    policy.chmod(0o755)
    try:
        yield
    finally:
        policy.unlink(missing_ok=True)


def run_in_chroot(
    root: Path, cmd: Sequence[str], proc: bool = False, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Run a real tool inside `root` with no daemon allowed to start, /proc mounted only
    when the tool needs it (unmounted whatever happens); the caller judges the result."""
    with no_daemons(root):
        ctx = proc_mounted(root) if proc else contextlib.nullcontext()
        with ctx:
            return subprocess.run(
                ["chroot", str(root), *cmd],
                env=CHROOT_ENV,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )


def apt_install(root: Path, packages: Sequence[str], log: Path) -> None:
    shutil.copyfile("/etc/resolv.conf", root / "etc/resolv.conf")
    with no_daemons(root), proc_mounted(root):
        for attempt in range(3):
            try:
                chroot(root, ["apt-get", "update", "-q", "-o", "Acquire::Retries=5"], log)
                chroot(root, ["apt-get", "install", *APT_OPTS, *packages], log)
                break
            except BuildError:
                if attempt == 2:
                    raise
                time.sleep(5 * (attempt + 1))
        chroot(root, ["apt-get", "clean"], log)
    shutil.rmtree(root / "var/lib/apt/lists", ignore_errors=True)
    (root / "var/lib/apt/lists/partial").mkdir(parents=True, exist_ok=True)


@contextlib.contextmanager
def grub_probe_shim(root: Path) -> Iterator[None]:
    """grub-probe answering for /dev/vda1 (GRUB_PROBE_SHIM) while the body runs, and the
    placeholder /dev/vda1 10_linux tests for; the real grub-probe put back after."""
    probe = root / "usr/sbin/grub-probe"
    real = probe.with_name("grub-probe.real-cockpit-tests")
    vda1 = root / "dev/vda1"
    probe.rename(real)
    try:
        probe.write_text(GRUB_PROBE_SHIM)
        probe.chmod(0o755)
        vda1.touch()
        yield
    finally:
        vda1.unlink(missing_ok=True)
        probe.unlink(missing_ok=True)
        real.rename(probe)


def write_grub_cfg(root: Path, log: Path) -> None:
    with grub_probe_shim(root):
        chroot(root, ["grub-mkconfig", "-o", "/boot/grub/grub.cfg"], log)


def serial_grub_defaults(root: Path) -> None:
    """Edit Debian's /etc/default/grub in place: set GRUB_DEFAULTS' keys where the file
    has them (commented or not), append the others."""
    path = root / "etc/default/grub"
    lines = path.read_text().splitlines()
    todo = dict(GRUB_DEFAULTS)
    for i, line in enumerate(lines):
        key = line.lstrip("#").split("=", 1)[0].strip()
        if key in todo and "=" in line:
            lines[i] = f"{key}={todo.pop(key)}"
    lines += [f"{k}={v}" for k, v in todo.items()]
    path.write_text("\n".join(lines) + "\n")


def grub_install(root: Path, log: Path, boot_area: Path | None = None) -> None:
    """The real grub-install onto a throw-away disk image of `root`. Without `boot_area`,
    /boot/grub comes back into the tree as grub-install wrote it (the base build); with
    it, the tree is left alone and the disk's first MiB (MBR + the core.img grub-install
    embedded before the first partition) is saved there instead (the boot oracle writes
    it onto each disk it makes from this root)."""
    from tests.real import disk  # here: build users that never install GRUB skip it

    with tempfile.TemporaryDirectory(dir=cache_dir(), prefix="grub-") as tmp:
        image, mnt = Path(tmp) / "disk.img", Path(tmp) / "mnt"
        mnt.mkdir()
        part = disk.Partition(root, ROOT_UUID, 2048)
        disk.make_image(image, [part])
        with disk.loop(image) as whole, disk.loop(image, disk.offsets([part])[0]) as fs:
            run(["mount", str(fs), str(mnt)], log)
            binds: list[Path] = []
            try:
                for d in ("dev", "proc", "sys"):
                    run(["mount", "--bind", f"/{d}", str(mnt / d)], log)
                    binds.append(mnt / d)
                install = ["grub-install", "--target=i386-pc", "--modules=part_msdos"]
                chroot(mnt, [*install, str(whole)], log)
                if boot_area is None:
                    shutil.rmtree(root / "boot/grub")
                    run(["cp", "-a", str(mnt / "boot/grub"), str(root / "boot/grub")], log)
            finally:
                for b in reversed(binds):
                    subprocess.run(["umount", str(b)], check=False)
                subprocess.run(["umount", str(mnt)], check=False)
        if boot_area is not None:
            with image.open("rb") as f:
                boot_area.write_bytes(f.read(disk.ALIGN * disk.SECTOR))


def enable_serial_getty(root: Path) -> None:
    """Uncomment Debian's T0 line in /etc/inittab (sysvinit's serial getty)."""
    path = root / "etc/inittab"
    text = path.read_text()
    lines = [INITTAB_SERIAL if ln.startswith("#T0:") else ln for ln in text.splitlines()]
    path.write_text("\n".join(lines) + "\n")


def debootstrap(target: Path, log: Path) -> None:
    if shutil.which("debootstrap") is None:
        raise BuildError("debootstrap is not installed: apt-get install debootstrap (.ci/run does)")
    cmd = [
        "debootstrap",
        "--variant=minbase",
        f"--include={','.join(DEBOOTSTRAP_INCLUDE)}",
        SUITE,
        str(target),
        MIRROR,
    ]
    for attempt in range(3):
        try:
            run(cmd, log)
            return
        except BuildError as exc:
            shutil.rmtree(target, ignore_errors=True)
            if attempt == 2:
                raise BuildError(
                    f"debootstrap of {SUITE} from {MIRROR} failed 3 times: is the mirror "
                    f"reachable from this machine?\n{exc}"
                ) from exc
            time.sleep(10 * (attempt + 1))


def build_base(target: Path, log: Path) -> None:
    debootstrap(target, log)
    (target / "etc/fstab").write_text(FSTAB)
    byuuid = target / "dev/disk/by-uuid"
    byuuid.mkdir(parents=True, exist_ok=True)
    (byuuid / ROOT_UUID).symlink_to("../../vda1")
    apt_install(target, BASE_APT, log)
    (target / "etc/network/interfaces").write_text(INTERFACES)
    serial_grub_defaults(target)
    write_grub_cfg(target, log)
    grub_install(target, log)


def pack(root: Path, out: Path, log: Path) -> None:
    tmp = out.with_suffix(".tar.part")
    run(["tar", "--numeric-owner", "--xattrs", "-C", str(root), "-cf", str(tmp), "."], log)
    tmp.rename(out)


def unpack(tar: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["tar", "--numeric-owner", "--xattrs", "-C", str(dest), "-xf", str(tar)], check=True
    )


def ensure(variant: str) -> Path:
    """The cached tarball of `variant`, built (and its base first) if missing."""
    out = tarball(variant)
    if out.exists():
        return out
    base = ensure("systemd") if variant != "systemd" else None
    lock = cache_dir() / ".lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if out.exists():
            return out
        log = cache_dir() / f"{out.stem}.log"
        log.write_text(f"building {out.name}: {json.dumps(recipe(variant))}\n")
        with tempfile.TemporaryDirectory(dir=cache_dir(), prefix="build-") as tmp:
            root = Path(tmp) / "root"
            if base is None:
                build_base(root, log)
            else:
                unpack(base, root)
                for packages in VARIANTS[variant]:
                    apt_install(root, packages, log)
                if (root / "etc/inittab").exists():
                    enable_serial_getty(root)
            pack(root, out, log)
        drop_stale(variant, out)
    return out


#: A root of another recipe is left alone this long: two checkouts (a branch and main, two
#: CI jobs) may share the cache, and deleting the other's root under it fails its tests.
STALE_AFTER_S = 7 * 24 * 3600


def drop_stale(variant: str, keep: Path) -> None:
    """Remove other recipes' roots of `variant` nobody has used for a week (700 MB each)."""
    now = time.time()
    for stale in cache_dir().glob(f"{SUITE}-{variant}-*.tar"):
        if stale != keep and now - stale.stat().st_atime > STALE_AFTER_S:
            stale.unlink(missing_ok=True)

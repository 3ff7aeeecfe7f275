"""Proven by the current boot: on a live host, a stage whose artifacts have not changed
since the boot was proven by that boot itself.

Why: the static provers must show from files that each stage will pass, and some cannot
(an initramfs nobody read, a device list the host lacks). But a host that is up, on the
very kernel, command line and init its default entry names, and that reached multi-user,
went through that chain a few hours ago; if nothing the chain reads has changed since,
the next boot goes through it again. Only what changed needs the static check, and what
changed is listed (`StageResult.changed_since_boot`): it is what the next boot will do
differently, the question during a migration.

"Unchanged" is judged by each file's ctime and mtime against the boot time (btime of
/proc/stat), on the device it is expected on (the mount point holding it, which fstab's
line for it must have mounted now), and for PID 1's binary and libraries by the device and
inode PID 1 has mapped. The boot proves a stage only when it went through the same chain:
- running kernel release == the default entry's release;
- /proc/cmdline == the default entry's command line (BOOT_IMAGE= and initrd= aside);
- for the boot entry and the kernel + initramfs, the loader loaded the entry's image
  (BOOT_IMAGE= or initrd= names it): a kernel the hypervisor or kexec started directly
  never read /boot;
- PID 1's binary == the boot init's resolved path, and not `(deleted)`;
- multi-user reached: systemd running/degraded, sysvinit runlevel 2-5, and for OpenRC
  the `default` softlevel;
- for the mounts, each mount the boot waits for is mounted now (sysvinit goes on to
  runlevel 2 when a plain `mount -a` fails); for remote access, sshd runs now and the
  files show it enabled (a boot that reached multi-user says nothing about sshd).
A blocker still breaks a stage: the current boot only stands in for a proof the files
could not give (an UNKNOWN finding: a listing that timed out, a file not readable), never
against a problem found.
Limit: btime moves with the clock. A clock stepped forward after boot can make a change
made before the step look older than the boot; the dates in the evidence say so.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Iterable

from cockpit.facts import HostFacts
from cockpit.facts.init import ExecCheck, Resolution
from cockpit.facts.since_boot import SinceBoot, Stamp
from cockpit.parsers.init.next_boot import effective_boot
from cockpit.rules.chain.boot_stages import required_mounts
from cockpit.rules.chain.model import BootChain, Stage, StageResult, StageState
from cockpit.rules.services import boot_rc

PROVEN_BY = "current boot"
#: Mount points an artifact's device is compared with (the longest that holds it).
HOMES = ("/", "/boot", "/boot/efi", "/efi", "/usr")
#: Words of /proc/cmdline the loader adds, which the entry's command line does not hold.
LOADER_WORDS = ("BOOT_IMAGE=", "initrd=")
MULTI_USER_RUNLEVELS = "2345"


def span(seconds: int) -> str:
    """`45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`: how long after (or before) the boot."""
    s = abs(seconds)
    if s < 120:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


# -- did the current boot go through the chain the next boot takes? -----------------------
def _words(cmdline: str) -> list[str]:
    return [w for w in cmdline.split() if not w.startswith(LOADER_WORDS)]


def _multi_user(facts: HostFacts) -> tuple[bool, str]:
    init, since = facts.init, facts.since_boot
    if init.running_family == "systemd":
        state = init.systemd_state
        return state in ("running", "degraded"), f"systemd is {state or 'in an unknown state'}"
    if init.running_family in ("sysvinit", "openrc"):
        level = (init.runlevel or "").split()[-1:] or ["?"]
        ok = level[0] in MULTI_USER_RUNLEVELS
        why = f"sysvinit runlevel {init.runlevel or 'unknown'}"
        if boot_rc(facts)[0] == "openrc":
            soft = since.softlevel
            ok = ok and soft == "default"
            why += f", OpenRC softlevel {soft or 'unknown'}"
        return ok, why
    return False, f"no multi-user signal read for a {init.running_family} PID 1"


def _base(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(")", 1)[-1]


def loaded_by_loader(facts: HostFacts) -> tuple[bool, str]:
    """Did the bootloader load the default entry's files this time? A kernel booted
    straight by the hypervisor (qemu -kernel), by kexec or over the network never read
    /boot, so its files being unchanged proves nothing about them. GRUB and syslinux say
    which image they loaded with BOOT_IMAGE=, an EFI stub loader with initrd=."""
    b = facts.boot
    entry = b.default_entry
    if b.proc_cmdline is None or entry is None or entry.kernel is None:
        return False, "which kernel image the loader loaded is not known"
    words = b.proc_cmdline.split()
    images = [w.split("=", 1)[1] for w in words if w.startswith("BOOT_IMAGE=")]
    initrds = [w.split("=", 1)[1] for w in words if w.startswith("initrd=")]
    if images:
        ok = _base(images[-1]) == _base(entry.kernel.written)
        return ok, f"/proc/cmdline: BOOT_IMAGE={images[-1]}"
    if initrds and entry.initrds:
        ok = {_base(i) for i in initrds} == {_base(i.written) for i in entry.initrds}
        return ok, f"/proc/cmdline: initrd={' initrd='.join(initrds)}"
    return False, "/proc/cmdline names no image a loader loaded (no BOOT_IMAGE=, no initrd=)"


def went_through(facts: HostFacts) -> tuple[bool, list[str]]:
    """(the current boot took the chain the next boot will, the evidence or the reason)."""
    b, since = facts.boot, facts.since_boot
    ev: list[str] = []
    running, default = facts.host.kernel_release, b.default_kernel_release
    if not running or running != default:
        return False, [f"running kernel {running or '?'}, default entry's {default or '?'}"]
    ev.append(f"running kernel {running}: the default entry's")
    if b.proc_cmdline is None or b.default_cmdline is None:
        return False, ["/proc/cmdline or the default entry's command line was not read"]
    if _words(b.proc_cmdline) != _words(b.default_cmdline):
        return False, [
            f"/proc/cmdline {b.proc_cmdline[:120]!r} is not the default entry's "
            f"{b.default_cmdline[:120]!r}"
        ]
    ev.append("/proc/cmdline: the default entry's command line")
    check, _arg = effective_boot(facts.init, b.default_cmdline)
    pid1 = facts.init.pid1
    boot_init = check.resolution.resolved if check is not None else None
    if pid1.exe_state != "ok" or not pid1.exe:
        return False, [f"PID 1's binary could not be read ({pid1.exe_state})"]
    if pid1.deleted:
        return False, [f"PID 1 runs {pid1.exe} (deleted): its binary is gone since boot"]
    if boot_init is None or pid1.exe != boot_init:
        return False, [f"PID 1 runs {pid1.exe}, the next boot execs {boot_init or '?'}"]
    ev.append(f"PID 1 runs {pid1.exe}, the init the next boot execs")
    ok, why = _multi_user(facts)
    if not ok:
        return False, [f"multi-user not shown: {why}"]
    ev.append(f"multi-user reached: {why}")
    if facts.host.epoch is not None and since.btime is not None:
        ev.append(f"up {span(facts.host.epoch - since.btime)}")
    return True, ev


# -- which files each stage reads -----------------------------------------------------------
def _chain_paths(res: Resolution) -> list[str]:
    out = [res.path]
    out.extend(hop.partition(" -> ")[0] for hop in res.hops if " -> " in hop)
    if res.found and res.resolved:
        out.append(res.resolved)
    return out


def _links(facts: HostFacts) -> dict[str, str]:
    """Every symlink the resolutions met, and the top-level directory links the probe
    read (`/lib -> usr/lib`), as absolute targets."""
    init = facts.init
    found = [init.sbin_init, init.usr_sbin_init, *init.candidates]
    resolutions = [c.resolution for c in found if c is not None]
    resolutions += [c.interpreter for c in found if c is not None and c.interpreter]
    resolutions += list(init.default_targets)
    out: dict[str, str] = {}
    hops = [h for res in resolutions for h in res.hops]
    hops += [f"{link} -> {target}" for link, target in facts.since_boot.links]
    for hop in hops:
        link, sep, target = hop.partition(" -> ")
        if sep and link.startswith("/") and target:
            base = "/" if target.startswith("/") else posixpath.dirname(link)
            out[link] = posixpath.normpath(posixpath.join(base, target))
    return out


def canonical(path: str, links: dict[str, str]) -> str:
    """`path` with the directory links it goes through replaced by their targets (the
    loader's `/lib/x86_64-linux-gnu/libc.so.6` is `/usr/lib/...` on merged /usr, which is
    the name PID 1's mappings and the stat list carry)."""
    for _ in range(16):
        for link in sorted(links, key=len, reverse=True):
            if path.startswith(link + "/"):
                path = links[link] + path[len(link) :]
                break
        else:
            return path
    return path


def _present(since: SinceBoot, paths: Iterable[str]) -> list[str]:
    return [p for p in paths if since.stamp(p) is not None]


def _boot_init(facts: HostFacts) -> ExecCheck | None:
    check, _arg = effective_boot(facts.init, facts.boot.default_cmdline)
    return check


def artifacts(stage: Stage, facts: HostFacts) -> tuple[list[str], str | None]:
    """The files `stage` reads at boot on this host ([], why) when they cannot be told."""
    b, since = facts.boot, facts.since_boot
    entry = b.default_entry
    if stage in (Stage.ENTRY, Stage.KERNEL):
        if b.loader is None or entry is None or entry.kernel is None or not entry.kernel.found:
            return [], "no default entry with a kernel that was found"
        images = [entry.kernel.found, *(i.found for i in entry.initrds if i.found)]
        if len(images) != 1 + len(entry.initrds):
            return [], "an initrd of the default entry was not found"
        if stage is Stage.KERNEL:
            return images, None
        config = b.loader.config
        env = _present(since, [posixpath.join(posixpath.dirname(config), "grubenv")])
        return [config, *env, *images], None
    if stage is Stage.MOUNTS:
        return ["/etc/fstab", *(["/etc/crypttab"] if b.crypttab else [])], None
    if stage is Stage.INIT_EXEC:
        check = _boot_init(facts)
        if check is None:
            return [], "the boot init was not checked"
        paths = _chain_paths(check.resolution)  # gone or not, the change is news
        links = _links(facts)
        if check.state == "ok" and check.elf is not None:
            if check.elf.interp_found:
                paths.append(canonical(check.elf.interp_found, links))
            paths.extend(canonical(where, links) for _lib, where in check.elf.needed_found)
        if check.interpreter is not None:
            paths.extend(_chain_paths(check.interpreter))
        return paths, None
    if stage is Stage.INIT_CONFIG:
        return _config_artifacts(facts)
    return _remote_artifacts(facts)


def _config_artifacts(facts: HostFacts) -> tuple[list[str], str | None]:
    check = _boot_init(facts)
    family = check.family if check is not None else "unknown"
    since = facts.since_boot
    if family == "systemd":
        for res in facts.init.default_targets:
            if res.state != "absent":
                return _chain_paths(res), None
        return [], "no default.target found"
    if family == "sysvinit":
        paths = ["/etc/inittab"]
        rc, _why = boot_rc(facts)
        if rc == "openrc":
            paths += _present(
                since, [f"/etc/runlevels/{r}" for r in ("sysinit", "boot", "default")]
            )
        elif rc == "sysv-rc":
            level = facts.init.inittab.initdefault or "2"
            paths += _present(since, ["/etc/rcS.d", *(f"/etc/rc{c}.d" for c in level[:1])])
        else:
            return [], f"the rc system ({rc or 'unknown'}) has no file list here"
        return paths, None
    return [], f"no file list for how {family} reaches multi-user"


def _remote_artifacts(facts: HostFacts) -> tuple[list[str], str | None]:
    since = facts.since_boot
    rc, _why = boot_rc(facts)
    keys = [s.path for s in since.stamps if s.path.startswith("/etc/ssh/ssh_host_")]
    if not keys:
        return [], "no sshd host key was found"
    paths = ["/etc/ssh/sshd_config", *_present(since, ["/etc/ssh/sshd_config.d"]), *keys]
    if rc == "systemd":
        units = ("ssh.service", "sshd.service")
        paths += _present(
            since,
            [
                *(f"/etc/systemd/system/multi-user.target.wants/{u}" for u in units),
                "/etc/systemd/system/sockets.target.wants/ssh.socket",
                *(f"/etc/systemd/system/{u}" for u in units),
                "/lib/systemd/system/ssh.service",
                "/usr/lib/systemd/system/sshd.service",
            ],
        )
    elif rc in ("sysv-rc", "openrc"):
        dirs = ["/etc/rc2.d", "/etc/rc3.d"] if rc == "sysv-rc" else ["/etc/runlevels/default"]
        paths += _present(since, ["/etc/init.d/ssh", "/etc/init.d/sshd", *dirs])
    else:
        return [], f"the rc system ({rc or 'unknown'}) has no file list here"
    paths += _present(
        since,
        ["/etc/network/interfaces", "/etc/network/interfaces.d", "/etc/systemd/network",
         "/etc/netplan"],
    )  # fmt: skip
    return paths, None


# -- is each file the one the boot used? ----------------------------------------------------
def _home(since: SinceBoot, path: str) -> Stamp | None:
    best = None
    for home in HOMES:
        if path == home or path.startswith(home.rstrip("/") + "/"):
            stamp = since.stamp(home)
            if stamp is not None and (best is None or len(home) > len(best.path)):
                best = stamp
    return best


def _fstab_mountpoint(facts: HostFacts, path: str) -> str | None:
    best = None
    for e in facts.boot.fstab:
        mp = e.mountpoint.rstrip("/") or "/"
        if not mp.startswith("/") or e.fstype == "swap":
            continue
        if (path == mp or path.startswith(mp.rstrip("/") + "/")) and (
            best is None or len(mp) > len(best)
        ):
            best = mp
    return best


@dataclasses.dataclass
class Judged:
    unchanged: list[str] = dataclasses.field(default_factory=list)  # evidence lines
    changed: list[str] = dataclasses.field(default_factory=list)  # changed_since_boot
    unknown: list[str] = dataclasses.field(default_factory=list)  # why not provable


def judge_files(paths: Iterable[str], facts: HostFacts, maps_matter: bool) -> Judged:
    since = facts.since_boot
    btime = since.btime
    out = Judged()
    assert btime is not None
    for path in dict.fromkeys(paths):
        stamp = since.stamp(path)
        if stamp is None:
            if since.is_absent(path):
                out.changed.append(f"{path}: not there now")
            else:
                out.unknown.append(f"{path}: not read")
            continue
        after = stamp.changed_at - btime
        if after > 0:
            out.changed.append(f"{path} changed {span(after)} after boot")
            continue
        home = _home(since, path)
        if home is None or home.dev != stamp.dev:
            where = home.path if home else "its mount point"
            out.unknown.append(f"{path}: not on the device of {where}")
            continue
        mp = _fstab_mountpoint(facts, path)
        if mp not in (None, "/") and since.mounted(mp) is not True:
            out.unknown.append(f"{path}: fstab mounts {mp}, which is not mounted now")
            continue
        mapped = since.mapping(path) if maps_matter and since.maps else None
        if mapped is not None and (mapped.dev, mapped.ino) != (stamp.dev, stamp.ino):
            out.changed.append(f"{path}: not the file PID 1 loaded (replaced since boot)")
            continue
        out.unchanged.append(f"{path}: unchanged since boot (last change {span(-after)} before)")
    return out


def _mounts_up(facts: HostFacts) -> tuple[bool, str]:
    since = facts.since_boot
    if since.mounts is None:
        return False, "what is mounted now was not read"
    missing = [e.mountpoint for e in required_mounts(facts) if not since.mounted(e.mountpoint)]
    if missing:
        return False, f"not mounted now: {', '.join(missing[:4])}"
    return True, "every mount the boot waits for is mounted now"


def _extra(stage: Stage, facts: HostFacts, result: StageResult) -> tuple[bool, str | None]:
    """What a stage needs beyond unchanged files for the boot to prove it."""
    if stage in (Stage.ENTRY, Stage.KERNEL):
        ok, why = loaded_by_loader(facts)
        return ok, f"the loader loaded the default entry's kernel ({why})" if ok else why
    if stage is Stage.MOUNTS:
        return _mounts_up(facts)
    if stage is Stage.REMOTE_ACCESS:
        sshd = facts.since_boot.sshd
        if sshd is None:
            return False, "sshd is not running now (/run/sshd.pid)"
        if result.proven_by != "files":
            return False, "the files do not show sshd and the network enabled"
        return True, f"sshd runs now (pid {sshd[0]})"
    return True, None


def _stage(result: StageResult, facts: HostFacts, through: tuple[bool, list[str]]) -> StageResult:
    stage = result.stage
    paths, _why = artifacts(stage, facts)
    if not paths:
        return result
    judged = judge_files(paths, facts, maps_matter=stage is Stage.INIT_EXEC)
    changed = tuple(judged.changed)
    if changed or judged.unknown or result.state is StageState.BROKEN:
        return dataclasses.replace(result, changed_since_boot=changed)
    ok, through_ev = through
    extra_ok, extra_ev = _extra(stage, facts, result)
    if not ok or not extra_ok:
        return dataclasses.replace(result, changed_since_boot=changed)
    static = (
        list(result.evidence)
        if result.state is StageState.PROVEN
        else [f"the files alone: {result.reason}"]
    )
    evidence = (*through_ev, *([extra_ev] if extra_ev else []), *judged.unchanged, *static)
    return StageResult(
        stage,
        StageState.PROVEN,
        "unchanged since the current boot, which went through it",
        tuple(evidence),
        (),
        (),
        PROVEN_BY,
    )


def with_current_boot(chain: BootChain, facts: HostFacts) -> BootChain:
    """The chain with each stage the current boot proves, and what changed since it."""
    if facts.mode != "live" or facts.host.container or not facts.since_boot.known:
        return chain
    through = went_through(facts)
    return BootChain(tuple(_stage(r, facts, through) for r in chain))

"""A separate /usr: the initramfs must mount it when the init lives under /usr.

With merged /usr, /sbin/init is /usr/lib/systemd/systemd (or /usr/sbin/init): the kernel
can exec it only if /usr is mounted before the switch to the real root, which is the
initramfs' job. initramfs-tools' init mounts an fstab /usr itself; dracut does with its
usrmount module (hooks/pre-pivot/50-mount-usr.sh) or through systemd's fstab generator
in the initrd; mkinitcpio only with its `usr` or `systemd` hook. What no listing shows
is unknown, never assumed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cockpit.facts import HostFacts
from cockpit.facts.kernel import InitramfsListing
from cockpit.facts.kmods import FS_MODULES
from cockpit.rules.boot.devices import resolve_source

if TYPE_CHECKING:
    from cockpit.rules.boot.kernel_stage import KernelAnalysis


def _mounts_usr(lst: InitramfsListing) -> tuple[bool | None, str]:
    files = set(lst.files)
    systemd = any(f.endswith("lib/systemd/systemd") for f in files)
    gen = lst.generator
    if gen == "initramfs-tools":
        return True, "initramfs-tools' init mounts /usr from the root's fstab"
    if gen == "dracut":
        if any(f.endswith("hooks/pre-pivot/50-mount-usr.sh") for f in files):
            return True, "dracut's usrmount hook (pre-pivot/50-mount-usr.sh)"
        if systemd:
            return True, "systemd in the initrd mounts /usr from the root's fstab"
        return None, "dracut image without usrmount or systemd"
    if gen == "mkinitcpio":
        if "hooks/usr" in files:
            return True, "mkinitcpio's usr hook"
        if systemd:
            return True, "systemd in the initrd (mkinitcpio systemd hook)"
        return False, "mkinitcpio image without the usr or systemd hook"
    if lst.complete and systemd:
        return True, "systemd in the initrd mounts /usr from the root's fstab"
    return None, f"whether {gen or 'an unknown generator'}'s image mounts /usr is not known"


def _init_path(facts: HostFacts) -> str | None:
    """Where the kernel's init resolves to, inside ROOT (None if not known)."""
    init = facts.init
    check = init.sbin_init
    arg = None
    entry = facts.boot.default_entry
    if entry is not None and entry.cmdline:
        arg = next((w[5:] for w in entry.cmdline.split() if w.startswith("init=")), None)
    if arg:
        check = next((c for c in init.candidates if c.path == arg), None)
    if check is None:
        return None
    return check.resolution.resolved


#: Mounts the loader reads by itself (GRUB's prefix, the ESP): whether fstab lists them
#: does not change what the kernel and the initramfs find.
_LOADER_MOUNTS = ("/boot", "/boot/efi", "/efi")


def check_unlisted_mounts(facts: HostFacts, out: KernelAnalysis) -> None:
    """A filesystem mounted under ROOT here, on a block device, that ROOT's fstab does not
    mount: cockpit read its files, the boot will not. The boot sees the root filesystem's
    own directory under that mount point, which is almost always the empty mount point
    (a separate /usr that fstab lost: "No init found"). When init lives there, that is a
    blocker; anything else read there (/var's crontabs, dpkg's state) is not what the next
    boot will see, and the evidence says so."""
    b = facts.boot
    if b.kernel.viewer_state != "ok" or b.fstab_state not in ("ok", "absent"):
        return
    listed = {e.mountpoint.rstrip("/") or "/" for e in b.fstab if not e.noauto}
    points = sorted(
        {d.mounted.rstrip("/") for d in b.kernel.viewer_devices if d.mounted} - {"", "/"}
    )
    init = _init_path(facts)
    for point in points:
        if point in listed or point in _LOADER_MOUNTS:
            continue
        if init is not None and (init == point or init.startswith(point + "/")):
            out.blockers.append(
                (
                    "boot.init-on-unlisted-mount",
                    f"init is {init}, on the filesystem mounted here at {point}, but "
                    f"/etc/fstab does not mount {point}: at boot the initramfs finds only "
                    f"the root filesystem's own {point} (normally an empty mount point)",
                    [
                        f"{point}: a separate block-device mount under ROOT",
                        f"/etc/fstab: no line mounts {point}"
                        if b.fstab_state == "ok"
                        else "/etc/fstab: absent",
                    ],
                    f"Add {point}'s filesystem to /etc/fstab (by UUID=), then rebuild the "
                    "initramfs so it mounts it before init runs.",
                )
            )
        else:
            out.evidence.append(
                f"{point} is a separate mount here but /etc/fstab does not mount it: the "
                f"boot sees the root filesystem's own {point}, not what was read there"
            )


def check_usr(facts: HostFacts, out: KernelAnalysis) -> None:
    usr = next(
        (e for e in facts.boot.fstab if e.mountpoint.rstrip("/") == "/usr" and not e.noauto),
        None,
    )
    if usr is None:
        return
    a = out.avail
    assert a is not None
    init = _init_path(facts)
    needs = init is not None and init.startswith("/usr/")
    res = resolve_source(facts, usr.source)
    if res.found is not True:
        out.gaps.append(f"separate /usr: its source {usr.source} is not known to exist ({res.how})")
    if not out.entry or not out.entry.initrds:
        if needs:
            out.blockers.append(
                (
                    "boot.usr-not-mounted-by-initramfs",
                    f"/usr is a separate filesystem and init is {init}, but the default entry "
                    "has no initramfs to mount /usr before running it",
                    [usr.line, f"init resolves to {init}"],
                    "Give the entry an initramfs that mounts /usr, or move /usr onto root.",
                )
            )
        elif init is None:
            out.gaps.append("separate /usr, no initramfs, and where init lives is not known")
        else:
            out.evidence.append(f"separate /usr, mounted later by init ({init} is on root)")
        return
    req = FS_MODULES.get(usr.fstype)
    if req is None:
        out.gaps.append(f"separate /usr on {usr.fstype}: which module it needs is not known")
    else:
        state, found = a.meet(req)
        if state == "absent":
            out.blockers.append(
                (
                    "boot.usr-fs-module-missing",
                    f"/usr is {usr.fstype}, and {found[0]} is neither built in nor in the "
                    "initramfs: /usr cannot be mounted before init runs",
                    [usr.line, a.builtin_how],
                    f"Add {found[0]} to the initramfs and rebuild it for {a.release}.",
                )
            )
        elif state == "unknown":
            out.gaps.append(f"separate /usr on {usr.fstype}: module " + ", ".join(found))
        else:
            out.evidence.append(f"separate /usr ({usr.fstype}): " + ", ".join(found))
    verdicts = [_mounts_usr(lst) for lst in a.listings]
    if any(v is True for v, _ in verdicts):
        out.evidence.append("separate /usr: " + next(w for v, w in verdicts if v is True))
    elif verdicts and all(v is False for v, _ in verdicts) and needs:
        out.blockers.append(
            (
                "boot.usr-not-mounted-by-initramfs",
                f"/usr is a separate filesystem and init is {init}, but the initramfs does "
                "not mount /usr: the kernel cannot exec init",
                [usr.line, *(w for _, w in verdicts)],
                "Add mkinitcpio's `usr` (or `systemd`) hook to HOOKS and run `mkinitcpio -P`.",
            )
        )
    elif not needs and init is not None:
        out.evidence.append(f"separate /usr, mounted later by init ({init} is on root)")
    else:
        out.gaps.append(
            "separate /usr: " + "; ".join(w for _, w in verdicts)
            if verdicts
            else "separate /usr: no initramfs listing says whether it mounts /usr"
        )

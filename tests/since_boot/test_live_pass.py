"""The "proven by the current boot" pass (rules/chain/live.py) on a real live host's
sections, each test changing what one probe line says, as the host would have said it."""

from __future__ import annotations

from cockpit.render.text_out import host_block
from cockpit.rules.chain.live import canonical, span
from cockpit.rules.chain.model import Stage, StageState
from cockpit.snapshot import Section
from tests.since_boot.helpers import captured, edit, judge, line_of, touch, unread_initramfs

BOOT_STAGES = [s for s in Stage if s.decides_verdict]
INITRD = "/boot/initrd.img-6.1.0-50-amd64"


def by(state_chain: object) -> dict[str, str | None]:
    return {r.stage.value: r.proven_by for r in state_chain}  # type: ignore[attr-defined]


def test_healthy_live_host_is_proven_by_its_boot() -> None:
    state = judge(captured())
    assert state.verdict == "bootable" and state.chain is not None
    assert set(by(state.chain).values()) == {"current boot"}
    assert state.chain.changed_since_boot == ()


def test_the_boot_proves_what_the_files_could_not_read() -> None:
    secs = captured()
    unread_initramfs(secs)
    state = judge(secs)
    assert state.verdict == "bootable" and state.chain is not None
    kernel = state.chain.get(Stage.KERNEL)
    assert kernel is not None and kernel.proven_by == "current boot"
    # the static check alone cannot prove it (initramfs unread)...
    assert any(e.startswith("the files alone:") for e in kernel.evidence)
    # ...the boot does, and says how it knows
    assert "running kernel 6.1.0-50-amd64: the default entry's" in kernel.evidence
    assert f"{INITRD}: unchanged since boot" in " ".join(kernel.evidence)


def test_changed_fstab_falls_back_to_the_files() -> None:
    secs = captured()
    touch(secs, "/etc/fstab", after_boot=12 * 60 + 5)
    state = judge(secs)
    assert state.chain is not None
    mounts = state.chain.get(Stage.MOUNTS)
    assert mounts is not None
    assert mounts.changed_since_boot == ("/etc/fstab changed 12 min after boot",)
    assert (mounts.state, mounts.proven_by) == (StageState.PROVEN, "files")
    assert state.chain.changed_since_boot == ("/etc/fstab changed 12 min after boot",)
    assert state.verdict == "bootable"
    text = host_block(state)  # `cockpit check`'s text says both
    assert "     changed since boot: /etc/fstab changed 12 min after boot" in text
    assert (
        "     proven by the current boot: entry, kernel, init-exec, init-config, remote-access"
        in text
    )


def test_new_initrd_is_judged_by_the_files() -> None:
    secs = captured()
    touch(secs, INITRD, after_boot=90)
    state = judge(secs)
    assert state.chain is not None
    kernel, entry = state.chain.get(Stage.KERNEL), state.chain.get(Stage.ENTRY)
    assert kernel is not None and entry is not None
    assert (kernel.state, kernel.proven_by) == (StageState.PROVEN, "files")
    assert f"{INITRD} changed 90 s after boot" in kernel.changed_since_boot
    assert entry.proven_by == "files" and entry.changed_since_boot == kernel.changed_since_boot
    # ...and one the files cannot read is not proven by a boot that did not use it
    unread_initramfs(secs)
    state = judge(secs)
    assert state.chain is not None
    kernel = state.chain.get(Stage.KERNEL)
    assert kernel is not None and kernel.state is StageState.UNKNOWN and kernel.proven_by is None
    assert state.verdict == "unknown"


def test_purged_init_is_broken_and_lists_what_is_gone() -> None:
    """systemd-sysv purged: /sbin/init gone, PID 1 (systemd itself) still there."""
    secs = captured()
    secs["init.boot:/sbin/init"] = Section(
        "init.boot:/sbin/init", "absent", 0,
        "path /sbin/init\nlink /sbin -> usr/sbin\nresolved /usr/sbin/init\n",
    )  # fmt: skip
    init_stat = line_of(secs, "since_boot.stat", r"\d+ \d+ \d+ \d+ /sbin/init")
    edit(secs, "since_boot.stat", "\n" + init_stat, "")
    edit(secs, "since_boot.absent", "/efi\n", "/efi\n/sbin/init\n")
    state = judge(secs)
    assert state.verdict == "unbootable" and state.chain is not None
    exec_ = state.chain.get(Stage.INIT_EXEC)
    assert exec_ is not None and exec_.state is StageState.BROKEN
    assert "/sbin/init: not there now" in exec_.changed_since_boot
    # PID 1 no longer runs what the next boot execs: nothing is proven by this boot
    assert "current boot" not in by(state.chain).values()


def test_a_different_command_line_proves_nothing() -> None:
    secs = captured()
    edit(secs, "boot.file:/proc/cmdline", " ro ", " ro single ")
    state = judge(secs)
    assert state.chain is not None and "current boot" not in by(state.chain).values()
    assert state.chain.changed_since_boot == ()


def test_another_running_kernel_proves_nothing() -> None:
    secs = captured()
    edit(secs, "host.osrelease", "6.1.0-50-amd64", "6.1.0-49-amd64")
    state = judge(secs)
    assert state.chain is not None and "current boot" not in by(state.chain).values()


def test_not_yet_multi_user_proves_nothing() -> None:
    secs = captured()
    secs["init.systemd.state"] = Section("init.systemd.state", "error", 1, "starting\n")
    state = judge(secs)
    assert state.chain is not None and "current boot" not in by(state.chain).values()


def test_another_device_or_a_replaced_library_is_not_the_booted_file() -> None:
    secs = captured()
    fstab = line_of(secs, "since_boot.stat", r"\d+ \d+ \d+ \d+ /etc/fstab")
    edit(secs, "since_boot.stat", fstab, "2049 " + fstab.split(" ", 1)[1])  # another fs
    libc = line_of(secs, "since_boot.boot", r"map \S+ \d+ \S*/libc\.so\.6")
    edit(secs, "since_boot.boot", libc, " ".join([*libc.split()[:2], "9999", libc.split()[3]]))
    state = judge(secs)
    assert state.chain is not None
    mounts, exec_ = state.chain.get(Stage.MOUNTS), state.chain.get(Stage.INIT_EXEC)
    assert mounts is not None and mounts.proven_by == "files"
    assert exec_ is not None and exec_.proven_by == "files"
    assert any("not the file PID 1 loaded" in c for c in exec_.changed_since_boot)


def test_fstab_mount_not_mounted_now_is_not_proven_by_the_boot() -> None:
    secs = captured()
    edit(secs, "boot.fstab", "errors=remount-ro 0       1\n",
         "errors=remount-ro 0       1\n/dev/vdb /data ext4 defaults 0 2\n")  # fmt: skip
    state = judge(secs)
    assert state.chain is not None
    mounts = state.chain.get(Stage.MOUNTS)
    assert mounts is not None and mounts.proven_by != "current boot"


def test_sshd_not_running_is_not_proven_by_the_boot() -> None:
    secs = captured()
    edit(secs, "since_boot.boot", line_of(secs, "since_boot.boot", r"sshd \d+ sshd") + "\n", "")
    state = judge(secs)
    assert state.chain is not None
    remote = state.chain.get(Stage.REMOTE_ACCESS)
    assert remote is not None and remote.proven_by == "files"


def test_offline_root_is_left_to_the_files() -> None:
    secs = captured()
    for name in ("since_boot.boot", "since_boot.absent", "since_boot.stat"):
        secs[name] = Section(name, "offline", 0, "")
    state = judge(secs)
    assert state.chain is not None and "current boot" not in by(state.chain).values()


def test_canonical_and_span() -> None:
    links = {"/lib": "/usr/lib", "/usr/lib64": "/usr/lib"}
    assert canonical("/lib/x86_64-linux-gnu/libc.so.6", links) == (
        "/usr/lib/x86_64-linux-gnu/libc.so.6"
    )
    assert canonical("/libexec/x", links) == "/libexec/x"
    assert [span(s) for s in (45, 725, 3 * 3600 + 300, 2 * 86400 + 4 * 3600)] == [
        "45 s", "12 min", "3 h 05 min", "2 d 4 h",
    ]  # fmt: skip


def test_a_kernel_no_loader_loaded_proves_no_boot_file() -> None:
    """qemu -kernel, kexec, PXE: no BOOT_IMAGE= (nor initrd=) on /proc/cmdline. The boot
    never read /boot, so the entry and kernel stages rest on the files; what comes after
    the kernel (mounts, init) the boot still went through."""
    secs = captured()
    edit(secs, "boot.file:/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-50-amd64 ", "")
    state = judge(secs)
    assert state.chain is not None
    assert by(state.chain) == {
        "entry": "files", "kernel": "files", "mounts": "current boot",
        "init-exec": "current boot", "init-config": "current boot",
        "remote-access": "current boot",
    }  # fmt: skip


def test_the_loader_loaded_another_image() -> None:
    secs = captured()
    edit(secs, "boot.file:/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-50-amd64",
         "BOOT_IMAGE=/boot/vmlinuz-6.1.0-50-amd64.old")  # fmt: skip
    state = judge(secs)
    assert state.chain is not None
    entry = state.chain.get(Stage.ENTRY)
    assert entry is not None and entry.proven_by == "files"

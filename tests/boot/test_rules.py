"""Boot rules: facts in, findings out, including the false alarms they must not raise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cockpit.snapshot import Section, Sections
from tests.boot.helpers import ids, judge
from tests.support import corpus, sections_from

D = "6.1.0-18-amd64"
NEW = "6.1.0-21-amd64"
UUID = "2b7a9c3e-51d4-4f0e-8a6b-93c1d2e4f5a6"


def grub(*kernels: str, initrd: bool = True, default: str = "0") -> str:
    out = f'set default="{default}"\n'
    for k in kernels:
        out += f"menuentry 'Debian, with Linux {k}' {{\n"
        out += f"\tlinux\t/boot/vmlinuz-{k} root=UUID={UUID} ro quiet\n"
        out += f"\tinitrd\t/boot/initrd.img-{k}\n}}\n" if initrd else "}\n"
    return out


def boot_ls(*names: str, empty: tuple[str, ...] = ()) -> str:
    return "".join(f"f - s {n}\n" for n in names) + "".join(f"f - 0 {n}\n" for n in empty)


def modules(*rels: str) -> dict[str, str | tuple[str, str]]:
    out: dict[str, str | tuple[str, str]] = {"boot.modules": "".join(f"d x s {r}\n" for r in rels)}
    out.update({f"boot.moddep:{r}": "f - s modules.dep\n" for r in rels})
    return out


def host(
    cfg: str, listing: str, mods: tuple[str, ...] = (D,), **extra: str | tuple[str, str]
) -> Sections:
    return sections_from(
        {
            "boot.file:/boot/grub/grub.cfg": cfg,
            "boot.ls:/boot": listing,
            "boot.ls:/": "d x s boot\n",
            **modules(*mods),
            **extra,
        }
    )


def debian_ok(*kernels: str) -> str:
    return boot_ls(*(n for k in kernels for n in (f"vmlinuz-{k}", f"initrd.img-{k}")))


def test_healthy_grub_host_has_no_boot_findings_above_info() -> None:
    found = judge(host(grub(D), debian_ok(D)), running=D)
    assert all(f.severity.value == "info" for f in found), ids(found)


def test_newer_kernel_installed_but_default_is_running_is_not_a_pending_reboot() -> None:
    """The classic false alarm: compare with the default entry, not the newest kernel."""
    found = ids(judge(host(grub(D), debian_ok(D, NEW), mods=(D, NEW)), running=D))
    assert "reboots.kernel-update-pending" not in found
    assert found.get("boot.newer-kernel-not-default") == "info"


def test_default_entry_boots_a_new_release_means_reboot_pending() -> None:
    found = judge(host(grub(NEW, D), debian_ok(D, NEW), mods=(D, NEW)), running=D)
    pending = [f for f in found if f.id == "reboots.kernel-update-pending"]
    assert pending and pending[0].area == "reboots" and pending[0].severity.value == "warning"
    assert f"running kernel: {D}" in pending[0].evidence


def test_half_done_kernel_upgrade_is_a_warning_not_a_blocker() -> None:
    found = ids(
        judge(
            host(
                grub(D), boot_ls(f"vmlinuz-{D}", f"initrd.img-{D}", f"vmlinuz-{NEW}"), mods=(D, NEW)
            ),
            running=D,
        )
    )
    assert found.get("boot.newer-kernel-without-initrd") == "warning"
    assert "blocker" not in found.values()


def test_default_kernel_missing_and_initrd_empty_are_blockers() -> None:
    found = judge(host(grub(D), boot_ls(empty=(f"initrd.img-{D}",))), running=D)
    got = ids(found)
    assert got["boot.default-kernel-missing"] == "blocker"
    assert got["boot.default-initrd-missing"] == "blocker"
    kernel = next(f for f in found if f.id == "boot.default-kernel-missing")
    assert (
        f"/boot/grub/grub.cfg: linux\t/boot/vmlinuz-{D} root=UUID={UUID} ro quiet"
        in kernel.evidence
    )


def test_entry_without_initrd_line_needs_no_initrd() -> None:
    found = ids(
        judge(host(grub(D, initrd=False), boot_ls(f"vmlinuz-{D}", f"vmlinuz-{NEW}"), mods=(D, NEW)))
    )
    assert "boot.default-initrd-missing" not in found
    assert "boot.newer-kernel-without-initrd" not in found  # this host uses no initrd at all


def test_saved_entry_naming_nothing_falls_back_to_entry_0() -> None:
    cfg = grub(D, default="${saved_entry}")
    env = "saved_entry=Debian, with Linux 5.10.0-9-amd64\n"
    found = judge(host(cfg, debian_ok(D), **{"boot.file:/boot/grub/grubenv": env}), running=D)
    missing = next(f for f in found if f.id == "boot.default-entry-missing")
    assert missing.severity.value == "warning" and "falls back" in missing.title
    assert "blocker" not in ids(found).values()
    broken = ids(judge(host(cfg, boot_ls(), **{"boot.file:/boot/grub/grubenv": env})))
    assert broken["boot.default-kernel-missing"] == "blocker"


def test_root_uuid_missing_only_when_device_list_known() -> None:
    cfg, files = grub(D), debian_ok(D)
    other = {"boot.disk:uuid": "l - 0 0f9e8d7c-6b5a-4938-8271-a6b5c4d3e2f1 -> ../../vda1\n"}
    assert ids(judge(host(cfg, files, **other)))["boot.root-device-missing"] == "blocker"
    assert "boot.root-device-missing" not in ids(judge(host(cfg, files)))
    present = {"boot.disk:uuid": f"l - 0 {UUID} -> ../../vda1\n"}
    assert "boot.root-device-missing" not in ids(judge(host(cfg, files, **present)))


def fstab_case(line: str, mode: str = "offline", **extra: str | tuple[str, str]) -> dict[str, str]:
    secs = host(grub(D), debian_ok(D), **{"boot.fstab": line + "\n", **extra})
    return ids(judge(secs, mode=mode, running=D))


def test_fstab_severities() -> None:
    devs = {"boot.disk:uuid": f"l - 0 {UUID} -> ../../vda1\n"}
    gone = "UUID=e3b0c442-98fc-4c14-9afb-f4c8996fb924"
    assert (
        fstab_case(f"{gone} /data ext4 defaults 0 2", **devs)["boot.fstab-source-missing"]
        == "blocker"
    )
    assert (
        fstab_case(f"{gone} /data ext4 defaults,nofail 0 2", **devs)["boot.fstab-source-missing"]
        == "warning"
    )
    assert (
        fstab_case(f"{gone} /data ext4 noauto 0 2", **devs)["boot.fstab-source-missing"] == "info"
    )
    assert fstab_case(f"{gone} none swap sw 0 0", **devs)["boot.fstab-source-missing"] == "warning"
    # no device list: not checkable, said so, never a blocker
    assert fstab_case(f"{gone} /data ext4 defaults 0 2") == {
        "boot.fstab-sources-not-checked": "info"
    }
    # /dev/sdX offline: not captured is not missing; live: /dev is authoritative
    absent = {"boot.src:/dev/sdb1": ("absent", "path /dev/sdb1\nresolved /dev/sdb1\n")}
    assert fstab_case("/dev/sdb1 /data ext4 defaults 0 2", **absent) == {
        "boot.fstab-sources-not-checked": "info"
    }
    live = fstab_case("/dev/sdb1 /data ext4 defaults 0 2", mode="live", **absent)
    assert live["boot.fstab-source-missing"] == "blocker"
    assert fstab_case("tmpfs /tmp tmpfs defaults 0 0\nsrv:/x /mnt nfs defaults 0 0") == {}


def test_no_bootloader_this_machine_external_kernel() -> None:
    data = json.loads(
        (Path(__file__).parent / "fixtures/live-firecracker-boot-sections.json").read_text()
    )
    secs = Sections({n: Section(n, v["state"], 0, v["text"]) for n, v in data["sections"].items()})
    found = judge(secs, mode="live", running="6.18.44-fc-v669")
    assert len(found) == 1
    f = found[0]
    assert f.id == "boot.no-bootloader-config" and f.severity.value == "unknown" and f.boot_critical
    assert "outside" in f.title
    assert any(e.startswith("/proc/cmdline: mitigations=auto") for e in f.evidence)


def test_no_bootloader_offline_proc_cmdline_corpus() -> None:
    # SOURCES: boot/proc-cmdline/firecracker-microvm-local.txt (this machine)
    secs = sections_from(
        {
            "boot.ls:/boot": "",
            "boot.file:/proc/cmdline": corpus("boot/proc-cmdline/firecracker-microvm-local.txt"),
        }
    )
    assert "outside" in judge(secs, running="6.18.44-fc-v669")[0].title
    assert "outside" not in judge(sections_from({"boot.ls:/boot": ""}))[0].title


def test_unreadable_config_is_unknown_boot_critical() -> None:
    secs = sections_from(
        {"boot.file:/boot/grub/grub.cfg": ("denied", ""), "boot.ls:/boot": ("denied", "")}
    )
    found = judge(secs)
    assert [(f.id, f.severity.value, f.boot_critical) for f in found] == [
        ("boot.config-unreadable", "unknown", True)
    ]


def test_running_kernel_modules_removed_only_when_others_remain() -> None:
    secs = host(grub(NEW), debian_ok(NEW), mods=(NEW,))
    found = ids(judge(secs, running=D))
    assert found["reboots.running-kernel-modules-removed"] == "warning"
    assert found["reboots.kernel-update-pending"] == "warning"
    nomods = sections_from(
        {
            "boot.file:/boot/grub/grub.cfg": grub(D),
            "boot.ls:/boot": debian_ok(D),
            "boot.modules": ("absent", ""),
        }
    )
    assert "reboots.running-kernel-modules-removed" not in ids(judge(nomods, running=D))


def test_modules_missing_for_default_is_critical() -> None:
    found = ids(judge(host(grub(NEW), debian_ok(NEW), mods=(D,)), running=D))
    assert found["boot.modules-missing-for-default"] == "critical"


def test_two_bootloaders_fine_is_info_broken_is_unknown() -> None:
    sd = {
        "boot.file:/boot/loader/loader.conf": "default arch.conf\n",
        "boot.bls:/boot/loader/entries:/boot/loader/entries/arch.conf": (
            "title A\nlinux /vmlinuz-linux\ninitrd /initramfs-linux.img\n"
        ),
    }
    good = host(grub(D), debian_ok(D) + boot_ls("vmlinuz-linux", "initramfs-linux.img"), **sd)
    assert ids(judge(good, running=D)).get("boot.several-bootloaders") == "info"
    bad = host(grub(D), debian_ok(D), **sd)
    f = next(f for f in judge(bad, running=D) if f.id == "boot.bootloader-ambiguous")
    assert f.severity.value == "unknown" and f.boot_critical


@pytest.mark.parametrize("state", ["loop", "foreign"])
def test_a_loop_or_foreign_grub_cfg_is_unread_never_absent(state: str) -> None:
    """A grub.cfg the resolver found to loop (or to lead into this machine's own /proc)
    once read as absent: 'no bootloader configuration', or with GRUB's modules present a
    false 'stops at grub>'. It is a config that could not be read, and root rights would
    not read it."""
    secs = host(grub(D), debian_ok(D), **{"boot.file:/boot/grub/grub.cfg": (state, "")})
    found = judge(secs)
    unread = [f for f in found if f.id == "boot.config-unreadable"]
    assert unread and f"/boot/grub/grub.cfg ({state})" in unread[0].evidence
    assert "with root rights" not in unread[0].remedy
    assert "boot.no-bootloader-config" not in ids(found)


def test_a_cut_boot_listing_makes_the_unlisted_initrd_unknown_never_missing() -> None:
    """/boot with more entries than the collector lists: the default entry's initrd not
    among those listed may be beyond the cut. Unknown (saying so), never a false BLOCKER."""
    listing = boot_ls(f"vmlinuz-{D}") + "cut 450 400\n"
    secs = host(grub(D), listing, **{"boot.ls:/boot": ("cut", listing)})
    found = judge(secs, running=D)
    assert "boot.default-initrd-missing" not in ids(found)
    unknown = [f for f in found if f.id == "boot.default-files-unknown"]
    assert unknown, ids(found)
    assert any("450 entries, 400 read" in e for e in unknown[0].evidence)
    assert "with root rights" not in unknown[0].remedy
    # what the cut listing shows is still there: the kernel is no unknown
    assert "kernel" not in unknown[0].title


def test_denied_advises_root_rights_only_when_cockpit_is_not_root() -> None:
    from dataclasses import replace

    from cockpit.rules import boot as rules
    from tests.boot.helpers import NOW, facts_from

    secs = sections_from({"boot.file:/boot/grub/grub.cfg": ("denied", ""), "boot.ls:/boot": ""})
    base = facts_from(secs)
    for uid, rights in ((1000, True), (0, False)):
        facts = replace(base, host=replace(base.host, collector_uid=uid))
        (f,) = [f for f in rules.judge(facts, NOW) if f.id == "boot.config-unreadable"]
        assert ("with root rights" in f.remedy) is rights, f.remedy

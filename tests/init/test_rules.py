"""init rules: facts in, findings out (and the 2011 incident tree end to end)."""

from __future__ import annotations

from cockpit.rules.finding import Severity
from tests.init.helpers import host_facts, judge
from tests.support import SAMPLES, sections_from

SYSTEMD = (
    "path /sbin/init\nlink /sbin/init -> /lib/systemd/systemd\nresolved /lib/systemd/systemd\n"
    "type f\nexec yes\nsize nonzero\n"
)
SYSVINIT = "path /sbin/init\nresolved /sbin/init\ntype f\nexec yes\nsize nonzero\n"
ELF_OK = "class 64\ninterp /lib64/ld-linux-x86-64.so.2 found /lib64/ld-linux-x86-64.so.2\n"
TARGET_OK = (
    "path /lib/systemd/system/default.target\n"
    "link /lib/systemd/system/default.target -> multi-user.target\n"
    "resolved /lib/systemd/system/multi-user.target\ntype f\nexec no\nsize nonzero\n"
)
DEBIAN_TAB = "id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\nl2:2:wait:/etc/init.d/rc 2\n"


def systemd_host(**extra: str | tuple[str, str]) -> dict[str, str | tuple[str, str]]:
    return {
        "init.boot:/sbin/init": SYSTEMD,
        "init.elf:/lib/systemd/system": ELF_OK,
        "init.elf:/lib/systemd/systemd": ELF_OK,
        "init.inittab": ("absent", ""),
        "init.target:/etc/systemd/system/default.target": (
            "absent",
            "path /etc/systemd/system/default.target\n",
        ),
        "init.target:/lib/systemd/system/default.target": TARGET_OK,
        **extra,
    }


def sysv_host(tab: str | tuple[str, str] = DEBIAN_TAB) -> dict[str, str | tuple[str, str]]:
    return {
        "init.boot:/sbin/init": SYSVINIT,
        "init.elf:/sbin/init": ELF_OK,
        "init.inittab": tab,
    }


def test_weblogs_2011_tree_is_blocked_on_sbin_init() -> None:
    from tests.support import judge_root

    state = judge_root(SAMPLES / "weblogs-2011", "2011-09-29T23:00:00-05:00")
    found = {f.id: f for f in state.findings}
    missing = found["init.boot-init-missing"]
    assert missing.severity is Severity.BLOCKER
    assert "/sbin/init" in missing.title
    assert "/sbin/init (absent)" in missing.evidence
    assert "emerge --oneshot sys-apps/sysvinit" in missing.remedy
    assert found["init.running-unknown"].severity is Severity.INFO
    assert state.init_boot.startswith("missing")


def test_healthy_systemd_has_no_boot_findings() -> None:
    found = judge(host_facts(sections_from(systemd_host())))
    assert set(found) == {"init.running-unknown"}


def test_init_arg_on_default_entry_applies_and_panics() -> None:
    s = systemd_host(
        **{
            "init.boot:/lib/sysvinit/init": (
                "absent",
                "path /lib/sysvinit/init\nresolved /lib/sysvinit/init\n",
            )
        }
    )
    found = judge(host_facts(sections_from(s), cmdline="root=/dev/sda1 ro init=/lib/sysvinit/init"))
    f = found["init.boot-init-missing"]
    assert f.severity is Severity.BLOCKER and "/lib/sysvinit/init" in f.title
    assert any("Requested init /lib/sysvinit/init failed" in e for e in f.evidence)


def test_init_arg_never_probed_is_unknown_and_boot_critical() -> None:
    found = judge(host_facts(sections_from(systemd_host()), cmdline="ro init=/opt/myinit"))
    f = found["init.boot-init-unknown"]
    assert f.severity is Severity.UNKNOWN and f.boot_critical


def test_broken_init_arg_with_unknown_default_entry() -> None:
    s = systemd_host(**{"init.boot:/bin/nope": ("absent", "path /bin/nope\nresolved /bin/nope\n")})
    found = judge(host_facts(sections_from(s), cmdline=None))
    f = found["init.init-override-unknown"]
    assert f.severity is Severity.UNKNOWN and f.boot_critical
    assert "init.boot-init-missing" not in found


def test_unreadable_elf_is_unknown_not_ok() -> None:
    s = systemd_host(**{"init.elf:/lib/systemd/systemd": ("denied", "")})
    f = judge(host_facts(sections_from(s)))["init.boot-init-unknown"]
    assert f.boot_critical


def test_missing_library_and_interpreter_are_blockers() -> None:
    lib = ELF_OK + "needed libsystemd-shared-252.so missing\n"
    f = judge(host_facts(sections_from(systemd_host(**{"init.elf:/lib/systemd/systemd": lib}))))
    assert f["init.boot-init-library-missing"].severity is Severity.BLOCKER
    assert "dpkg -S libsystemd-shared-252.so" in f["init.boot-init-library-missing"].remedy
    interp = "class 64\ninterp /lib64/ld-linux-x86-64.so.2 missing\n"
    f = judge(host_facts(sections_from(systemd_host(**{"init.elf:/lib/systemd/systemd": interp}))))
    assert f["init.boot-init-interpreter-missing"].severity is Severity.BLOCKER


def test_rh_systemd_initrd_downgrades_missing_sbin_init() -> None:
    s = sections_from(
        {
            "init.boot:/sbin/init": ("absent", "path /sbin/init\nresolved /sbin/init\n"),
            "init.have:/usr/lib/systemd/systemd": "path /usr/lib/systemd/systemd\n"
            "resolved /usr/lib/systemd/systemd\ntype f\nexec yes\nsize nonzero\n",
            "init.inittab": ("absent", ""),
        }
    )
    f = judge(host_facts(s, family="rh"))["init.boot-init-missing"]
    assert f.severity is Severity.CRITICAL


def test_sysvinit_inittab_rules() -> None:
    assert not {k for k in judge(host_facts(sections_from(sysv_host()))) if "inittab" in k}
    absent = judge(host_facts(sections_from(sysv_host(("absent", ""))), cmdline="ro"))
    assert absent["init.inittab-unusable"].severity is Severity.BLOCKER
    no_default = sysv_host("si::sysinit:/etc/init.d/rcS\nl2:2:wait:/etc/init.d/rc 2\n")
    asks = judge(host_facts(sections_from(no_default), cmdline="ro quiet"))
    assert "Enter runlevel" in asks["init.inittab-unusable"].title
    # a runlevel on the kernel line answers the question: no blocker
    told = judge(host_facts(sections_from(no_default), cmdline="ro quiet 2"))
    assert "init.inittab-unusable" not in told
    loop = judge(host_facts(sections_from(sysv_host("id:6:initdefault:\nsi::sysinit:/x\n"))))
    assert "reboots again" in loop["init.inittab-unusable"].title
    no_sysinit = judge(host_facts(sections_from(sysv_host("id:2:initdefault:\nl2:2:wait:/rc 2\n"))))
    assert no_sysinit["init.inittab-incomplete"].severity is Severity.CRITICAL
    denied = judge(host_facts(sections_from(sysv_host(("denied", "")))))
    assert denied["init.inittab-unknown"].boot_critical


def test_default_target_missing_and_dangling() -> None:
    gone = systemd_host(
        **{
            "init.target:/lib/systemd/system/default.target": (
                "absent",
                "path /lib/systemd/system/default.target\n",
            )
        }
    )
    assert judge(host_facts(sections_from(gone)))["init.default-target-missing"].severity is (
        Severity.BLOCKER
    )
    dangling = systemd_host(
        **{
            "init.target:/etc/systemd/system/default.target": (
                "dangling",
                "path /etc/systemd/system/default.target\n"
                "link /etc/systemd/system/default.target -> /lib/systemd/system/nope.target\n"
                "resolved /lib/systemd/system/nope.target\n",
            )
        }
    )
    f = judge(host_facts(sections_from(dangling)))["init.default-target-dangling"]
    assert f.severity is Severity.WARNING


def test_migration_and_deleted_pid1() -> None:
    s = systemd_host(
        **{
            "init.pid1.comm": "init\n",
            "init.pid1.exe": "l - 0 exe -> /sbin/init (deleted)\n",
            "init.run": "p - 0 initctl\n",
        }
    )
    found = judge(host_facts(sections_from(s), mode="live"))
    assert found["init.migration-in-progress"].severity is Severity.WARNING
    assert "sysvinit runs now, systemd will boot next" in found["init.migration-in-progress"].title
    assert "telinit u" in found["init.pid1-deleted"].remedy


def test_unknown_pid1_live_is_info_and_no_migration() -> None:
    s = systemd_host(**{"init.pid1.comm": "process_api\n"})
    found = judge(host_facts(sections_from(s), mode="live"))
    assert found["init.running-unknown"].severity is Severity.INFO
    assert "process_api" in found["init.running-unknown"].title
    assert "init.migration-in-progress" not in found

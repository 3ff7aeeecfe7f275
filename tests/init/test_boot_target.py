"""The next boot stops short of multi-user by configuration: default target, command line,
initdefault (rules/init/boot_target.py), and a #! init with DOS line endings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Severity
from tests.init.helpers import host_facts, judge
from tests.init.test_rules import DEBIAN_TAB, systemd_host, sysv_host
from tests.support import SAMPLES, judge_root, sections_from

BASE = "root=UUID=2b7a9c3e-51d4-4f0e-8a6b-93c1d2e4f5a6 ro quiet"


def _target(name: str) -> str:
    return (
        "path /etc/systemd/system/default.target\n"
        f"link /etc/systemd/system/default.target -> /lib/systemd/system/{name}\n"
        f"resolved /lib/systemd/system/{name}\ntype f\nexec no\nsize nonzero\n"
    )


@pytest.mark.parametrize(
    "target", ["rescue.target", "emergency.target", "poweroff.target", "reboot.target"]
)
def test_systemd_default_target_that_never_reaches_multi_user(target: str) -> None:
    secs = systemd_host(**{"init.target:/etc/systemd/system/default.target": _target(target)})
    found = judge(host_facts(sections_from(secs), cmdline=BASE))
    f = found["init.boot-target-not-multi-user"]
    assert f.severity is Severity.BLOCKER and f.stage is Stage.INIT_CONFIG
    assert target in f.title


@pytest.mark.parametrize(
    ("extra", "target"),
    [
        ("single", "rescue.target"),
        ("1", "rescue.target"),
        ("emergency", "emergency.target"),
        ("systemd.unit=rescue.target", "rescue.target"),
        ("systemd.unit=poweroff.target", "poweroff.target"),
    ],
)
def test_systemd_command_line_override(extra: str, target: str) -> None:
    found = judge(host_facts(sections_from(systemd_host()), cmdline=f"{BASE} {extra}"))
    f = found["init.boot-target-not-multi-user"]
    assert f.severity is Severity.BLOCKER and target in f.title and extra in f.remedy


@pytest.mark.parametrize("extra", ["3", "systemd.unit=multi-user.target", "quiet splash"])
def test_systemd_overrides_that_reach_multi_user_are_silent(extra: str) -> None:
    found = judge(host_facts(sections_from(systemd_host()), cmdline=f"{BASE} {extra}"))
    assert "init.boot-target-not-multi-user" not in found


@pytest.mark.parametrize("extra", ["single", "S", "1", "emergency", "-b"])
def test_sysvinit_command_line_single_user(extra: str) -> None:
    found = judge(host_facts(sections_from(sysv_host()), cmdline=f"{BASE} {extra}"))
    f = found["init.boot-target-not-multi-user"]
    assert f.severity is Severity.BLOCKER and f.stage is Stage.INIT_CONFIG


def test_sysvinit_initdefault_single_user() -> None:
    tab = DEBIAN_TAB.replace("id:2:initdefault:", "id:S:initdefault:")
    found = judge(host_facts(sections_from(sysv_host(tab)), cmdline=BASE))
    assert found["init.boot-target-not-multi-user"].severity is Severity.BLOCKER


def test_sysvinit_multi_user_level_on_the_command_line_is_fine() -> None:
    found = judge(host_facts(sections_from(sysv_host()), cmdline=f"{BASE} 3"))
    assert "init.boot-target-not-multi-user" not in found


def test_crlf_shebang_init_is_a_missing_interpreter(tmp_path: Path) -> None:
    """The kernel ends the #! interpreter's name at space, tab, newline or NUL: with DOS
    line endings it looks for `/bin/sh\\r`. Real collector on a real tree."""
    root = tmp_path / "crlf"
    shutil.copytree(SAMPLES / "debian12-sysvinit", root, symlinks=True)
    grub = root / "boot/grub/grub.cfg"
    grub.write_text(grub.read_text().replace(" ro ", " ro init=/sbin/myinit ", 1))
    init = root / "sbin/myinit"
    init.write_bytes(b'#!/bin/sh\r\nexec /sbin/init.real "$@"\r\n')
    init.chmod(0o755)
    state = judge_root(root, (SAMPLES / "debian12-sysvinit/AT").read_text().strip())
    found = {f.id: f for f in state.findings}
    f = found["init.boot-init-interpreter-missing"]
    assert f.severity is Severity.BLOCKER and "carriage return" in f.title
    assert state.verdict == "unbootable"


def test_masked_default_target_is_rescue() -> None:
    """default.target -> /dev/null: systemd says 'Unit default.target is masked.' and boots
    rescue.target (the boot oracle's target-masked)."""
    masked = (
        "path /etc/systemd/system/default.target\n"
        "link /etc/systemd/system/default.target -> /dev/null\n"
        "resolved /dev/null\ntype ?\nexec no\nsize empty\n"
    )
    secs = systemd_host(**{"init.target:/etc/systemd/system/default.target": masked})
    f = judge(host_facts(sections_from(secs), cmdline=BASE))["init.boot-target-masked"]
    assert f.severity is Severity.BLOCKER and f.stage is Stage.INIT_CONFIG
    assert "rescue.target" in f.title


def _runit_host(stage2: str | None) -> dict[str, str | tuple[str, str]]:
    ls = "f x s 1\nf x s 3\n" + (f"{stage2} 2\n" if stage2 else "")
    return {
        "init.boot:/sbin/init": (
            "path /sbin/init\nlink /sbin/init -> /lib/runit/runit-init\n"
            "resolved /lib/runit/runit-init\ntype f\nexec yes\nsize nonzero\n"
        ),
        "init.elf:/lib/runit/runit-init": (
            "class 64\ninterp /lib64/ld-linux-x86-64.so.2 found /lib64/ld-linux-x86-64.so.2\n"
        ),
        "init.inittab": ("absent", ""),
        "init.runit": ls,
    }


@pytest.mark.parametrize("stage2", ["f - s", None])
def test_runit_without_a_runnable_stage_2_powers_off(stage2: str | None) -> None:
    """runit cannot start /etc/runit/2: stage 3 runs at once and powers off (the boot
    oracle's runit-stage2-not-executable)."""
    found = judge(host_facts(sections_from(_runit_host(stage2)), cmdline=BASE))
    f = found["init.boot-runit-stage2-unusable"]
    assert f.severity is Severity.BLOCKER and f.stage is Stage.INIT_CONFIG


def test_runit_with_its_stages_is_silent() -> None:
    found = judge(host_facts(sections_from(_runit_host("f x s")), cmdline=BASE))
    assert "init.boot-runit-stage2-unusable" not in found
    assert "init.boot-target-masked" not in found

"""An init built for another CPU than the default kernel's (rules/init/boot_arch.py)."""

from __future__ import annotations

import dataclasses

import pytest

from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Severity
from cockpit.rules.init.boot_arch import kernel_arch
from tests.init.helpers import host_facts, judge
from tests.init.test_rules import systemd_host
from tests.support import sections_from

ELF = (
    "class 64\nmachine {m}\ninterp /lib64/ld-linux-x86-64.so.2 found /lib64/ld-linux-x86-64.so.2\n"
)


def _facts(machine: int, release: str) -> object:
    secs = systemd_host(**{"init.elf:/lib/systemd/systemd": ELF.format(m=machine)})
    facts = host_facts(sections_from(secs), cmdline="root=/dev/vda1 ro")
    return dataclasses.replace(
        facts, boot=dataclasses.replace(facts.boot, default_kernel_release=release)
    )


def test_aarch64_init_under_an_amd64_kernel_is_a_blocker() -> None:
    f = judge(_facts(183, "6.1.0-50-amd64"))["init.boot-init-wrong-arch"]  # type: ignore[arg-type]
    assert f.severity is Severity.BLOCKER and f.stage is Stage.INIT_EXEC
    assert "aarch64" in f.title and "x86_64" in f.title


@pytest.mark.parametrize(
    ("machine", "release"),
    [(62, "6.1.0-50-amd64"), (3, "6.1.0-50-amd64"), (183, "6.9.7-200.fc40.aarch64")],
)
def test_matching_or_compatible_init_is_silent(machine: int, release: str) -> None:
    assert "init.boot-init-wrong-arch" not in judge(_facts(machine, release))  # type: ignore[arg-type]


def test_unknown_kernel_arch_claims_nothing() -> None:
    assert "init.boot-init-wrong-arch" not in judge(_facts(183, "2.6.36-gentoo-r5"))  # type: ignore[arg-type]
    assert kernel_arch("2.6.36-gentoo-r5") is None
    assert kernel_arch("6.9.7-200.fc40.x86_64") == "x86_64"

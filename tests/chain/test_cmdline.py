"""The kernel command line as systemd and sysvinit read it (rules/chain/cmdline.py)."""

from __future__ import annotations

import pytest

from cockpit.rules.chain import cmdline as kcmd


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("root=UUID=x ro quiet", None),
        ("root=UUID=x ro single", ("rescue.target", "single")),
        ("root=UUID=x ro 1", ("rescue.target", "1")),
        ("root=UUID=x ro S", ("rescue.target", "S")),
        ("root=UUID=x ro emergency", ("emergency.target", "emergency")),
        ("root=UUID=x ro -b", ("emergency.target", "-b")),
        ("root=UUID=x ro rescue", ("rescue.target", "rescue")),
        ("root=UUID=x ro 3", ("multi-user.target", "3")),
        ("root=UUID=x ro 5", ("graphical.target", "5")),
        ("ro systemd.unit=rescue.target", ("rescue.target", "systemd.unit=rescue.target")),
        (
            "ro single systemd.unit=multi-user.target",
            ("multi-user.target", "systemd.unit=multi-user.target"),
        ),
        ("ro systemd.unit=multi-user.target single", ("rescue.target", "single")),
        ("ro systemd.unit=poweroff.target", ("poweroff.target", "systemd.unit=poweroff.target")),
        # after `--` the words are init's argv, not systemd's command line
        ("ro -- single", None),
    ],
)
def test_systemd_override(line: str, expected: tuple[str, str] | None) -> None:
    assert kcmd.systemd_override(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("root=/dev/sda3 ro", None),
        ("root=/dev/sda3 ro single", ("S", "single")),
        ("root=/dev/sda3 ro 1", ("S", "1")),
        ("root=/dev/sda3 ro 3", ("3", "3")),
        ("root=/dev/sda3 ro 6", ("6", "6")),
        ("root=/dev/sda3 ro emergency", ("emergency", "emergency")),
        # a word with `=` or `.` is the kernel's: init never sees it
        ("root=/dev/sda3 ro x.y=1 quiet.z", None),
        ("root=/dev/sda3 -- 2", ("2", "2")),
    ],
)
def test_sysvinit_override(line: str, expected: tuple[str, str] | None) -> None:
    assert kcmd.sysvinit_override(line) == expected


def test_value_last_wins_and_stops_at_double_dash() -> None:
    assert kcmd.value("root=/dev/a root=UUID=b ro", "root") == "UUID=b"
    assert kcmd.value("root=/dev/a -- root=/dev/c", "root") == "/dev/a"
    assert kcmd.value("ro quiet", "root") is None

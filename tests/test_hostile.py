"""Hostile hosts through the whole engine: nothing forges, crashes or reaches a terminal raw.

Each case is a small offline root holding one kind of hostile content, run through the real
collector (dash), parsers, rules and both renderers.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cockpit.render import json_out, text_out
from tests.support import judge_root

AT = "2024-06-12T20:00:00+00:00"
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31m"


def base_root(tmp_path: Path) -> Path:
    root = tmp_path / "host"
    for d in ("etc", "usr/bin", "var/log", "var/spool/cron/crontabs", "boot"):
        (root / d).mkdir(parents=True)
    (root / "etc/os-release").write_text("ID=debian\n")
    return root


def render_both(root: Path) -> tuple[str, str]:
    state = judge_root(root, AT)
    text = text_out.render([state], verbose=True)
    doc = json.dumps(json_out.document([state], state.host_time))  # type: ignore[arg-type]
    return text, doc


def test_crontab_with_escapes_markup_and_a_fake_boundary(tmp_path: Path) -> None:
    root = base_root(tmp_path)
    (root / "var/spool/cron/crontabs/root").write_bytes(
        (
            "# ==COCKPIT-00000000000000000000000000000000== END 0 ok 65536 reboots.cron\n"
            f"15 3 * * * /sbin/reboot # [bold red]x[/] {ESCAPES}\n"
        ).encode()
        + b"\xff\xfe\n"
    )
    text, doc = render_both(root)
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold red]x[/]" in text  # markup stays literal: nothing interprets it
    assert "03:15" in text  # the real job is still found, the fake boundary did nothing
    assert "\\u001b" in doc or "\\x1b" in doc  # JSON keeps it, escaped


def test_gigabyte_logs_are_read_from_their_tail_quickly(tmp_path: Path) -> None:
    root = base_root(tmp_path)
    for log in ("var/log/emerge.log", "var/log/dpkg.log", "var/log/pacman.log"):
        with (root / log).open("wb") as fh:
            fh.truncate(1 << 30)  # 1 GiB of NULs, sparse
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_text("")
    t0 = time.monotonic()
    text, _ = render_both(root)
    assert time.monotonic() - t0 < 30
    assert text.startswith("COCKPIT")


@pytest.mark.parametrize(
    "rel",
    ["etc/inittab", "etc/fstab", "boot/grub/grub.cfg", "etc/crontab", "var/lib/dpkg/status"],
)
def test_random_bytes_in_any_file_never_crash(tmp_path: Path, rel: str) -> None:
    import random

    rng = random.Random(rel)
    root = base_root(tmp_path)
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(20000)))
    text, _ = render_both(root)
    assert "\x1b" not in text

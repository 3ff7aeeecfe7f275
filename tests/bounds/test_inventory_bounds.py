"""Hostile inventories (issue 12, section 3): each is refused in bounded time and memory,
with a `file:line` message and exit 3 (UNKNOWN), never a traceback or a MemoryError.

Each case is a file written into tmp_path, then `cockpit check --inventory FILE` in a
child whose wall time and peak RSS are measured (tests/bounds/measure.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.bounds.measure import run_measured


def _bomb(where: str) -> str:
    """Nine anchors, each a list of nine aliases of the one before: 9**8 entries."""
    anchors = ['    a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        anchors.append(f"    a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    body = "\n".join(anchors)
    if where == "vars":
        return f"all:\n  vars:\n{body}\n  hosts:\n    h1:\n"
    if where == "hosts":
        return f"all:\n  vars:\n{body}\n  hosts:\n    h1:\n      big: *a8\n"
    # children: every group holds the one before, nine times over
    groups = ["all:", "  children:", "    g0: &g0", "      hosts:", "        h1:"]
    for i in range(1, 9):
        groups.append(f"    g{i}: &g{i}")
        groups.append("      children:")
        groups += [f"        c{i}_{j}: *g{i - 1}" for j in range(9)]
    return "\n".join(groups) + "\n"


CASES: dict[str, tuple[str, Callable[[], str | bytes], str]] = {
    # name: (file name, content, what the message must say)
    "range-huge": ("inv.ini", lambda: "[web]\nh[0:99999999]\n", r":2: .*99999999.*more than"),
    "range-product": ("inv.ini", lambda: "[web]\nh[0:9999]-[0:9999]\n", r":2: .*more than"),
    "ranges-over-many-lines": (
        "inv.ini",
        lambda: "[web]\n" + "".join(f"r{i}-[0:4999]\n" for i in range(50)),
        r":4: .*more than 10000",
    ),
    "unicode-port-in-name": ("inv.ini", lambda: "[web]\nh:²²\n", r":2: .*port '²²'"),
    "unicode-ansible-port": ("inv.ini", lambda: "[web]\nh1 ansible_port=²\n", r":2: .*port '²'"),
    "unicode-range": ("inv.ini", lambda: "[web]\nh[¹:³]\n", r":2: .*neither numbers"),
    "unicode-step": ("inv.ini", lambda: "[web]\nh[1:3:²]\n", r":2: .*step"),
    "unicode-port-yaml": ("inv.yml", lambda: 'all:\n  hosts:\n    "h:²²":\n', r":3: .*port"),
    "yaml-alias-loop": (
        "inv.yml",
        lambda: (
            "all:\n  children:\n    a: &a\n      hosts:\n        h1:\n"
            "      children:\n        b: *a\n"
        ),
        r":\d+: an alias refers to a node that contains it",
    ),
    "yaml-bomb-vars": ("inv.yml", lambda: _bomb("vars"), r":\d+: its aliases expand"),
    "yaml-bomb-hostvar": ("inv.yml", lambda: _bomb("hosts"), r":\d+: its aliases expand"),
    "yaml-bomb-children": ("inv.yml", lambda: _bomb("children"), r":\d+: its aliases expand"),
    "yaml-deep": ("inv.yml", lambda: "all: " + "[" * 100_000, r": YAML nested too deeply"),
    "yaml-too-big": (
        "inv.yml",
        lambda: "all:\n  hosts:\n" + "".join(f"    h{i}:\n" for i in range(200_000)),
        r": a YAML inventory of \d+ bytes",
    ),
    "ini-children-loop": (
        "inv.ini",
        lambda: "[a:children]\nb\n[b:children]\na\n[a]\nh1\n",
        r":1: groups contain each other",
    ),
    "ini-children-chain": (
        "inv.ini",
        lambda: "".join(f"[g{i}:children]\ng{i + 1}\n" for i in range(5000)) + "[g5000]\nh1\n",
        r":\d+: groups nest more than 100 deep",
    ),
    "ini-too-many-groups": (
        "inv.ini",
        lambda: "".join(f"[g{i}]\nh{i % 100}\n" for i in range(20_000)),
        r": 20000 groups, more than 10000",
    ),
    "toml-deep": ("inv.toml", lambda: "a = " + "[" * 100_000, r": TOML nested too deeply"),
    "toml-too-many-hosts": (
        "inv.toml",
        lambda: "".join(f'[[host]]\naddress = "h{i}"\n' for i in range(50_000)),
        r":20001: 50000 hosts, more than the 10000",
    ),
    "blank-lines": ("inventory", lambda: "\n" * 3_000_000, r": no hosts"),
    "too-big": ("inv.ini", lambda: "[web]\n" + "h1\n" * 2_000_000, r": more than 4 MiB"),
    "garbage": (
        "inv.ini",
        lambda: "[web\n" * 100_000,
        r":1: section header .*\n(.*\n){49}\.\.\. and 99950 more",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_inventory_is_refused_quickly_with_its_line(case: str, tmp_path: Path) -> None:
    name, content, said = CASES[case]
    path = tmp_path / name
    data = content()
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    run = run_measured("check", "--inventory", str(path))
    run.assert_bounded()
    assert run.returncode == 3, run.stdout
    assert run.stdout.startswith("COCKPIT UNKNOWN - inventory ")
    assert re.search(re.escape(str(path)) + said, run.stdout), run.stdout[:3000]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: os.mkfifo(p), id="fifo"),
        pytest.param(lambda p: os.symlink("/dev/zero", p), id="dev-zero"),
        pytest.param(lambda p: p.mkdir(), id="directory"),
        pytest.param(lambda p: os.truncate(p.touch() or p, 8 << 30), id="sparse-8-GiB"),
    ],
)
def test_an_inventory_that_is_no_file_is_refused_without_blocking(
    make: Callable[[Path], object], tmp_path: Path
) -> None:
    path = tmp_path / "inventory"
    make(path)
    run = run_measured("check", "--inventory", str(path), timeout=30)
    run.assert_bounded()
    assert run.returncode == 3
    assert re.search(
        re.escape(f"{path}: ") + "(a FIFO|a character device|a directory|more than 4 MiB)",
        run.stdout,
    ), run.stdout

"""cockpit's TOML inventory: the happy path, and every mistake with its exact line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cockpit.hostspec import HostSpec
from cockpit.inventory import InventoryError, load_inventory
from cockpit.inventory.toml_lines import locate


def write(tmp_path: Path, text: str, name: str = "fleet.toml") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return str(path)


def problems(path: str) -> list[tuple[int, str]]:
    with pytest.raises(InventoryError) as info:
        load_inventory(path)
    for p in info.value.problems:
        assert p.file == path
    return [(p.line, str(p)) for p in info.value.problems]


def test_design_example_with_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [defaults]
        user = "root"
        refresh = "10s"
        port = 2222

        [[host]]
        name = "web1"             # shown name
        address = "web1.example"  # or an alias from ~/.ssh/config
        sudo = true               # run the collector as `sudo -n sh -s`
        tags = ["web", "prod"]

        [[host]]
        name = "web1-disk"
        root = "/mnt/web1"        # offline root: a mounted disk or chroot

        [[host]]
        name = "here"
        local = true
        refresh = "1m30s"

        [[host]]
        address = "db1"
        user = "pg"
        port = 22
        """,
    )
    assert load_inventory(path) == [
        HostSpec("web1", "ssh", address="web1.example", user="root", port=2222, sudo=True,
                 tags=("web", "prod"), refresh_s=10.0),
        HostSpec("web1-disk", "offline", root="/mnt/web1", refresh_s=10.0),
        HostSpec("here", "local", refresh_s=90.0),
        HostSpec("db1", "ssh", address="db1", user="pg", port=22, refresh_s=10.0),
    ]  # fmt: skip


def test_relative_root_is_resolved_against_the_inventory_dir(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = write(tmp_path / "sub", '[[host]]\nroot = "../disks/vm1"\n')
    (spec,) = load_inventory(path)
    assert spec.root == str(tmp_path / "disks" / "vm1")
    assert spec.name == "vm1"  # unnamed root: its directory's last component


def test_every_mistake_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [defaults]
        user = "root"
        refresh = "10 sec"
        prot = 22

        [[host]]
        name = "web1"
        adress = "web1.example"

        [[host]]
        name = "web1"
        address = "web1.example"
        port = 70000

        [[host]]
        name = 3
        root = "/x"
        local = true

        [[host]]
        name = "disk"
        root = "/x"
        user = "me"
        tags = "web"

        [[host]]
        name = "nowhere"

        [[host]]
        name = "slow"
        address = "slow.example"
        refresh = 10
        sudo = "yes"
        """,
    )
    got = problems(path)
    lines = [line for line, _ in got]
    assert lines == [3, 4, 8, 11, 13, 16, 18, 23, 24, 26, 32, 33], got
    text = "\n".join(msg for _, msg in got)
    expected = [
        f"{path}:3: [defaults]: refresh '10 sec' is not a duration; write it as",
        f"{path}:4: unknown key 'prot' in [defaults]; did you mean 'port'?",
        f"{path}:8: unknown key 'adress' in [[host]] #1 (web1); did you mean 'address'?",
        f"{path}:11: duplicate host name 'web1' (first at line 7)",
        f"{path}:13: [[host]] #2 (web1): port 70000 is not from 1 to 65535",
        f"{path}:16: [[host]] #3: name must be a string, not a number",
        f"{path}:18: [[host]] #3: root and local are set together",
        f"{path}:23: [[host]] #4 (disk): user applies only to ssh hosts",
        f"{path}:24: [[host]] #4 (disk): tags must be a list, not a string",
        f"{path}:26: [[host]] #5 (nowhere): no way to reach it; give one of address",
        f"{path}:32: [[host]] #6 (slow): refresh must be a string, not a number; "
        'write refresh = "10s"',
        f"{path}:33: [[host]] #6 (slow): sudo must be true or false, not a string",
    ]
    for fragment in expected:
        assert fragment in text, fragment


def test_address_with_user_or_port_gets_a_hint(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[host]]
        address = "root@web1"

        [[host]]
        address = "web2:2222"

        [[host]]
        address = "-oProxyCommand=evil"
        """,
    )
    got = problems(path)
    assert [line for line, _ in got] == [2, 5, 8]
    assert "user = " in got[0][1] and "port = N" in got[1][1] and "option" in got[2][1]


def test_unknown_top_level_and_single_bracket_host(tmp_path: Path) -> None:
    path = write(tmp_path, '[defaults]\nuser = "a"\n\n[host]\naddress = "x"\n\n[hosts]\n')
    got = problems(path)
    assert got[0][0] == 4 and "double brackets" in got[0][1]
    assert got[1][0] == 7 and "did you mean 'host'" in got[1][1]


def test_syntax_error_keeps_tomllibs_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '[[host]]\nname = "a"\naddress = web1\n')
    ((line, msg),) = problems(path)
    assert line == 3
    assert msg.startswith(f"{path}:3: TOML syntax: ") and "line 3, column" in msg


def test_empty_inventory_is_an_error(tmp_path: Path) -> None:
    ((line, msg),) = problems(write(tmp_path, "# nothing yet\n"))
    assert line == 1 and "no hosts" in msg


def test_locate_skips_multiline_strings_and_follows_subtables() -> None:
    text = textwrap.dedent(
        '''
        [[host]]
        name = "a"
        note = """
        name = "not a key"
        [[host]]
        """
        [[host]]
        "address" = "b"
        [host.extra]
        key = 1
        '''
    ).lstrip("\n")
    where = locate(text)
    assert where.of("host", 0, "name") == 2
    assert where.of("host", 1) == 7
    assert where.of("host", 1, "address") == 8
    assert where.of("host", 1, "extra") == 9
    assert where.of("host", 1, "extra", "key") == 10
    assert where.of("host", 1, "missing") == 7  # falls back to the table's header
    assert where.of("nowhere") == 1

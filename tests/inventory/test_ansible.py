"""Ansible inventories (INI and YAML), as most fleets already have them: groups become
tags, variables apply from `all` inward and host variables last, ranges expand."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cockpit.hostspec import HostSpec
from cockpit.inventory import InventoryError, detect_format, load_inventory

INI = """
# hosts before any group are 'ungrouped'
mail.example.com

[web]
web[01:03].example ansible_user=deploy
db-[a:b]:2222 ansible_become=yes

[db]
db1 ansible_host=10.0.0.5 ansible_port=2200
[2001:db8::7]:2022

[prod:children]
web
db

[prod:vars]
ansible_user=admin
ansible_become=true

[all:vars]
ansible_port=22

[ctl]
localhost ansible_connection=local
"""

YAML = """
all:
  vars:
    ansible_user: root
  hosts:
    mail.example.com:
  children:
    web:
      hosts:
        web[01:02].example:
          ansible_port: 2222
        w3:2223:
      vars:
        ansible_become: true
    db:
      hosts:
        db1:
          ansible_host: 10.0.0.5
          ansible_user: pg
"""


def write(tmp_path: Path, text: str, name: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return str(path)


def test_ini_groups_vars_children_ranges_ports(tmp_path: Path) -> None:
    specs = load_inventory(write(tmp_path, INI, "hosts"))
    by_name = {s.name: s for s in specs}
    assert list(by_name) == [
        "mail.example.com", "web01.example", "web02.example", "web03.example",
        "db-a", "db-b", "db1", "2001:db8::7", "localhost",
    ]  # fmt: skip
    assert by_name["mail.example.com"] == HostSpec(
        "mail.example.com", "ssh", address="mail.example.com", port=22
    )
    # host var beats [prod:vars]; [prod:vars] beats nothing; become from the parent group
    assert by_name["web02.example"] == HostSpec(
        "web02.example", "ssh", address="web02.example", user="deploy", port=22, sudo=True,
        tags=("prod", "web"),
    )  # fmt: skip
    assert by_name["db-b"].port == 2222 and by_name["db-b"].user == "admin"
    assert by_name["db1"] == HostSpec(
        "db1", "ssh", address="10.0.0.5", user="admin", port=2200, sudo=True, tags=("prod", "db")
    )
    assert by_name["2001:db8::7"].address == "2001:db8::7" and by_name["2001:db8::7"].port == 2022
    assert by_name["localhost"] == HostSpec("localhost", "local", tags=("ctl",))


def test_yaml_groups_vars_children(tmp_path: Path) -> None:
    specs = load_inventory(write(tmp_path, YAML, "hosts.yml"))
    assert specs == [
        HostSpec("mail.example.com", "ssh", address="mail.example.com", user="root"),
        HostSpec("web01.example", "ssh", address="web01.example", user="root", port=2222,
                 sudo=True, tags=("web",)),
        HostSpec("web02.example", "ssh", address="web02.example", user="root", port=2222,
                 sudo=True, tags=("web",)),
        HostSpec("w3", "ssh", address="w3", user="root", port=2223, sudo=True, tags=("web",)),
        HostSpec("db1", "ssh", address="10.0.0.5", user="pg", tags=("db",)),
    ]  # fmt: skip


def test_a_host_in_two_groups_is_one_host(tmp_path: Path) -> None:
    text = "[web]\nh1\n[eu]\nh1 ansible_port=2200\n"
    (spec,) = load_inventory(write(tmp_path, text, "inv.ini"))
    assert spec.tags == ("eu", "web") and spec.port == 2200


def test_format_detection_by_extension_then_content() -> None:
    assert detect_format("x.toml", "[web]\nh1\n") == "toml"
    assert detect_format("hosts", "[[host]]\nlocal = true\n") == "toml"
    assert detect_format("hosts", "# fleet\n\nall:\n  hosts:\n") == "yaml"
    assert detect_format("hosts", "---\nall: {}\n") == "yaml"
    assert detect_format("hosts", "[web]\nh1\n") == "ini"
    assert detect_format("hosts", "h1 ansible_host=10.0.0.1\n") == "ini"
    assert detect_format("inv.yaml", "") == "yaml"


def test_ini_mistakes_are_all_reported_with_lines(tmp_path: Path) -> None:
    text = """
    [web]
    web[03:01] ansible_user=x
    h1 ansible_port=99999
    h2 novalue
    h3 ansible_connection=winrm
    h4 ansible_become=maybe
    [web:weird]
    [web:vars]
    no_equals_here
    two words=1
    [web
    h5
    """
    path = write(tmp_path, text, "hosts")
    with pytest.raises(InventoryError) as info:
        load_inventory(path)
    got = [(p.line, p.message) for p in info.value.problems]
    assert [line for line, _ in got] == [2, 3, 4, 5, 6, 7, 9, 10, 11], got
    assert "backwards" in got[0][1]
    assert "65535" in got[1][1]
    assert "'novalue' is not key=value" in got[2][1]
    assert "ansible_connection=winrm is not ssh" in got[3][1]
    assert "ansible_become='maybe' is not a boolean" in got[4][1]
    assert "unknown kind 'weird'" in got[5][1]
    assert "'no_equals_here' is not key=value" in got[6][1]
    assert "'two words=1' is not key=value" in got[7][1]
    assert "malformed" in got[8][1]


def test_yaml_mistakes_have_lines(tmp_path: Path) -> None:
    text = """
    all:
      hosts:
        h1:
          ansible_port: notaport
      childern:
        web: {}
    """
    with pytest.raises(InventoryError) as info:
        load_inventory(write(tmp_path, text, "inv.yml"))
    got = [(p.line, p.message, p.hint) for p in info.value.problems]
    assert got[0][0] == 4 and "notaport" in got[0][1]
    assert got[1][0] == 5 and "did you mean 'children'" in got[1][2]


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    with pytest.raises(InventoryError) as info:
        load_inventory(write(tmp_path, "all:\n  hosts:\n    h1: [\n", "inv.yml"))
    (problem,) = info.value.problems
    assert problem.line >= 3 and "YAML syntax" in problem.message

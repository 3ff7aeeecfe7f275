"""HOST arguments: user@host:port, IPv6 in brackets, ~/.ssh/config aliases."""

from __future__ import annotations

import pytest

from cockpit.hostspec import HostSpec
from cockpit.inventory import InventoryError, hosts_from_args
from cockpit.inventory.cli_hosts import host_from_arg
from cockpit.inventory.host_patterns import expand_ranges


@pytest.mark.parametrize(
    ("arg", "spec"),
    [
        ("web1", HostSpec("web1", "ssh", address="web1")),
        ("root@web1.example:2222",
         HostSpec("web1.example:2222", "ssh", address="web1.example", user="root", port=2222)),
        ("10.0.0.5:22", HostSpec("10.0.0.5:22", "ssh", address="10.0.0.5", port=22)),
        ("[::1]:2222", HostSpec("[::1]:2222", "ssh", address="::1", port=2222)),
        ("admin@[2001:db8::7]:22",
         HostSpec("[2001:db8::7]:22", "ssh", address="2001:db8::7", user="admin", port=22)),
        ("2001:db8::7", HostSpec("2001:db8::7", "ssh", address="2001:db8::7")),
        ("ssh://ops@h:2200", HostSpec("h:2200", "ssh", address="h", user="ops", port=2200)),
        # An ~/.ssh/config alias is kept as written, user and port unset, so that the
        # transport applies the alias's HostName, User, Port and ProxyJump like `ssh`.
        ("prod_db", HostSpec("prod_db", "ssh", address="prod_db")),
        ("me@prod_db", HostSpec("prod_db", "ssh", address="prod_db", user="me")),
    ],
)  # fmt: skip
def test_host_strings(arg: str, spec: HostSpec) -> None:
    assert host_from_arg(arg) == spec


def test_bad_host_strings_are_all_reported_with_hints() -> None:
    with pytest.raises(InventoryError) as info:
        hosts_from_args(["ok", "web1:99999", "@web1", "-oProxyCommand=x", "/mnt/disk", "[::1"])
    text = str(info.value)
    assert text.splitlines()[0] == "HOST arguments: 5 problems"
    assert "HOST 2 'web1:99999': port '99999' is not a number from 1 to 65535" in text
    assert "HOST 3 '@web1': user '' in '@web1' is not a user name" in text
    assert "HOST 4 '-oProxyCommand=x': host '-oProxyCommand=x' starts with '-'" in text
    assert "HOST 5 '/mnt/disk': '/mnt/disk' looks like a path; use --root DIR" in text
    assert "HOST 6 '[::1'" in text


def test_ranges() -> None:
    assert expand_ranges("web[01:03].ex") == ["web01.ex", "web02.ex", "web03.ex"]
    assert expand_ranges("db-[a:c]") == ["db-a", "db-b", "db-c"]
    assert expand_ranges("n[1:9:4]") == ["n1", "n5", "n9"]
    assert expand_ranges("r[1:2]-[a:b]") == ["r1-a", "r1-b", "r2-a", "r2-b"]

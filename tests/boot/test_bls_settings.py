"""BLS entries and loader.conf share one `key value` reader: space or tab ends the key."""

from __future__ import annotations

from cockpit.parsers.boot.bls import parse_bls, parse_loader_conf


def test_loader_conf_keeps_the_whole_value_after_a_tab() -> None:
    # systemd-boot's loader.conf: `default` may name a glob or title with spaces.
    conf = parse_loader_conf("# comment\ndefault\tFedora Linux 40*\ntimeout 3\neditor\n")
    assert conf == {"default": "Fedora Linux 40*", "timeout": "3", "editor": ""}


def test_bls_entry_tab_separated_keys_and_tabs_inside_values() -> None:
    entry = parse_bls(
        "title\tFedora Linux 40\nlinux /vmlinuz-6.8\noptions root=UUID=1\tro\ninitrd /a /b\n",
        "/loader/entries/f40.conf",
    )
    assert entry.title == "Fedora Linux 40"
    assert entry.kernel == "/vmlinuz-6.8"
    assert entry.cmdline == "root=UUID=1\tro"
    assert entry.initrds == ("/a", "/b")

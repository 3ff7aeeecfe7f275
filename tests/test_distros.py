"""The distros table: one entry per family, and everything that dispatches from it.

These pin what moved into the table from the modules that held it before (so the move
changed nothing), and what the table promises: every manager is probed, read and judged
as itself, never as another family.
"""

from __future__ import annotations

import pytest

from cockpit import distros
from cockpit.facts.packages import PackageFacts, Transaction
from cockpit.parsers.packages import READERS
from cockpit.probes import packages as probes
from cockpit.rules.packages import judge
from tests.packages.helpers import NOW, host_facts


def test_every_family_names_managers_the_table_has() -> None:
    names = {m.name for m in distros.MANAGERS}
    assert all(set(f.managers) <= names for f in distros.FAMILIES)
    assert len({f.name for f in distros.FAMILIES}) == len(distros.FAMILIES)


def test_every_manager_cockpit_understands_has_a_reader() -> None:
    """A table entry without a reader would be a family nothing reads."""
    assert set(READERS) == {m.name for m in distros.MANAGERS if m.understood}


@pytest.mark.parametrize(
    ("os_id", "like", "family"),
    [
        ("debian", (), "deb"),
        ("linuxmint", ("ubuntu", "debian"), "deb"),
        ("opensuse-leap", ("suse", "opensuse"), "suse"),
        ("rocky", ("rhel", "centos", "fedora"), "rh"),
        ("manjaro-arm", (), "arch"),
        ("void", (), "void"),
        ("nixos", (), "unknown"),
        (None, ("debian",), "deb"),
    ],
)
def test_os_release_ids_map_to_families(
    os_id: str | None, like: tuple[str, ...], family: str
) -> None:
    assert distros.family_of(os_id, like) == family


def test_the_probe_asks_for_every_managers_database_and_locks() -> None:
    for m in distros.MANAGERS:
        for path in m.database:
            assert f"{m.name}:{path}" in probes._PRESENT
        assert all(path in probes._LOCK_PATHS for path in m.locks)
        assert all(f"pid={p.path}" in probes._LOCK_PATHS for p in m.pidfiles)


@pytest.mark.parametrize(
    ("leftover", "original"),
    [
        ("/etc/fstab.dpkg-new", "/etc/fstab"),
        ("/etc/ssh/sshd_config.ucf-dist", "/etc/ssh/sshd_config"),
        ("/etc/pacman.conf.pacnew", "/etc/pacman.conf"),
        ("/etc/._cfg0000_inittab", "/etc/inittab"),
        ("/etc/conf.d/._cfg0001_net", "/etc/conf.d/net"),
        ("/etc/motd", "/etc/motd"),
    ],
)
def test_config_merges_name_their_original(leftover: str, original: str) -> None:
    assert distros.config_merge_base(leftover) == original


def test_the_init_and_libc_packages_are_the_ones_judged_before() -> None:
    assert distros.essential_packages("libc") >= {
        "sys-libs/glibc",
        "sys-libs/musl",
        "sys-libs/uclibc-ng",
        "libc6",
        "glibc",
        "musl",
    }
    assert distros.essential_packages("init") >= {
        "sys-apps/sysvinit",
        "sys-apps/openrc",
        "sys-apps/systemd",
        "sys-process/runit",
        "sys-apps/s6-linux-init",
        "sysvinit-core",
        "systemd-sysv",
        "runit-init",
        "openrc",
        "sysvinit",
        "systemd",
        "systemd-sysvcompat",
        "runit",
        "s6-linux-init",
    }


def _run(manager: str) -> Transaction:
    return Transaction(manager, "2024-06-01 10:00", f"{manager} upgrade", False, ("a log line",))


def test_a_run_is_judged_by_its_own_manager() -> None:
    facts = PackageFacts(managers=("dpkg", "pacman"), db_state="read")
    apt, pacman = (
        judge(host_facts(PackageFacts(**{**vars(facts), "transactions": (_run(m),)})), NOW)
        for m in ("apt", "pacman")
    )
    assert [f.id for f in apt] == [f.id for f in pacman] == ["packages.transaction-interrupted"]
    assert apt[0].remedy.startswith("dpkg --configure -a")
    assert "re-run the interrupted apt command" in apt[0].remedy  # never host text to paste
    assert pacman[0].remedy.startswith("Re-run the upgrade: `pacman -Syu`")


def test_a_run_of_a_manager_without_an_entry_is_not_judged_as_pacman() -> None:
    """rules/packages used to send every non-apt run to pacman's rule and remedy."""
    facts = PackageFacts(managers=("dpkg",), db_state="read", transactions=(_run("zypper"),))
    assert judge(host_facts(facts), NOW) == []

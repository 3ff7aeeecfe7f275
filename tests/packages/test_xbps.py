"""xbps (Void Linux): the pkgdb's package states, probe to rules.

The fixture is xbps's own test pkgdb (fixtures/README.md says where from): every package
`installed`, which is the healthy host; an interrupted `xbps-install` leaves the package it
was on `unpacked` (files in place, its INSTALL script and kernel hooks not run), the states
being xbps's lib/package_state.c: unpacked, installed, broken, half-removed, not-installed.
"""

from __future__ import annotations

from pathlib import Path

from cockpit.distros.table import XBPS
from cockpit.facts.packages import Lock, PackageFacts
from cockpit.parsers.packages import parse
from cockpit.parsers.packages.xbps import parse_states
from cockpit.probes.packages import PROBES
from cockpit.rules.packages import judge
from tests.packages.helpers import NOW, fixture, host_facts, ids
from tests.support import run_probes

PKGDB = fixture("xbps-pkgdb-0.38-libxbps-test.plist")
XBPS_PROBES = [p for p in PROBES if p.name in ("packages.present", "packages.xbps")]


def _tree(tmp_path: Path, pkgdb: str) -> Path:
    db = tmp_path / "var/db/xbps"
    db.mkdir(parents=True)
    (db / "pkgdb-0.38.plist").write_text(pkgdb)
    return tmp_path


def _interrupted(pkgdb: str, name: str, state: str) -> str:
    """The pkgdb with `name`'s state changed, as xbps writes it (keys sorted, tabs)."""
    head, sep, rest = pkgdb.partition(f"\t<key>{name}</key>\n")
    body, end, tail = rest.partition("\t</dict>\n")
    assert sep and end and "<string>installed</string>" in body
    return (
        head
        + sep
        + body.replace("<string>installed</string>", f"<string>{state}</string>")
        + end
        + tail
    )


def test_a_healthy_pkgdb_ships_nothing(tmp_path: Path, shell: str) -> None:
    got = run_probes(XBPS_PROBES, shell, root=_tree(tmp_path, PKGDB))
    assert got["packages.present"].text == "xbps /var/db/xbps\n"
    assert (got["packages.xbps-pkgdb"].state, got["packages.xbps-pkgdb"].text) == ("ok", "")
    facts = parse(got)
    assert facts.managers == ("xbps",) and facts.db_state == "read" and facts.mid_change == ()


def test_an_unpacked_package_is_shipped_and_judged(tmp_path: Path, shell: str) -> None:
    pkgdb = _interrupted(PKGDB, "three", "unpacked")
    got = run_probes(XBPS_PROBES, shell, root=_tree(tmp_path, pkgdb))
    assert got["packages.xbps-pkgdb"].text == "state unpacked three three-0.1_1\n"
    facts = parse(got)
    (state,) = facts.mid_change
    assert (state.manager, state.name, state.version, state.state) == (
        "xbps",
        "three",
        "0.1_1",
        "unpacked",
    )
    found = judge(host_facts(facts), NOW)
    assert ids(found) == {"packages.half-installed": "warning"}
    assert found[0].remedy == XBPS.finish_other


def test_the_boot_needs_a_kernel_caught_half_way() -> None:
    (kernel, other) = parse_states(
        "state unpacked linux6.6 linux6.6-6.6.58_1\nstate half-removed cowsay cowsay-3.04_1\n"
        "garbage line\nstate\n"
    )
    assert kernel.essential and not other.essential
    assert other.state == "half-removed" and other.version == "3.04_1"
    facts = PackageFacts(managers=("xbps",), db_state="read", mid_change=(kernel, other))
    found = judge(host_facts(facts), NOW)
    assert ids(found) == {
        "packages.essential-mid-change": "critical",
        "packages.half-installed": "warning",
    }
    assert found[0].remedy.startswith("xbps-reconfigure -a")


def test_while_xbps_holds_its_lock_its_half_done_packages_are_work_in_progress() -> None:
    (kernel,) = parse_states("state unpacked linux6.6 linux6.6-6.6.58_1\n")
    held = Lock("/var/db/xbps/lock", "fcntl", True, pid=4242, comm="xbps-install")
    facts = PackageFacts(
        managers=("xbps",), db_state="read", mid_change=(kernel,), locks=(held,), live=True
    )
    assert ids(judge(host_facts(facts), NOW)) == {"packages.lock-held": "info"}


def test_an_unreadable_pkgdb_is_unknown_never_healthy(tmp_path: Path, shell: str) -> None:
    (tmp_path / "var/db/xbps").mkdir(parents=True)  # the directory, no pkgdb-0.38.plist
    facts = parse(run_probes(XBPS_PROBES, shell, root=tmp_path))
    assert facts.db_state == "unreadable"
    assert ids(judge(host_facts(facts), NOW)) == {"packages.db-unreadable": "unknown"}

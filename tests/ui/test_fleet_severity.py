"""Issue 13 §1, §12, §13: at every width a row carries its worst severity in words, the
banner counts every kind of host, and the first frames keep the inventory's order."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from cockpit.hostspec import HostSpec
from cockpit.state import HostState
from cockpit.ui import fleet_banner, fleet_rows
from cockpit.ui.app import CockpitApp
from cockpit.ui.book import HostEntry
from cockpit.ui.messages import HostUpdated
from tests.ui.conftest import INCIDENT_AT, FrozenClock, screen_lines, wait_until
from tests.ui.test_fleet_rows import judged


def state(tree: str, **kw: object) -> HostState:
    return dataclasses.replace(judged(tree), **kw)  # type: ignore[arg-type]


#: The issue's host: bootable, but dpkg interrupted with three critical findings.
UBUNTU = state("ubuntu2204-dpkg-interrupted", verdict="bootable", status="critical")
HEALTHY = state("debian12-systemd", verdict="bootable", status="ok", findings=())
WARNED = state("debian12-sysvinit", verdict="bootable", status="warning")
WEBLOGS = judged("weblogs-2011")


def entry(name: str, st: HostState | None) -> HostEntry:
    spec = HostSpec(name=name, kind="offline", root="/")
    if st is None:
        return HostEntry(spec, phase="connecting")
    return HostEntry(spec, st, taken_at=INCIDENT_AT, updated_at=INCIDENT_AT, phase="ok")


def test_a_critical_host_says_so_in_its_verdict_cell() -> None:
    assert fleet_rows.verdict_cell(entry("ubuntu2204", UBUNTU)) == ("✓ BOOTABLE CRIT", "critical")
    assert fleet_rows.verdict_cell(entry("sysv", WARNED)) == ("✓ BOOTABLE WARN", "warning")
    assert fleet_rows.verdict_cell(entry("d12", HEALTHY)) == ("✓ BOOTABLE", "ok")
    assert fleet_rows.verdict_cell(entry("weblogs", WEBLOGS)) == ("✗ UNBOOTABLE", "blocker")
    for width in (60, 80, 120):
        keys = [c.key for c in fleet_rows.plan_columns(width, 17)]
        assert "verdict" in keys and next(
            c.width for c in fleet_rows.plan_columns(width, 17) if c.key == "verdict"
        ) >= len("✓ BOOTABLE CRIT")


def test_the_banner_counts_critical_and_warning_hosts_too() -> None:
    entries = [entry("weblogs", WEBLOGS), entry("ubuntu2204", UBUNTU), entry("sysv", WARNED)]
    text, level = fleet_banner.banner(entries, INCIDENT_AT)
    assert level == "blocker"
    assert text.endswith("3 hosts: 1 unbootable, 2 bootable; 1 CRIT, 1 WARN")
    text, level = fleet_banner.banner(entries[1:], INCIDENT_AT)
    assert level == "critical" and text.startswith("! ubuntu2204 BOOTABLE CRIT: ")


def test_banner_wording_for_one_host_and_long_reasons() -> None:
    assert fleet_banner.banner([entry("d12", HEALTHY)], INCIDENT_AT) == ("✓ d12 BOOTABLE", "ok")
    two = [entry("a", HEALTHY), entry("b", HEALTHY)]
    assert fleet_banner.banner(two, INCIDENT_AT) == ("✓ all 2 hosts BOOTABLE", "ok")
    unknown = state("fedora40-bls-reboot-scheduled", verdict="unknown", status="unknown")
    text, _ = fleet_banner.banner([entry("f40", unknown)], INCIDENT_AT)
    assert "chars)" not in text and "(+" not in text  # our words cut at a word, not counted


def test_first_frames_read_in_inventory_order_and_name_no_unread_host() -> None:
    entries = [entry("alpha", None), entry("zulu", HEALTHY), entry("alpine", None)]
    keys = fleet_rows.sort_keys("worst", entries, INCIDENT_AT)
    assert sorted(keys, key=keys.__getitem__) == ["alpha", "zulu", "alpine"]
    text, level = fleet_banner.banner(entries, INCIDENT_AT)
    assert (text, level) == ("… reading 3 hosts: 1 answered so far", "unknown")
    assert "alpha" not in text and "alpine" not in text
    # An unbootable host that answered is named at once, not hidden behind "reading".
    entries.append(entry("weblogs", WEBLOGS))
    text, level = fleet_banner.banner(entries, INCIDENT_AT)
    assert level == "blocker" and text.startswith("✗ weblogs UNBOOTABLE")
    assert text.endswith("· reading 2 more…")


class Canned:
    """An UpdateSource that posts given states once (no collector, no clock of its own)."""

    def __init__(self, states: dict[str, HostState]) -> None:
        self.states = states

    async def run(self, post: Callable[[Any], object]) -> None:
        for name, st in self.states.items():
            post(HostUpdated(name, st, INCIDENT_AT))


async def test_at_80x24_the_critical_row_reads_crit_not_healthy() -> None:
    states = {"weblogs": WEBLOGS, "ubuntu2204": UBUNTU, "debian12": HEALTHY}
    specs = [HostSpec(name=n, kind="offline", root="/") for n in states]
    app = CockpitApp(specs, clock=FrozenClock(), source=Canned(states))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: all(e.state for e in app.book) and not app.screen.pending)
        lines = screen_lines(app)
        row = next(line for line in lines if line.startswith(" ubuntu2204"))
        assert "✓ BOOTABLE CRIT" in row, row
        healthy = next(line for line in lines if line.startswith(" debian12"))
        assert "✓ BOOTABLE " in healthy and "CRIT" not in healthy
        banner = next(line for line in lines if "UNBOOTABLE" in line and "weblogs" in line)
        assert "1 CRIT" in " ".join(lines[: lines.index(banner) + 2])


async def test_while_hosts_are_read_rows_keep_the_inventory_order() -> None:
    from cockpit.ui.fleet_table import FleetTable

    names = ["alpine", "debian12", "ubuntu2204", "weblogs"]
    specs = [HostSpec(name=n, kind="offline", root="/") for n in names]
    answered = {"ubuntu2204": UBUNTU, "debian12": HEALTHY}  # weblogs, alpine still reading
    app = CockpitApp(specs, clock=FrozenClock(), source=Canned(answered))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: all(app.book.get(n).state for n in answered))  # type: ignore[union-attr]
        await wait_until(pilot, lambda: not app.screen.pending)
        table = app.screen.query_one(FleetTable)
        shown = [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(4)]
        assert shown == names  # not ubuntu2204 first because it answered with CRIT
        banner = " ".join(screen_lines(app)[1:3])
        assert "… reading 4 hosts: 2 answered so far" in banner
        assert "alpine" not in banner and "UNKNOWN: not read yet" not in banner

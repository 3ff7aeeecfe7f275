"""Which actions a state offers, from sections as a live host sends them (pure)."""

from __future__ import annotations

from datetime import datetime, timezone

from cockpit.actions import offers_for
from cockpit.engine import judge_snapshot
from cockpit.snapshot import Snapshot
from cockpit.state import HostState
from tests.support import sections_from

STARTED = datetime(2024, 6, 12, 18, 0, tzinfo=timezone.utc)


def _state(mode: str, named: dict[str, str | tuple[str, str]]) -> HostState:
    named = {"host.mode": mode, **named}
    snap = Snapshot("h", mode, sections_from(named), STARTED, 0.1)  # type: ignore[arg-type]
    return judge_snapshot(snap, STARTED)


def test_a_waiting_sysvinit_shutdown_is_cancelled_with_shutdown_c() -> None:
    state = _state(
        "live",
        {
            "reboots.sysv.pid:/run/shutdown.pid": "812\n",
            "reboots.sysv.pid.cmdline:/proc/812/cmdline": "shutdown\x00-r\x00+30\x00",
        },
    )
    [offer] = offers_for(state)
    assert (offer.kind, offer.command, offer.path) == (
        "cancel-shutdown",
        "shutdown -c",
        "/run/shutdown.pid",
    )
    assert offer.seen == "812\n"


def test_openrc_shutdown_is_cancelled_with_its_own_tool() -> None:
    state = _state(
        "live",
        {
            "reboots.openrc.pid:/run/openrc-shutdown.pid": "99\n",
            "reboots.openrc.pid.cmdline:/proc/99/cmdline": "openrc-shutdown\x00-r\x0003:15\x00",
        },
    )
    assert [o.command for o in offers_for(state)] == ["openrc-shutdown -c"]


def test_a_leftover_pid_file_on_an_offline_disk_offers_nothing() -> None:
    state = _state("offline", {"reboots.sysv.pid:/run/shutdown.pid": "812\n"})
    assert offers_for(state) == []


def test_anacrontab_and_cron_d_jobs_each_get_one_offer_in_time_order() -> None:
    state = _state(
        "live",
        {
            "reboots.crontab": "SHELL=/bin/sh\n",
            "reboots.crond": "f x s nightly\n",
            "reboots.crond:/etc/cron.d/nightly": "30 2 * * * root /sbin/reboot\n"
            "30 2 * * * root /sbin/reboot\n",
            "reboots.anacrontab": "7 10 weekly.reboot /sbin/shutdown -r now\n",
        },
    )
    offers = offers_for(state)
    assert [(o.kind, o.path, o.occurrence) for o in offers] == [
        ("disarm-cron", "/etc/cron.d/nightly", 0),
        ("disarm-cron", "/etc/cron.d/nightly", 1),
        ("disarm-cron", "/etc/anacrontab", 0),
    ]
    assert offers[2].anacron and not offers[2].system and offers[0].system


def test_a_host_that_was_not_read_offers_nothing() -> None:
    assert offers_for(HostState.failed("h", "live", "unreachable", "refused")) == []

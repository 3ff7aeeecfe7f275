"""The host's own clock and zone: countdowns are in host time, never the viewer's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cockpit.facts.host import HostInfo


def host_zone(info: HostInfo) -> tzinfo:
    """The host's IANA zone if it names one we know, else its fixed offset, else UTC."""
    if info.tz_name:
        try:
            return ZoneInfo(info.tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    if info.utc_offset is not None:
        return timezone(timedelta(seconds=info.utc_offset))
    return timezone.utc


def host_now(info: HostInfo, at: datetime | None, client_now: datetime) -> datetime:
    """`--at` wins; then the host's clock (live); then the client's clock (offline roots)."""
    zone = host_zone(info)
    if at is not None:
        # A bare `--at 2011-09-29T23:00` means the host's wall clock, as cron reads it.
        return at.replace(tzinfo=zone) if at.tzinfo is None else at.astimezone(zone)
    if info.epoch is not None:
        return datetime.fromtimestamp(info.epoch, tz=zone)
    return client_now.astimezone(zone)


def ticking_host_now(
    host_time: datetime | None, taken_at: datetime | None, client_now: datetime
) -> datetime | None:
    """The host's clock now, from its clock at the last refresh plus the time since.

    Countdowns tick between refreshes on the client's monotonic-ish clock, but stay in the
    host's time and zone; a host never read has no time (None), not ours.
    """
    if host_time is None:
        return None
    if taken_at is None:
        return host_time
    return host_time + (client_now - taken_at)

"""Places reboots hide in that were not read whole: a cut listing says how
much it held and read, the next reboot is "unknown" (or "at or before" the one seen),
never "none"; the remedy says what happened, root rights only when they would help; cron
files are skipped by the host's own cron's rules (Debian's or cronie's), no others."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from cockpit.engine import judge_snapshot
from cockpit.parsers import parse_snapshot
from cockpit.parsers.reboots import parse
from cockpit.render import json_out, text_out
from cockpit.rules import judge_all, reboots
from cockpit.snapshot import Sections, Snapshot
from tests.support import SAMPLES, collect_root, sections_from

CHI = ZoneInfo("America/Chicago")
NOW = datetime(2011, 9, 29, 23, 0, tzinfo=CHI)
CUT = "".join(f"f - s job{i:03}\n" for i in range(200)) + "cut 250 200\n"
BASE = parse_snapshot(collect_root(SAMPLES / "debian12-systemd"))
#: Every other place reboots hide in, read and absent: only what a test names is not.
ABSENT: dict[str, str | tuple[str, str]] = {
    **{
        name: ("absent", "")
        for name in (
            *(f"reboots.spool.{s}" for s in ("crontabs", "cron", "tabs", "busybox")),
            *(f"reboots.at.{s}" for s in ("deb", "rh", "suse")),
            *(f"reboots.cron.{p}" for p in ("hourly", "daily", "weekly", "monthly")),
        )
    },
    "reboots.jobs": "",  # read, no job runs a script
}


def _rb(named: dict[str, str | tuple[str, str]]):  # type: ignore[no-untyped-def]
    return replace(BASE, reboots=parse(sections_from({**ABSENT, **named})))


def test_a_cut_cron_d_says_how_much_it_read_and_reboots_are_unknown() -> None:
    facts = _rb({"reboots.crontab": "", "reboots.crond": ("cut", CUT)})
    (f,) = [f for f in reboots.judge(facts, NOW) if f.id == "reboots.crontab-unreadable"]
    assert "cron.d: 250 files, 200 read: reboots unknown" in f.evidence
    assert "with root rights" not in f.remedy and "cap" in f.remedy
    judged = judge_all(facts, NOW)
    assert judged.next_reboot is None
    assert judged.reboots_unknown == "cron.d: 250 files, 200 read"


def test_the_next_reboot_is_unknown_or_at_or_before_never_none() -> None:
    """Through the engine and both renderings: a cut cron.d and no reboot seen is
    "unknown", with one seen it is the next "at or before" its time."""
    named: dict[str, str | tuple[str, str]] = {
        **ABSENT,
        "host.mode": "offline\n",
        "reboots.crontab": "",
        "reboots.crond": ("cut", CUT),
        "host.os": "ID=debian\n",
        "host.top": "d x s etc\nd x s usr\n",
        "host.tz.name": "America/Chicago\n",
    }
    snap = Snapshot("h", "offline", Sections(dict(sections_from(named))), NOW, 0.0)
    state = judge_snapshot(snap, NOW)
    text = text_out.render([state])
    assert "next reboot: unknown (cron.d: 250 files, 200 read)" in text
    assert "none armed" not in text
    doc = json_out.host_json(state)
    assert doc["next_reboot"] is None
    assert doc["next_reboot_unknown"] == "cron.d: 250 files, 200 read"
    json.dumps(doc)
    named["reboots.crond:/etc/cron.d/job000"] = "15 3 * * * root /sbin/reboot\n"
    snap = Snapshot("h", "offline", Sections(dict(sections_from(named))), NOW, 0.0)
    state = judge_snapshot(snap, NOW)
    assert "next reboot: reboot at or before 03:15 CDT" in text_out.render([state])


def test_root_rights_advised_only_when_they_would_help() -> None:
    named: dict[str, str | tuple[str, str]] = {
        "reboots.crontab": "",
        "reboots.spool.crontabs": ("denied", ""),
    }
    facts = _rb(named)
    for uid, advised in ((1000, True), (0, False), (None, True)):
        host = replace(facts.host, collector_uid=uid)
        (f,) = [
            f
            for f in reboots.judge(replace(facts, host=host), NOW)
            if f.id == "reboots.crontab-unreadable"
        ]
        assert ("with root rights" in f.remedy) is advised, (uid, f.remedy)
        if uid == 0:
            assert "although cockpit reads as root" in f.remedy


def test_loop_and_foreign_spools_say_what_happened() -> None:
    facts = _rb({"reboots.crontab": ("loop", ""), "reboots.spool.crontabs": ("foreign", "")})
    (f,) = [f for f in reboots.judge(facts, NOW) if f.id == "reboots.crontab-unreadable"]
    assert "symlink loop" in f.remedy and "mounted into the root" in f.remedy
    assert "with root rights" not in f.remedy


def _cron_d(family_id: str, names: list[str]) -> list[str]:
    named: dict[str, str | tuple[str, str]] = {
        "host.os": f"ID={family_id}\n",
        "reboots.crontab": "",
        "reboots.crond": "".join(f"f - s {n}\n" for n in names),
    }
    for n in names:
        named[f"reboots.crond:/etc/cron.d/{n}"] = "15 3 * * * root /sbin/reboot\n"
    return sorted(j.path.rsplit("/", 1)[1] for j in parse(sections_from(named)).cron)


def test_cronie_skips_what_cronie_skips_and_runs_the_rest() -> None:
    """cronie (Fedora here) skips `#…`, `…~`, .rpmsave, .rpmorig, .rpmnew and runs any
    other name, dots and spaces included; Debian's cron runs only [A-Za-z0-9_-]+."""
    names = ["#draft", "old~", "r.rpmsave", "r.rpmorig", "r.rpmnew", "with space", "x.conf", "ok"]
    assert _cron_d("fedora", names) == ["ok", "with space", "x.conf"]
    assert _cron_d("debian", names) == ["ok"]

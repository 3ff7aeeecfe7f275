"""Reboots one step away: the scripts cron job lines run. Real crontabs and scripts in a
temporary root, the real collector under dash, bash and busybox ash; the parser alone for
the states no test here can cause (a script denied to a collector that runs as root)."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cockpit.actions import offers_for
from cockpit.facts.reboots import RebootFacts
from cockpit.parsers import parse_snapshot
from cockpit.parsers.reboots import jobs, parse
from cockpit.parsers.reboots.matcher import reboot_kind, run_paths
from cockpit.probes import ALL_PROBES, reboots
from cockpit.render import text_out
from cockpit.rules import Judgement, judge_all
from cockpit.snapshot import Section, Sections
from tests.support import SAMPLES, collect_root, judge_root, run_probes, sections_from

UTC = ZoneInfo("UTC")
NOW = datetime(2024, 6, 12, 20, 0, tzinfo=UTC)
PROBES = [p for p in ALL_PROBES if p.area in ("reboots", "host")]
BASE = parse_snapshot(collect_root(SAMPLES / "debian12-systemd"))


def _judged(facts: RebootFacts) -> Judgement:
    """The verdict's view of these reboots facts, on an otherwise sample host."""
    return judge_all(replace(BASE, reboots=facts), NOW)


def _write(root: Path, rel: str, text: str, mode: int = 0o755) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def _collect(root: Path, shell: str) -> Sections:
    _write(root, "etc/os-release", "ID=debian\n", 0o644)
    return run_probes(PROBES, shell, root, strict=False)


def _unknown(facts: RebootFacts) -> list[tuple[str, str]]:
    """The job-script sources left unknown (other sources are other tests' business)."""
    return [(s.path, s.state) for s in facts.unread if "cron job" in s.what]


# --- the real collector ---------------------------------------------------------------


def test_a_reboot_in_the_script_a_job_runs_is_a_pending_reboot(shell: str, tmp_path: Path) -> None:
    _write(
        tmp_path,
        "etc/cron.d/nightly",
        "CRON_TZ=UTC\n0 3 * * * root /usr/local/sbin/nightly.sh >/dev/null 2>&1\n",
        0o644,
    )
    _write(
        tmp_path, "usr/local/sbin/nightly.sh", "#!/bin/sh\napt-get -y upgrade\nsystemctl reboot\n"
    )
    _write(tmp_path, "etc/crontab", "17 * * * * root cd / && /opt/ops/rotate.sh\n", 0o644)
    _write(tmp_path, "opt/ops/rotate.sh", "#!/bin/bash\nsleep 5 && shutdown -r +5\n")
    _write(
        tmp_path, "var/spool/cron/crontabs/ops", "30 4 * * 0 sudo -u root /home/ops/sysrq\n", 0o600
    )
    _write(tmp_path, "home/ops/sysrq", "echo b > /proc/sysrq-trigger\n")
    _write(tmp_path, "etc/cron.d/harmless", "*/5 * * * * root /opt/ops/backup.sh\n", 0o644)
    _write(tmp_path, "opt/ops/backup.sh", "#!/bin/sh\ntar -czf /srv/b.tgz /etc\n")
    s = _collect(tmp_path, shell)
    assert "reboots.job:/usr/local/sbin/nightly.sh" in s
    assert "reboots.job:/opt/ops/backup.sh" not in s  # read, no reboot word: not sent
    facts = parse(s)
    got = {(j.path, j.line, j.spec, j.zone, j.kind, j.delay_min, j.user) for j in facts.cron}
    assert got == {
        ("/usr/local/sbin/nightly.sh", "systemctl reboot", "0 3 * * *", "UTC", "reboot", 0, "root"),
        (
            "/opt/ops/rotate.sh",
            "sleep 5 && shutdown -r +5",
            "17 * * * *",
            None,
            "reboot",
            5,
            "root",
        ),
        ("/home/ops/sysrq", "echo b > /proc/sysrq-trigger", "30 4 * * 0", None, "reboot", 0, "ops"),
    }
    (nightly,) = [j for j in facts.cron if j.path == "/usr/local/sbin/nightly.sh"]
    assert (
        nightly.via
        == "/etc/cron.d/nightly: 0 3 * * * root /usr/local/sbin/nightly.sh >/dev/null 2>&1"
    )
    assert facts.unread == ()
    judged = _judged(facts)
    assert judged.next_reboot is not None and judged.reboots_unknown is None


def test_scripts_that_cannot_run_are_no_reboot_and_links_stay_in_the_root(
    shell: str, tmp_path: Path
) -> None:
    """A script that is not there, a directory, a loop, or a link this machine's kernel
    would follow out of the root to a rebooting script: the job fails on the host, nothing
    reboots, and nothing outside the root is read."""
    outside = tmp_path / "outside"
    _write(outside, "evil.sh", "#!/bin/sh\nreboot # OUTSIDE-TOKEN\n")
    root = tmp_path / "root"
    lines = [
        "1 1 * * * root /opt/gone.sh",
        "2 2 * * * root /opt/dir",
        "3 3 * * * root /opt/loop.sh",
        "4 4 * * * root /opt/abs.sh",
        "5 5 * * * root /opt/rel.sh",
    ]
    _write(root, "etc/cron.d/jobs", "\n".join(lines) + "\n", 0o644)
    (root / "opt/dir").mkdir(parents=True)
    os.symlink("/opt/loop.sh", root / "opt/loop.sh")
    os.symlink(outside / "evil.sh", root / "opt/abs.sh")
    os.symlink("../../../outside/evil.sh", root / "opt/rel.sh")
    s = _collect(root, shell)
    assert all("OUTSIDE-TOKEN" not in sec.text for sec in s.values())
    states = dict(
        reversed(ln.split("\t", 1))
        for ln in s["reboots.jobs"].text.splitlines()
        if "\t" in ln and not ln.startswith("job")
    )
    assert states == {
        "/opt/gone.sh": "absent",
        "/opt/dir": "notfile",
        "/opt/loop.sh": "loop",
        "/opt/abs.sh": "dangling",
        "/opt/rel.sh": "dangling",
    }
    facts = parse(s)
    assert facts.cron == () and facts.unread == ()


def test_more_scripts_than_the_bound_is_unknown_never_none(shell: str, tmp_path: Path) -> None:
    lines = [f"{i} 1 * * * root /opt/s{i:02}.sh" for i in range(40)]
    _write(tmp_path, "etc/crontab", "\n".join(lines) + "\n", 0o644)
    for i in range(40):
        _write(tmp_path, f"opt/s{i:02}.sh", "#!/bin/sh\ntrue\n")
    facts = parse(_collect(tmp_path, shell))
    assert facts.cron == ()
    assert _unknown(facts) == [("reboots.jobs", "cut")]
    judged = _judged(facts)
    assert judged.next_reboot is None
    assert judged.reboots_unknown == "scripts cron jobs run: more than 32, 32 read"


def test_a_program_that_mentions_a_reboot_is_unknown(shell: str, tmp_path: Path) -> None:
    _write(tmp_path, "var/spool/cron/crontabs/bob", "30 4 * * 0 /opt/py/job.py\n", 0o600)
    _write(tmp_path, "opt/py/job.py", "#!/usr/bin/python3\nimport os\nos.system(cmd)  # reboot\n")
    _write(tmp_path, "etc/cron.d/bin", "0 0 * * * root /opt/bin/agent --once\n", 0o644)
    (tmp_path / "opt/bin").mkdir(parents=True)
    (tmp_path / "opt/bin/agent").write_bytes(b"\x7fELF\x02\x01\x01\x00shutdown\x00")
    facts = parse(_collect(tmp_path, shell))
    assert facts.cron == ()
    assert sorted(_unknown(facts)) == [("/opt/bin/agent", "program"), ("/opt/py/job.py", "program")]


def test_a_linked_spool_is_read_once_and_system_directories_are_not_read(
    shell: str, tmp_path: Path
) -> None:
    """Alpine links /var/spool/cron/crontabs to /etc/crontabs; /usr/bin holds binaries
    that all say "reboot" somewhere and is the packages', not the admin's."""
    _write(tmp_path, "etc/crontabs/root", "0 4 * * * /usr/local/bin/w.sh; /usr/bin/x\n", 0o600)
    (tmp_path / "var/spool/cron").mkdir(parents=True)
    os.symlink("/etc/crontabs", tmp_path / "var/spool/cron/crontabs")
    _write(tmp_path, "usr/local/bin/w.sh", "reboot\n")
    _write(tmp_path, "usr/bin/x", "reboot\n")
    s = _collect(tmp_path, shell)
    body = s["reboots.jobs"].text
    assert body.count("job\t") == 1 and "\t/usr/bin/x\n" not in body
    facts = parse(s)
    assert [(j.path, j.user) for j in facts.cron] == [("/usr/local/bin/w.sh", "root")]


# --- the parser alone -------------------------------------------------------------------


#: Every other place reboots hide in, read and absent: only what a test names is not.
ABSENT: dict[str, str | tuple[str, str]] = {
    name: ("absent", "")
    for name in (
        "reboots.crond",
        *(f"reboots.spool.{s}" for s in ("crontabs", "cron", "tabs", "busybox")),
        *(f"reboots.at.{s}" for s in ("deb", "rh", "suse")),
        *(f"reboots.cron.{p}" for p in ("hourly", "daily", "weekly", "monthly")),
    )
}


def _parsed(jobs_text: str, state: str = "ok", **files: str | tuple[str, str]) -> RebootFacts:
    named: dict[str, str | tuple[str, str]] = {
        **ABSENT,
        "host.os": "ID=debian\n",
        "reboots.crontab": "",
        "reboots.jobs": (state, jobs_text),
    }
    named.update({f"reboots.job:{k.replace('__', '/')}": v for k, v in files.items()})
    return parse(sections_from(named))


JOB = "job\t/etc/cron.d/x\t0 3 * * * root /opt/x.sh\n"


def test_a_script_denied_timed_out_or_foreign_makes_the_next_reboot_unknown() -> None:
    for state in ("denied", "foreign"):
        facts = _parsed(JOB + f"{state}\t/opt/x.sh\n")
        assert _unknown(facts) == [("/opt/x.sh", state)]
    facts = _parsed(JOB + "ok\t/opt/x.sh\n", **{"__opt__x.sh": ("timeout", "")})
    assert _unknown(facts) == [("/opt/x.sh", "timeout")]
    judged = _judged(facts)
    assert judged.next_reboot is None and judged.reboots_unknown == "/opt/x.sh: timeout"


def test_a_script_cut_at_the_cap_without_a_reboot_line_is_unknown() -> None:
    sec = Section("reboots.job:/opt/x.sh", "ok", 0, "#!/bin/sh\n# reboot later\n", truncated=True)
    named = {
        "host.os": "ID=debian\n",
        "reboots.crontab": "",
        "reboots.jobs": JOB + "ok\t/opt/x.sh\n",
    }
    base = dict(sections_from(named))
    base[sec.name] = sec
    facts = parse(Sections(base))
    assert _unknown(facts) == [("/opt/x.sh", "truncated")]


def test_no_section_is_missing_never_none_and_a_crontab_cron_skips_is_skipped() -> None:
    facts = parse(sections_from({"host.os": "ID=debian\n", "reboots.crontab": ""}))
    assert ("reboots.jobs", "missing") in _unknown(facts)
    skipped = "job\t/etc/cron.d/x.dpkg-old\t0 3 * * * root /opt/x.sh\nok\t/opt/x.sh\n"
    assert _parsed(skipped, __opt__x_sh="reboot\n").cron == ()
    assert [
        j.path for j in _parsed(JOB + "ok\t/opt/x.sh\n", **{"__opt__x.sh": "reboot\n"}).cron
    ] == ["/opt/x.sh"]


def test_the_parser_skips_what_the_collector_skips() -> None:
    assert jobs.JOB_SKIP.pattern == reboots.JOB_SKIP


@pytest.mark.parametrize(
    ("command", "paths"),
    [
        ("/usr/local/sbin/nightly.sh", ["/usr/local/sbin/nightly.sh"]),
        ("sudo -u backup /opt/b.sh >/dev/null 2>&1", ["/opt/b.sh"]),
        ("sh -e /opt/x.sh", ["/opt/x.sh"]),
        ("bash /opt/q.sh arg", ["/opt/q.sh"]),
        (". /opt/env.sh; /opt/y", ["/opt/env.sh", "/opt/y"]),
        ("cd / && timeout 60 /opt/t.sh", ["/opt/t.sh"]),
        ("flock -n /run/l /opt/f.sh", ["/opt/f.sh"]),
        ("ssh db1 /opt/x.sh", []),
        ("chroot /srv /opt/x.sh", []),
        ("tar -czf /backup/x.tgz /etc", []),
    ],
)
def test_the_paths_a_command_runs(command: str, paths: list[str]) -> None:
    assert run_paths(command) == paths


def test_a_dos_line_end_does_not_hide_a_reboot() -> None:
    assert reboot_kind("/sbin/shutdown -r now\r") == ("reboot", 0)
    assert reboot_kind("sudo -u root reboot") == ("reboot", 0)


def test_the_whole_engine_says_the_script_and_offers_no_disarm_of_it(tmp_path: Path) -> None:
    """Through collector, engine and text: the reboot is on screen with the job that runs
    it; cockpit offers no disarm (commenting a line out of someone's script is not one),
    and the remedy names the script and the crontab."""
    _write(tmp_path, "etc/os-release", "ID=debian\n", 0o644)
    _write(tmp_path, "etc/cron.d/nightly", "0 3 * * * root /usr/local/sbin/nightly.sh\n", 0o644)
    _write(tmp_path, "usr/local/sbin/nightly.sh", "#!/bin/sh\nsystemctl reboot\n")
    state = judge_root(tmp_path, "2024-06-12T20:00:00+00:00")
    assert state.next_reboot is not None
    (f,) = [f for f in state.findings if f.id == "reboots.cron-reboot"]
    assert f.title.startswith("/usr/local/sbin/nightly.sh reboots this host daily at 03:00")
    assert "/etc/cron.d/nightly: 0 3 * * * root /usr/local/sbin/nightly.sh" in f.evidence
    assert "/usr/local/sbin/nightly.sh" in f.remedy and "/etc/cron.d/nightly" in f.remedy
    assert [o for o in offers_for(state) if o.path == "/usr/local/sbin/nightly.sh"] == []
    assert "nightly.sh" in text_out.render([state])

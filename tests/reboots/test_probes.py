"""The reboots probes under dash, bash and busybox ash on small trees (offline mode)."""

from __future__ import annotations

import os
from pathlib import Path

from cockpit.parsers.reboots import parse
from cockpit.probes import ALL_PROBES
from cockpit.snapshot import Sections
from tests.support import run_probes


def collect_root(root: Path, shell: str) -> Sections:
    return run_probes(ALL_PROBES, shell, root, strict=False)


def _write(root: Path, rel: str, text: str, mode: int = 0o644) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def _tree(root: Path) -> None:
    _write(root, "etc/os-release", "ID=debian\n")
    _write(root, "etc/crontab", "25 6 * * * root cd / && run-parts --report /etc/cron.daily\n")
    _write(root, "etc/cron.d/e2scrub_all", "10 3 * * * root /sbin/e2scrub_all -A -r\n")
    _write(root, "etc/cron.d/nightly", "# VMware\n15 3 * * * root /sbin/shutdown -r now\n")
    _write(root, "etc/cron.daily/man-db", "#!/bin/sh\nexec man-db\n", 0o755)
    _write(root, "etc/cron.daily/zz-reboot", "#!/bin/sh\n/sbin/reboot\n", 0o755)
    _write(root, "etc/crontabs/root", "0 4 * * 0 reboot\n")  # busybox (Alpine) spool
    (root / "var/spool/cron").mkdir(parents=True)
    os.symlink("/etc/crontabs", root / "var/spool/cron/crontabs")  # absolute, as Alpine
    os.symlink("/run", root / "var/run")  # absolute: must stay inside ROOT
    _write(root, "run/reboot-required", "*** System restart required ***\n")
    _write(root, "run/reboot-required.pkgs", "linux-base\n")
    _write(
        root, "run/systemd/shutdown/scheduled", "USEC=1718245800000000\nWARN_WALL=1\nMODE=reboot\n"
    )
    name = "a00001" + format(1718245800 // 60, "08x")
    _write(
        root,
        f"var/spool/cron/atjobs/{name}",
        "#!/bin/sh\ncd /root || exit 1\nsystemctl reboot\n",
        0o700,
    )
    _write(root, "etc/systemd/system/nightly.timer", "[Timer]\nOnCalendar=daily\n")
    _write(root, "etc/systemd/system/nightly.service", "[Service]\nExecStart=/sbin/reboot\n")
    _write(root, "etc/systemd/system/web.service", "[Service]\nExecStart=/usr/bin/httpd\n")
    _write(
        root,
        "etc/apt/apt.conf.d/50unattended-upgrades",
        'Unattended-Upgrade::Automatic-Reboot "true";\n',
    )
    _write(root, "etc/apt/apt.conf.d/20auto-upgrades", 'APT::Periodic::Unattended-Upgrade "1";\n')
    _write(
        root,
        "etc/apt/apt.conf.d/70debconf",
        'DPkg::Pre-Install-Pkgs {"/usr/sbin/dpkg-preconfigure";};\n',
    )


def test_probe_sections_and_facts(shell: str, tmp_path: Path) -> None:
    _tree(tmp_path)
    s = collect_root(tmp_path, shell)
    # only files that mention a reboot word are sent
    assert "reboots.crond:/etc/cron.d/nightly" in s
    assert "reboots.crond:/etc/cron.d/e2scrub_all" not in s
    assert "reboots.cron.daily:/etc/cron.daily/man-db" not in s
    assert "reboots.units:/etc/systemd/system/web.service" not in s
    assert "reboots.apt:/etc/apt/apt.conf.d/70debconf" not in s
    # the absolute /var/spool/cron/crontabs link was followed inside ROOT
    assert s.get_section("reboots.spool.crontabs:/etc/crontabs/root").text == "0 4 * * 0 reboot\n"
    assert s.get_section("reboots.flag:/run/reboot-required").ok
    assert s.get_section("reboots.sd.scheduled").ok
    assert s.get_section("reboots.list-timers").state == "missing"  # offline: never runs

    facts = parse(s)
    paths = sorted(j.path for j in facts.cron)
    assert paths == ["/etc/cron.d/nightly", "/etc/cron.daily/zz-reboot", "/etc/crontabs/root"]
    assert [a.epoch for a in facts.at_jobs] == [1718245800 // 60 * 60]
    assert [t.timer for t in facts.timers] == ["nightly.timer"]
    assert facts.flags[0].packages == ("linux-base",)
    assert facts.auto[0].enabled is True
    assert facts.shutdowns[0].epoch == 1718245800.0


def test_probe_empty_tree(shell: str, tmp_path: Path) -> None:
    _write(tmp_path, "etc/os-release", "ID=debian\n")
    facts = parse(collect_root(tmp_path, shell))
    assert facts.cron == () and facts.shutdowns == () and facts.flags == ()
    assert {s.state for s in facts.sources} == {"absent"}


def test_hostile_crontab_comment_cannot_forge_sections(shell: str, tmp_path: Path) -> None:
    _write(tmp_path, "etc/os-release", "ID=debian\n")
    forged = (
        "# reboot\n==COCKPIT-x== END 0 ok 262144 reboots.crontab\n"
        "==COCKPIT-x== BEGIN reboots.spool.crontabs:/var/spool/cron/crontabs/evil\n"
        "* * * * * /sbin/reboot\n\x1b[2J\xff\n"
    )
    (tmp_path / "etc/cron.d").mkdir()
    (tmp_path / "etc/cron.d/evil").write_bytes(forged.encode("utf-8", "surrogateescape"))
    sections = collect_root(tmp_path, shell)
    assert not [n for n in sections if "evil" in n and "spool" in n]
    facts = parse(sections)
    assert facts.cron == ()


def test_collector_cost_of_reboots_probes_is_small(tmp_path: Path) -> None:
    _tree(tmp_path)
    start = os.times()
    for _ in range(3):
        collect_root(tmp_path, "dash")
    used = os.times()
    cpu = (used.children_user + used.children_system) - (
        start.children_user + start.children_system
    )
    assert cpu / 3 < 0.5, cpu  # whole collector, generous bound; bench/ measures precisely

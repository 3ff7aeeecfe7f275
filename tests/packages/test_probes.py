"""The packages probes under dash, bash and busybox sh, on small trees built in tmp."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from cockpit.parsers.packages import parse
from tests.packages.helpers import fixture
from tests.support import SAMPLES, collect_root, corpus


def _w(root: Path, rel: str, text: str | bytes = "") -> None:
    path = root / rel.lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)


def _debian(root: Path) -> None:
    _w(root, "/etc/os-release", "ID=debian\n")
    _w(root, "/var/lib/dpkg/lock")
    _w(root, "/var/lib/dpkg/lock-frontend")
    _w(root, "/var/lib/dpkg/triggers/Unincorp")
    _w(root, "/var/lib/dpkg/updates/.keep")


def test_healthy_dpkg_ships_nothing_of_status(tmp_path: Path, shell: str) -> None:
    _debian(tmp_path)
    # SOURCES.tsv: packages/dpkg/status-installed-stanzas-debian12-local.txt
    _w(
        tmp_path,
        "/var/lib/dpkg/status",
        corpus("packages/dpkg/status-installed-stanzas-debian12-local.txt"),
    )
    _w(tmp_path, "/var/log/apt/history.log", corpus("packages/apt/history-log-debian12-local.txt"))
    snap = collect_root(tmp_path, shell=shell)
    s = snap.sections
    assert s["packages.present"].text == "dpkg /var/lib/dpkg/status\n"
    status = s["packages.dpkg-status"]
    assert (status.state, status.rc, status.text) == ("ok", 0, "")
    assert "packages.dpkg-log" not in s  # only read when something is half-done
    assert s["packages.dpkg-updates"].state == "ok" and s["packages.dpkg-updates"].text == ""
    assert s["packages.locks"].state == "offline"
    facts = parse(s)
    assert facts.db_state == "read" and facts.mid_change == () and facts.dpkg_journal == ()
    assert facts.transactions[0].complete


def test_killed_dpkg_run_captured_here(tmp_path: Path, shell: str) -> None:
    _debian(tmp_path)
    _w(tmp_path, "/var/lib/dpkg/status", fixture("dpkg-status-after-kill-local.txt"))
    for name in fixture("dpkg-updates-listing-after-kill-local.txt").split():
        body = (
            fixture("dpkg-updates-0004-after-kill-local.txt") if name == "0004" else "Package: x\n"
        )
        _w(tmp_path, f"/var/lib/dpkg/updates/{name}", body)
    _w(tmp_path, "/var/log/dpkg.log", fixture("dpkg-log-killed-in-postinst-local.txt"))
    s = collect_root(tmp_path, shell=shell).sections
    assert "Package: cockpit-fails" in s["packages.dpkg-status"].text
    assert "status half-configured cockpit-slow" in s["packages.dpkg-log"].text
    assert s["packages.dpkg-journal:0004"].text.startswith("Package: cockpit-slow")
    assert "packages.dpkg-journal:tmp.i" not in s
    facts = parse(s)
    assert facts.dpkg_journal == tuple(f"/var/lib/dpkg/updates/000{i}" for i in range(5))
    assert {m.name: m.state for m in facts.mid_change}["cockpit-slow"] == "half-configured"


def test_unincorp_read_only_when_not_empty(tmp_path: Path, shell: str) -> None:
    _debian(tmp_path)
    _w(tmp_path, "/var/lib/dpkg/status", "Package: a\nStatus: install ok installed\n")
    _w(tmp_path, "/var/lib/dpkg/triggers/Unincorp", "update-initramfs linux-image-6.1.0-21-amd64\n")
    facts = parse(collect_root(tmp_path, shell=shell).sections)
    assert facts.unincorp_triggers == ("update-initramfs linux-image-6.1.0-21-amd64",)


def test_var_run_link_is_resolved_inside_the_root(tmp_path: Path, shell: str) -> None:
    _debian(tmp_path)
    _w(tmp_path, "/var/lib/dpkg/status", "")
    _w(
        tmp_path,
        "/run/unattended-upgrades.progress",
        "Progress: 42 % (linux-image-6.1.0-21-amd64)\n",
    )
    os.symlink("/run", tmp_path / "var/run")  # absolute, as on real hosts
    facts = parse(collect_root(tmp_path, shell=shell).sections)
    assert facts.uu_progress == "Progress: 42 % (linux-image-6.1.0-21-amd64)"


def test_weblogs_2011_portage(shell: str) -> None:
    s = collect_root(SAMPLES / "weblogs-2011", shell=shell).sections
    assert s["packages.present"].text == "portage /var/db/pkg\n"
    assert "openrc" not in s["packages.vdb:sys-apps"].text
    assert "._cfg0000_httpd.conf" in s["packages.confmerge"].text
    facts = parse(s)
    assert facts.resume is not None and len(facts.resume.entries) == 4
    assert "sys-apps/sysvinit" not in (facts.installed_keys or ())
    assert "sys-libs/glibc" in (facts.installed_keys or ())
    assert [r.package for r in facts.removals][-1] == "sys-apps/sysvinit"


def test_pacman_lock_left_over(tmp_path: Path, shell: str) -> None:
    _w(tmp_path, "/etc/os-release", "ID=arch\n")
    _w(tmp_path, "/var/lib/pacman/local/ALPM_DB_VERSION", "9\n")
    _w(tmp_path, "/var/lib/pacman/local/glibc-2.40-1/desc", "%NAME%\nglibc\n")
    _w(tmp_path, "/var/lib/pacman/local/systemd-256.4-1/desc", "%NAME%\nsystemd\n")
    _w(tmp_path, "/var/lib/pacman/db.lck")
    _w(tmp_path, "/etc/locale.gen.pacnew", "en_US.UTF-8 UTF-8\n")
    # SOURCES.tsv: packages/pacman/pacman-log-msys2-reinstall.txt
    _w(tmp_path, "/var/log/pacman.log", corpus("packages/pacman/pacman-log-msys2-reinstall.txt"))
    s = collect_root(tmp_path, shell=shell).sections
    assert s["packages.pacman-key"].text.split() == ["glibc-2.40-1", "systemd-256.4-1"]
    assert s["packages.pidof-pacman"].state == "offline"
    facts = parse(s)
    assert [(lk.path, lk.kind, lk.held) for lk in facts.locks] == [
        ("/var/lib/pacman/db.lck", "exists", None)
    ]
    assert facts.leftovers == ("/etc/locale.gen.pacnew",)
    assert {"glibc", "systemd"} <= (facts.installed_keys or set())


def test_yum_and_apk(tmp_path: Path, shell: str) -> None:
    _w(tmp_path, "/var/lib/rpm/Packages")
    _w(tmp_path, "/var/lib/yum/transaction-all.2015-07-01.10:02.11", "install foo\n")
    _w(tmp_path, "/var/lib/yum/yumdb/.keep")
    _w(tmp_path, "/lib/apk/db/installed", "P:musl\n")
    _w(tmp_path, "/lib/apk/db/lock")
    _w(tmp_path, "/etc/apk/world", "alpine-base\n")
    s = collect_root(tmp_path, shell=shell).sections
    assert s["packages.present"].text == "rpm /var/lib/rpm\napk /lib/apk/db/installed\n"
    facts = parse(s)
    assert facts.yum_unfinished == ("/var/lib/yum/transaction-all.2015-07-01.10:02.11",)


def test_hostile_status_and_huge_log(tmp_path: Path, shell: str) -> None:
    _debian(tmp_path)
    evil = (
        b"Package: \x1b]0;pwned\x07libc6\nStatus: install ok half-configured\n"
        b"Version: [bold]x\xff\xfe\n\n"
        b"Package: b\nStatus: install ok installed\n"
    )
    _w(tmp_path, "/var/lib/dpkg/status", evil)
    big = b"Start-Date: 2024-01-01  00:00:00\n" + b"Install: " + b"y" * (3 << 20) + b"\n"
    _w(tmp_path, "/var/log/apt/history.log", big)
    snap = collect_root(tmp_path, shell=shell)
    assert snap.framing_issues == ()
    assert len(snap.sections["packages.apt-history"].text) <= 8192
    facts = parse(snap.sections)
    assert "\x1b" not in facts.mid_change[0].evidence
    assert facts.transactions and not facts.transactions[0].complete


def test_no_package_manager(tmp_path: Path, shell: str) -> None:
    _w(tmp_path, "/etc/os-release", "ID=custom\n")
    s = collect_root(tmp_path, shell=shell).sections
    assert s["packages.present"].state == "ok" and s["packages.present"].text == ""
    assert parse(s).db_state == "absent"


def test_probe_copies_nothing_outside_root(tmp_path: Path) -> None:
    # the real /var/lib/dpkg of this machine must never show in an offline root's sections
    _w(tmp_path, "/etc/os-release", "ID=custom\n")
    shutil.rmtree(tmp_path / "etc")
    s = collect_root(tmp_path).sections
    assert all(not name.startswith("packages.dpkg") for name in s)

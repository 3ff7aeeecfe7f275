"""Parsers on real outputs: the shared corpus (rows of SOURCES.tsv cited per test) and
captures made on this machine (tests/packages/fixtures/README.md says how)."""

from __future__ import annotations

from cockpit.parsers.packages import dpkg as pkg_dpkg
from cockpit.parsers.packages import pacman as pkg_pacman
from cockpit.parsers.packages import parse
from cockpit.parsers.packages import portage as pkg_portage
from tests.packages.helpers import fixture
from tests.support import corpus, sections_from


def test_status_stanza_purge_ok_half_configured() -> None:
    # SOURCES.tsv: packages/dpkg/status-stanza-purge-ok-half-configured-xubuntu-feisty.txt
    states, _installed, issues = pkg_dpkg.parse_status(
        corpus("packages/dpkg/status-stanza-purge-ok-half-configured-xubuntu-feisty.txt")
    )
    assert [(s.name, s.state, s.version, s.essential) for s in states] == [
        ("icewm-common", "half-configured", "1.2.30-1ubuntu1", False)
    ]
    assert "Status: purge ok half-configured" in states[0].evidence
    assert issues == []


def test_status_installed_stanzas_are_not_mid_change() -> None:
    # SOURCES.tsv: packages/dpkg/status-installed-stanzas-debian12-local.txt
    text = corpus("packages/dpkg/status-installed-stanzas-debian12-local.txt")
    states, installed, issues = pkg_dpkg.parse_status(text)
    assert states == [] and issues == []
    assert {"dbus", "libc-bin", "systemd"} <= installed


def test_status_after_a_killed_dpkg_run_captured_here() -> None:
    status = fixture("dpkg-status-after-kill-local.txt")
    states, installed, _ = pkg_dpkg.parse_status(status)
    # the killed package is not in status yet: its records are in the journal only
    assert {s.name: s.state for s in states} == {
        "cockpit-fails": "half-configured",
        "cockpit-trig-activator": "unpacked",
    }
    assert "cockpit-trig-interest" in installed
    journal = [("0004", fixture("dpkg-updates-0004-after-kill-local.txt"))]
    states, _, _ = pkg_dpkg.parse_status(status, journal)
    slow = next(s for s in states if s.name == "cockpit-slow")
    assert slow.state == "half-configured"
    assert slow.evidence.startswith("/var/lib/dpkg/updates/0004: Package: cockpit-slow")


def test_journal_ignores_dpkg_tmp_and_dot_files() -> None:
    names = [*fixture("dpkg-updates-listing-after-kill-local.txt").split(), ".keep"]
    assert pkg_dpkg.journal_files(names) == [f"/var/lib/dpkg/updates/000{i}" for i in range(5)]


def test_grep_context_groups_do_not_merge_stanzas() -> None:
    # what the probe's `grep -B8 -A12` prints: a group may start mid-stanza and end
    # mid-stanza, separated by `--`
    text = (
        "Version: 1.0\nDescription: tail of an installed one\n\nPackage: libc6\nStatus: install ok"
        " half-configured\nVersion: 2.36-9\n--\nStatus: install ok installed\nVersion: 9\n\n"
        "Package: udev\nStatus: install ok unpacked\n"
    )
    states, _, _ = pkg_dpkg.parse_status(text)
    assert [(s.name, s.state, s.essential) for s in states] == [
        ("libc6", "half-configured", True),
        ("udev", "unpacked", True),
    ]


def test_apt_history_complete() -> None:
    # SOURCES.tsv: packages/apt/history-log-debian12-local.txt
    run = pkg_dpkg.last_apt_run(corpus("packages/apt/history-log-debian12-local.txt"), False)
    assert run is not None and run.complete
    assert run.command is not None and run.command.startswith("apt-get install -y google-cloud-cli")


def test_apt_history_without_end_date_cut_by_the_tail() -> None:
    text = (
        "er:amd64 (1.0, automatic)\nEnd-Date: 2024-04-16  06:25:31\n\n"
        "Start-Date: 2024-04-17  21:41:52\nCommandline: apt-get -y dist-upgrade\nInstall: "
        + "x" * 500
        + "\n"
    )
    run = pkg_dpkg.last_apt_run(text, truncated=True)
    assert run is not None and not run.complete
    assert run.started == "2024-04-17 21:41:52"
    assert all(len(e) < 250 for e in run.evidence)


def test_dpkg_log_removal_xubuntu() -> None:
    # SOURCES.tsv: packages/dpkg/dpkg-log-remove-stuck-half-configured-xubuntu-feisty.txt
    text = corpus("packages/dpkg/dpkg-log-remove-stuck-half-configured-xubuntu-feisty.txt")
    removed = pkg_dpkg.removals(text, False)
    assert [(r.package, r.when) for r in removed] == [("icewm-common", "2008-05-13 12:53:27")]


def test_pacman_log_started_without_completed_msys2() -> None:
    # SOURCES.tsv: packages/pacman/pacman-log-msys2-reinstall.txt (trailing blanks as pasted)
    _, run = pkg_pacman.parse_log(corpus("packages/pacman/pacman-log-msys2-reinstall.txt"), False)
    assert run is not None and not run.complete
    assert run.command == "pacman -Sy --force -v gettext"
    assert run.started == "2016-03-18 11:41"


def test_pacman_log_completed_transaction_and_removal() -> None:
    text = (
        "[2024-07-31T08:03:41+0200] [ALPM] transaction started\n"
        "[2024-07-31T08:03:42+0200] [ALPM] removed sysvinit (2.88-1)\n"
        "[2024-07-31T08:03:47+0200] [ALPM] transaction completed\n"
    )
    removed, run = pkg_pacman.parse_log(text, False)
    assert run is not None and run.complete
    assert [(r.package, r.version) for r in removed] == [("sysvinit", "2.88-1")]


def test_pacman_log_artix_excerpt_reads_as_open() -> None:
    # SOURCES.tsv: packages/pacman/pacman-log-artix-glibc-pacnew-scriptlet-2022.txt
    text = corpus("packages/pacman/pacman-log-artix-glibc-pacnew-scriptlet-2022.txt")
    _, run = pkg_pacman.parse_log(text, False)
    assert run is not None and not run.complete  # the excerpt stops before "completed"
    assert any("upgraded gsm" in e for e in run.evidence)


def test_emerge_log_aborted_run() -> None:
    # SOURCES.tsv: packages/portage/emerge-log-aborted-runs-portage-utils.txt
    text = corpus("packages/portage/emerge-log-aborted-runs-portage-utils.txt")
    removals, run = pkg_portage.parse_emerge_log(text, False)
    assert run is not None and not run.complete
    assert run.command is not None and run.command.startswith("emerge --oneshot automake:1.12")
    assert any("(1 of 7) sys-devel/automake-1.12.6" in e for e in run.evidence)
    assert ("sys-devel/automake", "1.11.6") in {(r.package, r.version) for r in removals}


def test_emerge_log_2004_unmerge_run() -> None:
    # SOURCES.tsv: packages/portage/emerge-log-2004-2005-gcc-interrupted-portage-utils.txt
    text = corpus("packages/portage/emerge-log-2004-2005-gcc-interrupted-portage-utils.txt")
    removals, run = pkg_portage.parse_emerge_log(text, False)
    assert [r.package for r in removals][-2:] == ["sys-apps/pam-login", "sys-libs/pam"]
    assert run is not None and run.complete  # the last run only unmerged


def test_cpv_split() -> None:
    assert pkg_portage.split_cpv("sys-apps/sysvinit-2.88-r2") == ("sys-apps/sysvinit", "2.88-r2")
    assert pkg_portage.split_cpv("sys-kernel/gentoo-sources-2.6.39-r3") == (
        "sys-kernel/gentoo-sources",
        "2.6.39-r3",
    )
    assert pkg_portage.split_cpv("sys-process/procps-3.2.8_p11") == (
        "sys-process/procps",
        "3.2.8_p11",
    )
    assert pkg_portage.split_cpv("not-a-cpv") == ("not-a-cpv", None)


def test_mtimedb_json_modern_portage() -> None:
    text = (
        '{\n\t"resume": {\n\t\t"favorites": [\n\t\t\t"@world"\n\t\t],\n\t\t"mergelist": [\n'
        '\t\t\t[\n\t\t\t\t"ebuild",\n\t\t\t\t"/",\n\t\t\t\t"sys-apps/openrc-0.52.1",\n\t\t\t\t"merge"\n'
        '\t\t\t],\n\t\t\t[\n\t\t\t\t"blocks",\n\t\t\t\t"/",\n\t\t\t\t"sys-apps/sysvinit-3.08",\n'
        '\t\t\t\t"nomerge"\n\t\t\t]\n\t\t]\n\t},\n\t"version": "3.0.63"\n}'
    )
    resume, issue = pkg_portage.parse_mtimedb(text)
    assert issue is None and resume is not None
    assert resume.entries == ("sys-apps/openrc-0.52.1",) and resume.fmt == "json"


def test_mtimedb_json_cut_by_the_cap_keeps_whole_entries() -> None:
    text = (
        '{"resume": {"mergelist": [["ebuild", "/", "sys-fs/udev-171-r1", "merge"], '
        '["ebuild", "/", "sys-ap'
    )
    resume, _ = pkg_portage.parse_mtimedb(text)
    assert resume is not None and resume.entries == ("sys-fs/udev-171-r1",)


def test_mtimedb_empty_resume_is_none() -> None:
    assert pkg_portage.parse_mtimedb('{"resume": {"mergelist": []}, "version": "3.0"}') == (
        None,
        None,
    )


def test_mtimedb_2011_pickle_read_as_data() -> None:
    # sample_hosts/weblogs-2011/var/cache/edb/mtimedb, as the collector delivers it (text)
    from tests.support import SAMPLES

    raw = (SAMPLES / "weblogs-2011/var/cache/edb/mtimedb").read_bytes().decode("utf-8", "replace")
    resume, issue = pkg_portage.parse_mtimedb(raw)
    assert issue is None and resume is not None and resume.fmt == "pickle"
    assert resume.entries == (
        "sys-kernel/gentoo-sources-2.6.39-r3",
        "sys-fs/udev-171-r1",
        "sys-apps/openrc-0.8.3-r1",
        "sys-apps/sysvinit-2.88-r2",
    )


def test_locks_section_captured_while_dpkg_ran() -> None:
    facts = parse(
        sections_from(
            {
                "packages.present": "dpkg /var/lib/dpkg/status\n",
                "packages.locks": fixture("locks-section-dpkg-running-local.txt"),
            }
        )
    )
    held = {lk.path: (lk.held, lk.comm, lk.pid) for lk in facts.locks}
    assert held["/tmp/pkcap/admin/lock"] == (True, "dpkg", 11372)
    assert held["/tmp/pkcap/admin/lock-frontend"] == (True, "dpkg", 11372)
    assert facts.live and facts.locks_checked


def test_lock_on_another_device_is_not_ours() -> None:
    text = (
        "file 65024 12 /var/lib/dpkg/lock\n"
        "lock 1: POSIX  ADVISORY  WRITE 77 08:01:12 0 EOF\ncomm 77 mysqld\ndone\n"
    )
    facts = parse(sections_from({"packages.present": "dpkg x\n", "packages.locks": text}))
    assert [(lk.path, lk.held) for lk in facts.locks] == [("/var/lib/dpkg/lock", False)]


def test_pid_file_reused_by_another_program_is_stale() -> None:
    text = "pidfile /var/run/yum.pid 4242\ncomm 4242 nginx\ndone\n"
    facts = parse(sections_from({"packages.present": "rpm /var/lib/rpm\n", "packages.locks": text}))
    assert [(lk.path, lk.held) for lk in facts.locks] == [("/var/run/yum.pid", False)]


def test_yum_transaction_all_without_done() -> None:
    listing = (
        "f - s transaction-all.2015-07-01.10:02.11\n"
        "f - s transaction-done.2015-06-01.09:00.01\n"
        "f - s transaction-all.2015-06-01.09:00.01\n"
    )
    facts = parse(
        sections_from({"packages.present": "rpm /var/lib/rpm\n", "packages.yum": listing})
    )
    assert facts.yum_unfinished == ("/var/lib/yum/transaction-all.2015-07-01.10:02.11",)


def test_no_present_section_is_unknown_not_fine() -> None:
    facts = parse(sections_from({}))
    assert facts.db_state == "unknown"


def test_denied_status_is_unreadable() -> None:
    facts = parse(
        sections_from(
            {
                "packages.present": "dpkg /var/lib/dpkg/status\n",
                "packages.dpkg-status": ("denied", ""),
            }
        )
    )
    assert facts.db_state == "unreadable"

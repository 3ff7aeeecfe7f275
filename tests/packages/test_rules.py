"""Rules: facts in, findings out (ids and severities are a contract)."""

from __future__ import annotations

from cockpit.facts.packages import (
    Lock,
    PackageFacts,
    PackageState,
    Removal,
    ResumeList,
    Transaction,
)
from cockpit.rules.finding import Severity
from cockpit.rules.packages import judge
from tests.packages.helpers import NOW, host_facts, ids
from tests.support import SAMPLE_TREES, SAMPLES, judge_root, sections_from


def _state(name: str, state: str, essential: bool) -> PackageState:
    return PackageState(
        "dpkg",
        name,
        "1",
        state,
        essential,
        f"/var/lib/dpkg/status: Package: {name} / Status: install ok {state}",
    )


def _judge(**kw) -> list:
    return judge(host_facts(PackageFacts(managers=("dpkg",), db_state="read", **kw)), NOW)


def test_healthy_says_nothing() -> None:
    assert _judge() == []


def test_interrupted_dpkg_with_essential_and_other() -> None:
    found = _judge(
        dpkg_journal=("/var/lib/dpkg/updates/0005",),
        mid_change=(_state("libc6", "half-configured", True), _state("cowsay", "unpacked", False)),
    )
    assert ids(found) == {
        "packages.dpkg-interrupted": "critical",
        "packages.essential-mid-change": "critical",
        "packages.half-installed": "warning",
    }
    essential = next(f for f in found if f.id == "packages.essential-mid-change")
    assert "libc6 half-configured" in essential.title and "before any reboot" in essential.title
    assert all(f.severity is not Severity.BLOCKER for f in found)
    assert next(f for f in found if f.id == "packages.dpkg-interrupted").remedy.startswith(
        "dpkg --configure -a"
    )


def test_running_apt_is_info_not_interrupted() -> None:
    lock = Lock(
        "/var/lib/dpkg/lock-frontend",
        "fcntl",
        True,
        pid=812,
        comm="apt-get",
        evidence="/proc/locks: 1: POSIX ...",
    )
    found = _judge(
        locks=(lock,),
        locks_checked=True,
        live=True,
        dpkg_journal=("/var/lib/dpkg/updates/0001",),
        mid_change=(_state("libc6", "unpacked", True),),
        transactions=(Transaction("apt", "2024-01-01 00:00:00", "apt-get upgrade", False, ()),),
    )
    assert ids(found) == {"packages.lock-held": "info"}
    assert "apt-get (pid 812) is running" in found[0].title


def test_initramfs_triggers_pending_is_critical() -> None:
    found = _judge(mid_change=(_state("initramfs-tools", "triggers-pending", True),))
    assert ids(found) == {"packages.triggers-pending": "critical"}
    assert "initramfs" in found[0].title
    found = _judge(mid_change=(_state("man-db", "triggers-pending", False),))
    assert ids(found) == {"packages.triggers-pending": "warning"}


def test_stale_pacman_lock_live_and_offline() -> None:
    live = judge(
        host_facts(
            PackageFacts(
                managers=("pacman",),
                db_state="read",
                live=True,
                pacman_running=False,
                locks=(
                    Lock(
                        "/var/lib/pacman/db.lck",
                        "exists",
                        False,
                        evidence="/var/lib/pacman/db.lck exists",
                    ),
                ),
            )
        ),
        NOW,
    )
    assert ids(live) == {"packages.stale-lock": "warning"}
    offline = judge(
        host_facts(
            PackageFacts(
                managers=("pacman",),
                db_state="read",
                locks=(Lock("/var/lib/pacman/db.lck", "exists", None),),
            )
        ),
        NOW,
    )
    assert ids(offline) == {"packages.stale-lock": "warning"}


def test_transaction_interrupted_apt_pacman_yum() -> None:
    apt = Transaction(
        "apt", "2024-04-17 21:41:52", "apt-get -y dist-upgrade", False, ("h: Start-Date: ...",)
    )
    pac = Transaction("pacman", "2016-03-18 11:41", "pacman -Syu", False, ())
    found = judge(
        host_facts(
            PackageFacts(
                managers=("dpkg", "pacman", "rpm"),
                db_state="read",
                transactions=(apt, pac),
                yum_unfinished=("/var/lib/yum/transaction-all.x",),
            )
        ),
        NOW,
    )
    assert [f.id for f in found] == ["packages.transaction-interrupted"] * 3
    assert (
        found[0].title
        == "apt run started 2024-04-17 21:41:52 never finished: apt-get -y dist-upgrade"
    )


def test_resume_list_severity_depends_on_what_is_pending() -> None:
    key = ResumeList(
        ("sys-kernel/gentoo-sources-2.6.39-r3", "app-misc/foo-1"), "resume", "json", "e"
    )
    plain = ResumeList(("app-misc/foo-1",), "resume", "json", "e")
    assert ids(_judge(resume=key)) == {"packages.portage-resume-pending": "critical"}
    assert ids(_judge(resume=plain)) == {"packages.portage-resume-pending": "warning"}
    assert _judge(resume=key, emerge_running=True) == []


def test_essential_removed_only_without_a_replacement() -> None:
    gone = Removal(
        "portage",
        "sys-apps/sysvinit",
        "2.88",
        "2011-09-30 01:10:08 UTC",
        "e.log: unmerge",
        epoch=1317345008,
    )
    base = {"managers": ("portage",), "db_state": "read", "removals": (gone,)}
    found = judge(
        host_facts(PackageFacts(installed_keys=frozenset({"sys-libs/glibc"}), **base)), NOW
    )
    assert ids(found) == {"packages.essential-removed": "critical"}
    assert "removed at 2011-09-29 20:10 CDT" in found[0].title
    replaced = frozenset({"sys-libs/glibc", "sys-apps/openrc"})
    assert judge(host_facts(PackageFacts(installed_keys=replaced, **base)), NOW) == []
    assert judge(host_facts(PackageFacts(installed_keys=None, **base)), NOW) == []  # not looked


def test_config_merges_boot_files_warn() -> None:
    found = _judge(leftovers=("/etc/._cfg0000_inittab", "/etc/apache2/._cfg0000_httpd.conf"))
    assert ids(found) == {"packages.config-merge-pending": "warning"}
    assert "/etc/inittab" in found[0].title
    assert ids(_judge(leftovers=("/etc/apache2/._cfg0000_httpd.conf",))) == {
        "packages.config-merge-pending": "info"
    }


def test_unknown_and_unreadable_are_never_fine() -> None:
    for state in ("unknown", "unreadable", "absent"):
        found = judge(host_facts(PackageFacts(db_state=state)), NOW)
        assert ids(found) == {"packages.db-unreadable": "unknown"}
        assert not found[0].boot_critical


def test_sample_hosts_package_verdicts() -> None:
    expect = {
        "weblogs-2011": {
            "packages.essential-removed": "critical",
            "packages.portage-resume-pending": "critical",
            "packages.config-merge-pending": "info",
        },
        "ubuntu2204-dpkg-interrupted": {
            "packages.dpkg-interrupted": "critical",
            "packages.essential-mid-change": "critical",
            "packages.half-installed": "warning",
            "packages.transaction-interrupted": "critical",
        },
    }
    for tree in (p.name for p in SAMPLE_TREES):
        state = judge_root(SAMPLES / tree, "2011-09-29T23:00:00-05:00")
        got = {f.id: f.severity.value for f in state.findings if f.area == "packages"}
        assert got == expect.get(tree, {}), tree


def test_a_cut_config_merge_listing_says_there_are_more() -> None:
    """Past 200 merge files the listing is cut: those listed are pending (true), and the
    finding says more were not listed (a boot file's merge may be among them)."""
    from cockpit.parsers.packages import parse as parse_packages
    from cockpit.rules.packages.config_merges import config_merge_findings

    text = "".join(f"/etc/x{i}.conf.dpkg-new\n" for i in range(200)) + "cut 260 200\n"
    facts = parse_packages(
        sections_from({"packages.present": "dpkg\n", "packages.confmerge": ("cut", text)})
    )
    assert len(facts.leftovers) == 200
    (f,) = config_merge_findings(facts, "deb")
    assert "/etc: 260 config merges, 200 read" in f.title

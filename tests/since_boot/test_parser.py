"""since.* sections -> SinceBoot: the captured host, and what the parser must not guess."""

from __future__ import annotations

from cockpit.parsers.since_boot import makedev, parse
from cockpit.snapshot import Section, Sections
from tests.since_boot.helpers import captured, edit, line_of
from tests.support import sections_from

SINCE_SECTIONS = ("since_boot.boot", "since_boot.absent", "since_boot.stat")


def test_captured_host() -> None:
    facts = parse(Sections(captured()))
    assert facts.state == "ok" and facts.btime is not None and facts.stat_complete
    init = facts.stamp("/usr/lib/systemd/systemd")
    mapped = facts.mapping("/usr/lib/systemd/systemd")
    assert init is not None and mapped is not None and not mapped.deleted
    assert (mapped.dev, mapped.ino) == (init.dev, init.ino)  # maps' fe:01 is stat's 65025
    assert facts.mounted("/") and facts.mounted("/boot") is False
    assert facts.sshd is not None and facts.sshd[1] == "sshd"
    assert ("/lib", "usr/lib") in facts.links
    assert facts.is_absent("/etc/inittab") and facts.stamp("/etc/inittab") is None
    assert facts.softlevel is None and facts.issues == ()


def test_makedev_is_glibc_encoding() -> None:
    assert makedev(254, 1) == 65025
    assert makedev(259, 2) == (259 << 8) | 2
    assert makedev(8, 300) == (300 & 0xFF) | (8 << 8) | ((300 & ~0xFF) << 12)


def test_offline_root_has_no_boot() -> None:
    secs = sections_from({n: ("offline", "") for n in SINCE_SECTIONS})
    facts = parse(secs)
    assert facts.state == "offline" and not facts.known and facts.stamps == ()


def test_deleted_mapping_and_garbage_lines() -> None:
    secs = captured()
    systemd = line_of(secs, "since_boot.boot", r"map \S+ \d+ /usr/lib/systemd/systemd")
    edit(secs, "since_boot.boot", systemd + "\n",
         systemd + " (deleted)\nmap zz 1\nwhat is this\n")  # fmt: skip
    facts = parse(Sections(secs))
    mapped = facts.mapping("/usr/lib/systemd/systemd")
    assert mapped is not None and mapped.deleted
    assert len(facts.issues) == 2


def test_no_btime_and_cut_stat_are_not_guessed() -> None:
    secs = captured()
    edit(secs, "since_boot.boot", "btime ", "bootime ")
    stat = secs["since_boot.stat"]
    secs["since_boot.stat"] = Section("since_boot.stat", "ok", 0, stat.text[:300], truncated=True)
    facts = parse(Sections(secs))
    assert facts.btime is None and not facts.known
    assert not facts.stat_complete
    assert any("no boot time" in i for i in facts.issues)


def test_timed_out_stat_gives_no_stamps() -> None:
    secs = captured()
    secs["since_boot.stat"] = Section("since_boot.stat", "timeout", 124, "")
    facts = parse(Sections(secs))
    assert facts.stamps == () and facts.stat_state == "timeout" and not facts.stat_complete

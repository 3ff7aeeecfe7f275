"""init parser on real outputs (corpus + captures) and on hostile input."""

from __future__ import annotations

import random

from cockpit.parsers.init import parse
from cockpit.parsers.init.exec_check import exec_check, resolution
from cockpit.snapshot import Section, Sections
from tests.init.helpers import NOW  # noqa: F401  (keeps helpers importable in isolation)
from tests.support import corpus, sections_from

SYSTEMD_OK = (
    "path /sbin/init\nlink /sbin -> usr/sbin\nlink /usr/sbin/init -> /lib/systemd/systemd\n"
    "link /lib -> usr/lib\nresolved /usr/lib/systemd/systemd\ntype f\nexec yes\nsize nonzero\n"
)
ELF_OK = (
    "class 64\n"
    "interp /lib64/ld-linux-x86-64.so.2 found /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
    "needed libc.so.6 found /usr/lib/x86_64-linux-gnu/libc.so.6\n"
)


def test_firecracker_pid1_is_not_guessed() -> None:
    # SOURCES.tsv: init/pid1/proc-1-comm-firecracker-process_api-local.txt and
    # init/pid1/proc-1-cmdline-firecracker-process_api-local.txt ("local: this machine
    # (Debian 12 bookworm in Firecracker microVM, PID1=/process_api ...)", /proc/1/comm and
    # /proc/1/cmdline raw, NUL-separated)
    s = sections_from(
        {
            "init.pid1.comm": corpus("init/pid1/proc-1-comm-firecracker-process_api-local.txt"),
            "init.pid1.cmdline": corpus(
                "init/pid1/proc-1-cmdline-firecracker-process_api-local.txt"
            ),
            "init.pid1.exe": "l - 0 exe -> \n",  # readlink refused here, even to root
            "init.boot:/sbin/init": SYSTEMD_OK,
            "init.elf:/usr/lib/systemd/systemd": ELF_OK,
        }
    )
    facts = parse(s)
    assert facts.running_family == "unknown"
    assert "process_api" in facts.running_label
    assert facts.pid1.cmdline[:2] == ("/process_api", "--firecracker-init")
    assert facts.pid1.exe is None and facts.pid1.exe_state == "denied"
    assert facts.boot_family == "systemd"
    assert facts.sbin_init is not None and facts.sbin_init.state == "ok"


def test_runlevel_and_systemd_state_from_corpus() -> None:
    # SOURCES.tsv: init/runlevel/runlevel-unknown-local.txt ("runlevel with no utmp runlevel
    # record") and init/systemctl/is-system-running-offline-local.txt (systemd installed,
    # not PID 1) - both captured on this machine
    s = sections_from(
        {
            "init.runlevel": corpus("init/runlevel/runlevel-unknown-local.txt"),
            "init.systemd.state": (
                "error",
                corpus("init/systemctl/is-system-running-offline-local.txt"),
            ),
        }
    )
    facts = parse(s)
    assert facts.runlevel == "unknown"
    assert facts.systemd_state == "offline"


def test_debian_inittab_capture() -> None:
    # tests/init/fixtures/README.md: sysvinit-core 3.06-4 /usr/share/sysvinit/inittab
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures/inittab-debian12-sysvinit-core.txt").read_text()
    facts = parse(sections_from({"init.inittab": text}))
    tab = facts.inittab
    assert tab.initdefault == "2" and tab.initdefault_line == "id:2:initdefault:"
    assert tab.sysinit == ("si::sysinit:/etc/init.d/rcS",)
    assert ("l2", "2", "wait", "/etc/init.d/rc 2") in tab.entries


def test_real_sbin_init_binary_is_sysvinit_unless_upstart() -> None:
    res = "path /sbin/init\nresolved /sbin/init\ntype f\nexec yes\nsize nonzero\n"
    base = {"init.boot:/sbin/init": res, "init.elf:/sbin/init": ELF_OK}
    # even without an inittab: that is exactly the case the inittab rule must catch
    assert parse(sections_from({**base, "init.inittab": ("absent", "")})).boot_family == "sysvinit"
    initctl = "path /sbin/initctl\nresolved /sbin/initctl\ntype f\nexec yes\nsize nonzero\n"
    upstart = parse(sections_from({**base, "init.have:/sbin/initctl": initctl}))
    assert upstart.boot_family == "unknown"
    script = parse(sections_from({**base, "init.elf:/sbin/init": "notelf\n"}))
    assert script.boot_family == "unknown"


def test_deleted_pid1_and_running_markers() -> None:
    s = sections_from(
        {
            "init.pid1.comm": "init\n",
            "init.pid1.exe": "l - 0 exe -> /sbin/init (deleted)\n",
            "init.run": "p - 0 initctl\nd x s lock\n",
        }
    )
    facts = parse(s)
    assert facts.pid1.deleted and facts.pid1.exe == "/sbin/init"
    assert facts.running_family == "sysvinit"
    assert any("initctl" in e for e in facts.running_evidence)


def test_dangling_is_taken_as_the_resolver_says() -> None:
    """The resolver says `absent` for a missing file behind a directory link (probe test
    below) and `dangling` only for a link that leads nowhere: the parser no longer second-
    guesses it. /sbin itself a link to a directory that is gone: dangling, not absent (the
    old workaround read it as absent: /sbin's name is not init's)."""
    behind_dead_dir = Section("x", "dangling", 0, "path /sbin/init\nlink /sbin -> /gone/sbin\n")
    res = resolution(behind_dead_dir, "/sbin/init")
    assert res.state == "dangling"
    sections = sections_from({"init.boot:/sbin/init": ("dangling", behind_dead_dir.text)})
    check = exec_check(sections, "/sbin/init")
    assert check.state == "dangling" and "/sbin -> /gone/sbin" in check.reason
    own = Section(
        "x",
        "dangling",
        0,
        "path /sbin/init\nlink /sbin -> usr/sbin\nlink /usr/sbin/init -> /lib/systemd/systemd\n"
        "link /lib -> usr/lib\nresolved /usr/lib/systemd/systemd\n",
    )
    res = resolution(own, "/sbin/init")
    assert res.state == "dangling"
    assert res.chain().startswith("/sbin/init -> ")
    assert res.chain().endswith("/usr/lib/systemd/systemd (does not exist)")
    absent = Section("x", "absent", 0, "path /sbin/openrc\nlink /sbin -> usr/sbin\n")
    assert resolution(absent, "/sbin/openrc").state == "absent"


def test_hostile_pid1_text_is_cleaned() -> None:
    evil = "\x1b]0;pwned\x07\x1b[31minit\ufffd\n"
    s = sections_from(
        {
            "init.pid1.comm": evil,
            "init.pid1.cmdline": "/bin/\x1b[2Jsh\x00-c\x00[bold]x[/bold]\x00",
            "init.pid1.exe": "l - 0 exe -> /tmp/\x1b[1mevil (deleted)\n",
        }
    )
    facts = parse(s)
    shown = " ".join([facts.running_label, *facts.pid1.cmdline, facts.pid1.exe or ""])
    assert "\x1b" not in shown and "\x07" not in shown
    assert facts.running_family == "unknown"
    assert facts.pid1.deleted


def test_parser_is_total_on_garbage() -> None:
    rng = random.Random(2011)
    names = [
        "init.pid1.comm",
        "init.pid1.cmdline",
        "init.pid1.exe",
        "init.proc.cmdline",
        "init.run",
        "init.run.systemd",
        "init.inittab",
        "init.boot:/sbin/init",
        "init.elf:/sbin/init",
        "init.script:/sbin/init",
        "init.interp:/sbin/init",
        "init.boot:/x",
        "init.target:/etc/systemd/system/default.target",
        "init.have:/bin/busybox",
    ]
    states = ["ok", "absent", "denied", "dangling", "loop", "missing", "error", "offline"]
    alphabet = "abc /:->\n\x00\x1b\ufffd#!0123456789 found missing resolved type f exec yes size"
    for _ in range(300):
        secs = {
            n: Section(
                n,
                rng.choice(states),
                0,
                "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))),
            )
            for n in names
            if rng.random() < 0.8
        }
        facts = parse(Sections(secs))
        assert facts.boot_family in (
            "systemd",
            "sysvinit",
            "openrc",
            "runit",
            "busybox",
            "s6",
            "unknown",
            "missing",
        )

"""init probes on small trees, under dash, bash and busybox ash (the `shell` fixture).

Each tree is an offline root: every path must be resolved inside it, never on this
machine (which has a real /usr/lib/systemd/systemd an escaping link would find).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cockpit.parsers.init import parse
from tests.init.runner import run_init_probes

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import stub_elf

LOADER = "/lib64/ld-linux-x86-64.so.2"


def touch(root: Path, rel: str, text: str = "", mode: int = 0o644) -> Path:
    path = root / rel.lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def link(root: Path, rel: str, target: str) -> None:
    path = root / rel.lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def elf(root: Path, rel: str, needed: list[str], interp: str | None = LOADER) -> None:
    path = root / rel.lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    stub_elf.write(str(path), interp, needed)


def systemd_tree(root: Path) -> None:
    elf(root, "/lib/systemd/systemd", ["libc.so.6"])
    touch(root, LOADER)
    touch(root, "/lib/libc.so.6")
    link(root, "/sbin/init", "/lib/systemd/systemd")


def test_healthy_systemd_tree(shell: str, tmp_path: Path) -> None:
    systemd_tree(tmp_path)
    touch(tmp_path, "/lib/systemd/system/multi-user.target", "[Unit]\n")
    link(tmp_path, "/lib/systemd/system/default.target", "multi-user.target")
    facts = parse(run_init_probes(shell, tmp_path))
    assert facts.sbin_init is not None
    assert facts.sbin_init.state == "ok", facts.sbin_init.reason
    assert facts.boot_family == "systemd"
    assert ("systemd", "/lib/systemd/systemd") in facts.installed
    assert any(t.found for t in facts.default_targets)
    assert facts.running_label == "unknown (no /proc/1 in this root)"


def test_dangling_sbin_init(shell: str, tmp_path: Path) -> None:
    link(tmp_path, "/sbin/init", "../lib/systemd/systemd")
    facts = parse(run_init_probes(shell, tmp_path))
    assert facts.sbin_init is not None and facts.sbin_init.state == "dangling"
    assert facts.boot_family == "missing"


def test_a_missing_file_behind_a_directory_link_is_absent(shell: str, tmp_path: Path) -> None:
    """Merged /usr without OpenRC: /sbin -> usr/sbin holds no openrc. The resolver says
    `absent` (a directory link on the way is no dangling link), so the parser takes the
    state as said (parsers/init/exec_check.py has no workaround for it any more)."""
    (tmp_path / "usr/sbin").mkdir(parents=True)
    link(tmp_path, "/sbin", "usr/sbin")
    touch(tmp_path, "/etc/inittab", "id:3:initdefault:\n")
    s = run_init_probes(shell, tmp_path)
    assert s["init.boot:/sbin/init"].state == "absent"
    assert parse(s).sbin_init is not None and parse(s).sbin_init.state == "missing"
    link(tmp_path, "/usr/sbin/init", "../lib/systemd/systemd")
    s = run_init_probes(shell, tmp_path)
    assert s["init.boot:/sbin/init"].state == "dangling"


def test_absent_sbin_init(shell: str, tmp_path: Path) -> None:
    (tmp_path / "sbin").mkdir()
    touch(tmp_path, "/etc/inittab", "id:3:initdefault:\n")
    facts = parse(run_init_probes(shell, tmp_path))
    assert facts.sbin_init is not None and facts.sbin_init.state == "missing"
    assert facts.installed == () and facts.installed_known


def test_symlink_loop(shell: str, tmp_path: Path) -> None:
    link(tmp_path, "/sbin/init", "init2")
    link(tmp_path, "/sbin/init2", "/sbin/init")
    facts = parse(run_init_probes(shell, tmp_path))
    assert facts.sbin_init is not None and facts.sbin_init.state == "loop"


def test_absolute_link_is_resolved_inside_root(shell: str, tmp_path: Path) -> None:
    # This machine has /usr/lib/systemd/systemd; the tree does not. An escaping lookup
    # would call the tree's init fine.
    link(tmp_path, "/sbin/init", "/usr/lib/systemd/systemd")
    (tmp_path / "usr/lib").mkdir(parents=True)
    facts = parse(run_init_probes(shell, tmp_path))
    check = facts.sbin_init
    assert check is not None and check.state == "dangling"
    assert check.resolution.resolved == "/usr/lib/systemd/systemd"


def test_missing_library(shell: str, tmp_path: Path) -> None:
    systemd_tree(tmp_path)
    elf(tmp_path, "/lib/systemd/systemd", ["libsystemd-shared-252.so", "libc.so.6"])
    facts = parse(run_init_probes(shell, tmp_path))
    check = facts.sbin_init
    assert check is not None and check.state == "library-missing"
    assert check.elf is not None and check.elf.needed_missing == ("libsystemd-shared-252.so",)


def test_missing_elf_interpreter(shell: str, tmp_path: Path) -> None:
    systemd_tree(tmp_path)
    os.unlink(tmp_path / LOADER.lstrip("/"))
    facts = parse(run_init_probes(shell, tmp_path))
    check = facts.sbin_init
    assert check is not None and check.state == "interpreter-missing"
    assert check.elf is not None and check.elf.interp == LOADER


def test_script_init_with_missing_interpreter(shell: str, tmp_path: Path) -> None:
    touch(tmp_path, "/sbin/init", "#!/bin/nosuchsh -e\nexec /bin/true\n", 0o755)
    facts = parse(run_init_probes(shell, tmp_path))
    check = facts.sbin_init
    assert check is not None and check.state == "interpreter-missing"
    assert check.shebang == "#!/bin/nosuchsh -e"


def test_script_init_with_present_interpreter(shell: str, tmp_path: Path) -> None:
    touch(tmp_path, "/sbin/init", "#!/bin/sh\nexec /bin/true\n", 0o755)
    elf(tmp_path, "/bin/sh", [], interp=None)
    elf(tmp_path, "/bin/true", [], interp=None)
    facts = parse(run_init_probes(shell, tmp_path))
    check = facts.sbin_init
    assert check is not None and check.state == "ok", check.reason
    assert check.execs is not None and check.execs.path == "/bin/true"


def test_wrapper_whose_exec_target_is_missing(shell: str, tmp_path: Path) -> None:
    """`exec /bin/true` fails: the shell exits, PID 1 dies, the kernel panics."""
    touch(tmp_path, "/sbin/init", "#!/bin/sh\nexec /bin/true\n", 0o755)
    elf(tmp_path, "/bin/sh", [], interp=None)
    facts = parse(run_init_probes(shell, tmp_path))
    check = facts.sbin_init
    assert check is not None and check.state == "exec-target-broken", check.reason
    assert "/bin/true does not exist" in check.reason


def test_a_wrappers_exec_glob_is_never_expanded_on_this_machine(shell: str, tmp_path: Path) -> None:
    """`exec /etc/host*` in the root's wrapper: the word was once split with globbing on,
    so it named this machine's /etc/hostname and /etc/hosts (names of the viewer's files
    in the root's sections). A word with glob characters is not followed at all."""
    touch(tmp_path, "/sbin/init", "#!/bin/sh\nexec /etc/host*\n", 0o755)
    elf(tmp_path, "/bin/sh", [], interp=None)
    s = run_init_probes(shell, tmp_path)
    assert [n for n in s if n.startswith("init.boot:/etc/")] == []


def test_not_executable(shell: str, tmp_path: Path) -> None:
    systemd_tree(tmp_path)
    (tmp_path / "lib/systemd/systemd").chmod(0o644)
    facts = parse(run_init_probes(shell, tmp_path))
    assert facts.sbin_init is not None and facts.sbin_init.state == "not-executable"


def test_init_arguments_in_boot_configs(shell: str, tmp_path: Path) -> None:
    systemd_tree(tmp_path)
    touch(
        tmp_path,
        "/etc/default/grub",
        'GRUB_CMDLINE_LINUX="quiet init=/lib/sysvinit/init"\n'
        'GRUB_CMDLINE_LINUX_DEFAULT="rdinit=/x"\n',
    )
    touch(
        tmp_path,
        "/boot/loader/entries/a.conf",
        "options root=/dev/sda1 init=/lib/systemd/systemd\n",
    )
    facts = parse(run_init_probes(shell, tmp_path))
    paths = {c.path: c.state for c in facts.candidates}
    assert paths == {"/lib/sysvinit/init": "missing", "/lib/systemd/systemd": "ok"}


def test_running_view_from_tree_and_fifo_never_read(shell: str, tmp_path: Path) -> None:
    systemd_tree(tmp_path)
    touch(tmp_path, "/proc/1/comm", "init\n")
    touch(tmp_path, "/proc/1/cmdline", "/sbin/init\x00")
    link(tmp_path, "/proc/1/exe", "/sbin/init (deleted)")
    (tmp_path / "run").mkdir()
    os.mkfifo(tmp_path / "run/initctl")  # reading it would hang the collector
    facts = parse(run_init_probes(shell, tmp_path))
    assert facts.running_family == "sysvinit"
    assert facts.pid1.deleted and facts.pid1.exe == "/sbin/init"
    assert facts.boot_family == "systemd"


def test_live_mode_on_this_machine(shell: str) -> None:
    facts = parse(run_init_probes(shell, None))
    # PID 1 here is Firecracker's process_api: never guessed into a family
    if facts.pid1.comm == "process_api":
        assert facts.running_family == "unknown"
    assert facts.sbin_init is not None and facts.sbin_init.state != "unknown"

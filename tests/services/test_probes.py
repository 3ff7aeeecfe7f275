"""services probes under dash, bash and busybox ash, on small trees built in tmp_path.

Each test runs the real services probes in offline mode (`collect_services`) and checks
the sections, then what the parser makes of them: the shapes the parser tests assume
are the shapes the shells really emit.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from cockpit.parsers.services import parse
from tests.services._run import collect_services


def _write(root: Path, rel: str, text: str = "", mode: int = 0o644) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def _link(root: Path, rel: str, target: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def test_systemd_tree(shell: str, tmp_path: Path) -> None:
    _write(tmp_path, "lib/systemd/system/ssh.service", "[Unit]\n")
    _write(tmp_path, "lib/systemd/system/networking.service", "[Unit]\n")
    _write(tmp_path, "lib/systemd/system/NetworkManager.service", "")  # empty: masked
    wants = "etc/systemd/system/multi-user.target.wants"
    _link(tmp_path, f"{wants}/ssh.service", "/lib/systemd/system/ssh.service")
    _link(tmp_path, f"{wants}/cron.service", "/lib/systemd/system/cron.service")
    _link(tmp_path, "etc/systemd/system/networking.service", "/dev/null")
    _write(tmp_path, "etc/systemd/system/foo.service", "")
    _write(tmp_path, "etc/systemd/network/20-wired.network", "[Match]\nName=en*\n")
    s = collect_services(shell, tmp_path)
    assert s["services.sd.etc"].text.splitlines() == [
        "f e foo.service",
        "d . multi-user.target.wants",
        "l . networking.service -> /dev/null",
    ]
    assert s[f"services.sd.wants:/{wants}"].text.splitlines() == [
        "l . cron.service",  # wants: names only, no readlink (cost)
        "l . ssh.service",
    ]
    units = s["services.sd.units"].text.splitlines()
    assert "f /lib/systemd/system/ssh.service" in units
    assert "e /lib/systemd/system/NetworkManager.service" in units
    assert s["services.sd.net:/etc/systemd/network"].text == "f . 20-wired.network\n"
    assert s["services.sd.net:/etc/netplan"].state == "absent"
    f = parse(s)
    view = f.view("systemd")
    assert view.sshd.state == "enabled"
    assert view.network.state == "masked"


def test_sysv_and_openrc_trees(shell: str, tmp_path: Path) -> None:
    _write(tmp_path, "etc/init.d/ssh", "#!/bin/sh\n", 0o755)
    _write(tmp_path, "etc/init.d/cron", "#!/bin/sh\n", 0o644)  # not executable
    _link(tmp_path, "etc/rc2.d/S01ssh", "../init.d/ssh")
    _link(tmp_path, "etc/rc2.d/S01cron", "../init.d/cron")
    _link(tmp_path, "etc/rc2.d/K01gone", "../init.d/gone")
    _write(tmp_path, "etc/rc2.d/README", "text\n")
    _write(tmp_path, "etc/init.d/sshd", "#!/sbin/openrc-run\ncommand=/usr/sbin/sshd\n", 0o755)
    _link(tmp_path, "etc/runlevels/default/sshd", "/etc/init.d/sshd")
    _link(tmp_path, "etc/runlevels/default/net.eth0", "/etc/init.d/net.eth0")
    (tmp_path / "etc/runlevels/boot").mkdir(parents=True)
    s = collect_services(shell, tmp_path)
    assert s["services.rc:/etc/rc2.d"].text.splitlines() == [
        "l ! K01gone",
        "f . README",
        "l f S01cron",
        "l x S01ssh",
    ]
    assert s["services.rc:/etc/rcS.d"].state == "absent"
    assert s["services.rl:/etc/runlevels/default"].text.splitlines() == [
        "l ! net.eth0",
        "l x sshd",
    ]
    assert s["services.rl:/etc/runlevels/boot"].text == ""
    assert s["services.rl:/etc/runlevels/boot"].state == "ok"
    assert "sshd:1:#!/sbin/openrc-run" in s["services.initd"].text
    f = parse(s)
    assert f.view("openrc").boot_runlevel == ()
    assert f.view("openrc").network.state == "broken"
    assert f.view("sysv-rc").sshd.state == "enabled"


def test_hostile_names_and_fifos_are_not_read(shell: str, tmp_path: Path) -> None:
    _write(tmp_path, "etc/init.d/ok", "#!/sbin/runscript\n", 0o755)
    os.mkfifo(tmp_path / "etc/init.d/fifo")
    _write(tmp_path, "etc/init.d/bad\nname", "#!/sbin/openrc-run\n", 0o755)
    _link(tmp_path, "etc/runlevels/default/evil\x1b[2J", "/etc/init.d/ok")
    _link(tmp_path, "etc/runlevels/default/ok", "/etc/init.d/ok")
    started = time.monotonic()
    s = collect_services(shell, tmp_path)
    assert time.monotonic() - started < 20  # a FIFO read would hang until the timeout
    assert s["services.initd"].text == "ok:1:#!/sbin/runscript\n"
    # the escape-laden name is not shown, and the listing says one entry was left out
    listing = s["services.rl:/etc/runlevels/default"]
    assert (listing.state, listing.text) == ("cut", "l x ok\ncut 2 1\n")


def test_absolute_links_resolve_inside_root(shell: str, tmp_path: Path) -> None:
    # /etc/runlevels -> /opt/rl: followed inside ROOT, never into the machine running us
    _link(tmp_path, "etc/runlevels", "/opt/rl")
    _link(tmp_path, "opt/rl/default/sshd", "/etc/init.d/sshd")
    _write(tmp_path, "etc/init.d/sshd", "#!/sbin/openrc-run\n", 0o755)
    _link(tmp_path, "usr/sbin/sshd", "/opt/ssh/sshd")
    _write(tmp_path, "opt/ssh/sshd", "", 0o755)
    _link(tmp_path, "etc/ssh/sshd_config", "/nowhere")
    s = collect_services(shell, tmp_path)
    assert s["services.rl:/etc/runlevels/default"].text == "l x sshd\n"
    paths = s["services.paths"].text.splitlines()
    assert "f x /usr/sbin/sshd" in paths
    assert "dangling - /etc/ssh/sshd_config" in paths
    f = parse(s)
    assert f.sshd_config_present is False


def test_offline_runs_no_command_and_reads_run_state(shell: str, tmp_path: Path) -> None:
    (tmp_path / "run/systemd/system").mkdir(parents=True)
    _link(tmp_path, "run/openrc/started/sshd", "/etc/init.d/sshd")
    (tmp_path / "run/openrc/failed").mkdir(parents=True)
    s = collect_services(shell, tmp_path)
    assert s["services.sd.booted"].text == "yes\n"
    assert s["services.sd.running"].state == "offline"
    assert s["services.sd.failed"].state == "offline"
    assert s["services.orc.started"].text == "l . sshd\n"
    assert s["services.orc.crashed"].state == "offline"
    assert parse(s).runtime.state == "offline"


def test_live_on_this_machine(shell: str) -> None:
    """This machine's PID 1 is not systemd (/run/systemd/system is absent): no systemctl
    is run, and the runtime is `unavailable`, never "no failed units"."""
    s = collect_services(shell, None)
    booted = Path("/run/systemd/system").is_dir()
    assert s["services.sd.booted"].text == ("yes\n" if booted else "no\n")
    if not booted:
        assert "services.sd.failed" not in s
        assert parse(s).runtime.state == "unavailable"
    # gates hold in live mode too: nothing is read for an rc system that is not there
    assert ("services.rl" in s) is Path("/etc/runlevels").is_dir()
    assert ("services.initd" in s) is Path("/etc/runlevels").is_dir()
    if not Path("/etc/rcS.d").exists():
        assert s["services.rc:/etc/rcS.d"].state == "absent"

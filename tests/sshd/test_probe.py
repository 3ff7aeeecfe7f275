"""The sshd probes under dash, bash and busybox ash, offline on small trees."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from cockpit.collector import build_script, split_output
from cockpit.parsers.services.sshd import parse
from cockpit.probes.sshd import PROBES
from tests.support import corpus, run_probes

PRIVATE_MOUNTS = ("unshare", "--mount", "--propagation", "private")


def _write(root: Path, rel: str, text: str, mode: int = 0o644) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def test_config_includes_keys_and_start_files(shell: str, tmp_path: Path) -> None:
    _write(
        tmp_path,
        "etc/ssh/sshd_config",
        "Include sshd_config.d/*.conf\ninclude = /etc/ssh/extra.conf\n"
        '  HostKey "/srv/keys/host_ed25519"\nHostKey=/etc/ssh/ssh_host_rsa_key # rsa\n',
    )
    _write(tmp_path, "etc/ssh/sshd_config.d/20-b.conf", "PasswordAuthentication no\n")
    _write(tmp_path, "etc/ssh/sshd_config.d/10-a.conf", "Include /etc/ssh/nested/*\n")
    _write(tmp_path, "etc/ssh/sshd_config.d/.hidden.conf", "Prt 1\n")
    _write(tmp_path, "etc/ssh/sshd_config.d/notes.txt", "Prt 1\n")
    (tmp_path / "etc/ssh/sshd_config.d/30-gone.conf").symlink_to("/nonexistent/x.conf")
    _write(tmp_path, "etc/ssh/nested/n.conf", "X11Forwarding no\n")
    _write(tmp_path, "etc/ssh/extra.conf", "PermitRootLogin no\n")
    _write(tmp_path, "srv/keys/host_ed25519", "key\n", 0o600)
    _write(tmp_path, "etc/ssh/ssh_host_rsa_key", "", 0o600)  # empty: loads nothing
    _write(tmp_path, "etc/ssh/sshd_not_to_be_run", "")
    _write(tmp_path, "usr/lib/systemd/system/ssh.service", corpus("sshd/debian12/ssh.service"))
    (tmp_path / "lib").symlink_to("usr/lib")  # merged /usr: one file, read once
    (tmp_path / "etc/systemd/system").mkdir(parents=True)
    (tmp_path / "etc/systemd/system/sshd.service").symlink_to("/lib/systemd/system/ssh.service")
    _write(tmp_path, "etc/init.d/ssh", corpus("sshd/debian12/init.d-ssh"), 0o755)
    s = run_probes(PROBES, shell, tmp_path)
    glob = s["services.sshd.glob:/etc/ssh/sshd_config.d/*.conf"]
    assert glob.text.splitlines() == [
        "f /etc/ssh/sshd_config.d/10-a.conf",
        "f /etc/ssh/sshd_config.d/20-b.conf",
        "l /etc/ssh/sshd_config.d/30-gone.conf",
    ]
    assert s["services.sshd.glob:/etc/ssh/nested/*"].text == "f /etc/ssh/nested/n.conf\n"
    assert s["services.sshd.cfg:/etc/ssh/extra.conf"].text == "PermitRootLogin no\n"
    assert s["services.sshd.keys"].text.splitlines() == [
        "empty /etc/ssh/ssh_host_rsa_key",
        "absent /etc/ssh/ssh_host_ecdsa_key",
        "absent /etc/ssh/ssh_host_ed25519_key",
        "absent /etc/ssh/ssh_host_dsa_key",
        "ok /srv/keys/host_ed25519",
        "stop present /etc/ssh/sshd_not_to_be_run",
    ]
    units = sorted(n for n in s if n.startswith("services.sshd.unit:"))
    assert units == [
        "services.sshd.unit:/etc/init.d/ssh",
        "services.sshd.unit:/lib/systemd/system/ssh.service",
    ]
    assert s["services.sshd.test"].state == "offline"  # never the viewer's sshd
    facts = parse(s)
    assert facts.files == (
        "/etc/ssh/sshd_config",
        "/etc/ssh/sshd_config.d/10-a.conf",
        "/etc/ssh/nested/n.conf",
        "/etc/ssh/sshd_config.d/20-b.conf",
        "/etc/ssh/extra.conf",
    )
    assert [i.text for i in facts.issues] == [
        "/etc/ssh/sshd_config.d/30-gone.conf: No such file or directory (dangling link)"
    ]
    assert [(k.path, k.state) for k in facts.keys] == [
        ("/srv/keys/host_ed25519", "ok"),
        ("/etc/ssh/ssh_host_rsa_key", "empty"),
    ]
    assert facts.regen_for("systemd").state == "no"


def test_missing_config_and_no_sshd(shell: str, tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    s = run_probes(PROBES, shell, tmp_path)
    assert s["services.sshd.cfg:/etc/ssh/sshd_config"].state == "absent"
    assert s["services.sshd.version"].state == "absent"
    facts = parse(s)
    assert facts.state == "absent" and facts.issues == ()


def test_release_string_from_the_binary(shell: str, tmp_path: Path) -> None:
    _write(tmp_path, "etc/ssh/sshd_config", "Port 22\n")
    (tmp_path / "usr/sbin").mkdir(parents=True)
    blob = b"\x7fELF\x00junk OpenSSH_2.*,OpenSSH_3.0* \x00OpenSSH_9.2p1 Debian-2+deb12u10\x00"
    (tmp_path / "usr/sbin/sshd").write_bytes(blob)
    s = run_probes(PROBES, shell, tmp_path)
    assert s["services.sshd.version"].text.strip() == "/usr/sbin/sshd OpenSSH_9.2p1"
    assert parse(s).version == "9.2p1"


def test_live_sshd_t_needs_root(shell: str) -> None:
    s = run_probes(PROBES, shell, None)
    test = s["services.sshd.test"]
    if os.geteuid() != 0:
        assert test.state in ("denied", "nocmd")
    else:
        assert test.state in ("ok", "error", "nocmd", "timeout")


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None, reason="needs root")
def test_running_sshd_and_what_changed_since(shell: str, tmp_path: Path) -> None:
    """Live, in a private mount namespace: a tmpfs over /run and tmp_path bound over
    /etc/ssh (this machine's are neither read nor written). The "sshd" is a copy of
    sleep named sshd (comm is what the probe checks); its pid file is written after the
    configuration, then one drop-in is touched after it."""
    etc = tmp_path / "etc-ssh"
    _write(etc, "sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\n")
    _write(etc, "sshd_config.d/a.conf", "PasswordAuthentication no\n")
    _write(etc, "ssh_host_ed25519_key", "key\n", 0o600)
    fake = tmp_path / "bin/sshd"
    fake.parent.mkdir()
    shutil.copy(shutil.which("sleep") or "/bin/sleep", fake)
    old = time.time() - 3600
    for path in etc.rglob("*"):
        os.utime(path, (old, old))
    os.utime(etc, (old, old))
    # one command per line, each guarded: nothing is written before /run is the tmpfs
    setup = "\n".join(
        (
            "mount -t tmpfs cockpit-test /run || exit 97",
            f"mount --bind {etc} /etc/ssh || exit 98",
            f"{fake} 20 </dev/null >/dev/null 2>&1 &",
            "echo $! >/run/sshd.pid",
            'while [ "$(cat /proc/$!/comm)" != sshd ]; do sleep 0.05; done',
            "[ {touch} = yes ] && touch /etc/ssh/sshd_config.d/a.conf",
            f"exec {shell} -s",
        )
    )
    for touch, changed in (("no", ()), ("yes", ("/etc/ssh/sshd_config.d/a.conf",))):
        built = build_script(list(PROBES), mode="live")
        done = subprocess.run(
            [*PRIVATE_MOUNTS, "sh", "-c", setup.replace("{touch}", touch)],
            input=built.script.encode(),
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr[-300:]
        s = split_output(done.stdout, built.boundary).sections
        facts = parse(s)
        assert facts.running == ("changed" if changed else "unchanged"), s["services.sshd.running"]
        assert facts.changed == changed
        if os.geteuid() == 0 and not changed:
            assert facts.test.state == "unchanged"  # sshd -t not run: nothing to learn


def test_an_include_directory_that_loops_is_unknown_not_empty(shell: str, tmp_path: Path) -> None:
    """`Include sshd_config.d/*.conf` where sshd_config.d is a symlink loop: the glob's
    section carries the resolver's `loop` (it once said `absent`, read as "no match, nothing
    included": a drop-in's PermitRootLogin or Port silently unknown)."""
    _write(tmp_path, "etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\n")
    (tmp_path / "etc/ssh/sshd_config.d").symlink_to("sshd_config.d")
    s = run_probes(PROBES, shell, tmp_path)
    assert s["services.sshd.glob:/etc/ssh/sshd_config.d/*.conf"].state == "loop"
    facts = parse(s)
    assert any("not expanded (loop)" in i.text for i in facts.level("unknown")), facts.issues


def test_keygen_units_are_read_in_one_batch_and_a_cut_says_so(shell: str, tmp_path: Path) -> None:
    """The admin's units that run ssh-keygen: one capped head for all (not one per unit),
    and past 200 units the section ends `cut TOTAL KEPT` with the state `cut`."""
    units = tmp_path / "etc/systemd/system"
    units.mkdir(parents=True)
    (units / "regen.service").write_text("[Service]\nExecStart=/usr/bin/ssh-keygen -A\n")
    s = run_probes(PROBES, shell, tmp_path)
    assert s["services.sshd.keygen"].state == "ok"
    assert s["services.sshd.keygen"].text == "regen.service:ExecStart=/usr/bin/ssh-keygen -A\n"
    for i in range(205):
        (units / f"u{i:03}.service").write_text("[Service]\nExecStart=/bin/true\n")
    s = run_probes(PROBES, shell, tmp_path)
    keygen = s["services.sshd.keygen"]
    assert keygen.state == "cut" and keygen.cut == (206, 200)

"""Will sshd start after the next boot: real Debian roots, broken the way hosts break.

Each case breaks a private copy of a cached root (conftest.make_root), asks the root's
OWN sshd what it thinks (`chroot ROOT /usr/sbin/sshd -t`: test mode, it parses its
configuration and loads its keys, binds nothing, and runs with /run/sshd made in the
copy, as ssh.service's RuntimeDirectory= does at start), then runs `cockpit check --root`
and the boot chain on the same tree. The root's sshd is the expectation, never a guess.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cockpit.parsers import parse_snapshot
from cockpit.rules import judge_all
from cockpit.rules.chain.build import build_chain
from cockpit.rules.chain.model import Stage
from tests.real.conftest import check_root, in_chroot
from tests.real.test_real_roots import AT, NOW, expect, findings
from tests.support import collect_root

pytestmark = pytest.mark.real


def own_sshd_t(root: Path) -> subprocess.CompletedProcess[str]:
    (root / "run/sshd").mkdir(parents=True, exist_ok=True)
    return in_chroot(root, ["/usr/sbin/sshd", "-t"], check=False)


def remote_access(root: Path) -> tuple[str, str]:
    """(state, reason) of the remote-access stage, judged in-process on the tree."""
    facts = parse_snapshot(collect_root(root))
    chain = build_chain(facts, judge_all(facts, NOW).findings)
    stage = chain.get(Stage.REMOTE_ACCESS)
    assert stage is not None
    return stage.state.value, stage.reason


@pytest.mark.parametrize("variant", ["systemd", "sysvinit", "openrc", "runit"])
def test_healthy_roots_prove_remote_access(make_root, variant: str) -> None:
    root = make_root(variant)
    assert own_sshd_t(root).returncode == 0
    state, reason = remote_access(root)
    assert state == "proven", reason


def test_bad_keyword_in_a_drop_in(make_root) -> None:
    root = make_root("systemd")
    (root / "etc/ssh/sshd_config.d/50-local.conf").write_text(
        "# hardening\nPermitRootLogin prohibit-password\nPasswordAuthenticaton no\n"
    )
    told = own_sshd_t(root)
    assert told.returncode == 255
    assert "Bad configuration option: PasswordAuthenticaton" in told.stderr
    host = check_root(root, AT)
    expect(host, "bootable", {"services.sshd-config-invalid": "critical"})
    assert host["status"] == "critical" and host["exit"] == 2
    assert remote_access(root)[0] == "broken"


@pytest.mark.parametrize("variant", ["systemd", "sysvinit"])
def test_host_keys_deleted(make_root, variant: str) -> None:
    root = make_root(variant)
    for key in (root / "etc/ssh").glob("ssh_host_*"):
        key.unlink()
    told = own_sshd_t(root)
    assert told.returncode != 0 and "no hostkeys available" in told.stderr
    host = check_root(root, AT)
    expect(host, "bootable", {"services.sshd-host-keys-missing": "critical"})
    assert remote_access(root)[0] == "broken"


def test_host_keys_deleted_then_regenerated_by_a_unit(make_root) -> None:
    """The Debian root given Arch's key-generation unit (a real file, corpus/sshd/arch),
    wanted by a drop-in: the boot would generate the keys, so sshd is expected to start."""
    root = make_root("systemd")
    for key in (root / "etc/ssh").glob("ssh_host_*"):
        key.unlink()
    corpus = Path(__file__).resolve().parents[1] / "fixtures/corpus/sshd/arch"
    shutil.copy(corpus / "sshdgenkeys.service", root / "etc/systemd/system/sshdgenkeys.service")
    dropin = root / "etc/systemd/system/ssh.service.d"
    dropin.mkdir(parents=True)
    (dropin / "keygen.conf").write_text(
        "[Unit]\nWants=sshdgenkeys.service\nAfter=sshdgenkeys.service\n"
    )
    in_chroot(root, ["ssh-keygen", "-A"], proc=False)  # what the unit does at boot
    assert own_sshd_t(root).returncode == 0
    for key in (root / "etc/ssh").glob("ssh_host_*"):
        key.unlink()  # and the tree as it is before that boot
    host = check_root(root, AT)
    expect(host, "bootable", {})
    assert remote_access(root)[0] == "proven"


def test_socket_activated_sshd(make_root) -> None:
    root = make_root("systemd")
    in_chroot(root, ["systemctl", "disable", "ssh.service"])
    in_chroot(root, ["systemctl", "enable", "ssh.socket"])
    wants = root / "etc/systemd/system"
    assert not (wants / "multi-user.target.wants/ssh.service").exists()
    assert (wants / "sockets.target.wants/ssh.socket").is_symlink()
    host = check_root(root, AT)
    expect(host, "bootable", {})
    state, reason = remote_access(root)
    assert state == "proven", reason
    assert findings(host) == {"init.running-unknown": "info"}

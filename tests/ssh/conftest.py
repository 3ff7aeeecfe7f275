"""A real OpenSSH server on 127.0.0.1 for the SSH transport tests, and its throw-away keys.

Debian's /usr/sbin/sshd (openssh-server, installed by .ci/run) runs in the foreground
(`-D -e`) on a free loopback port with its own config, host key, authorized_keys and pid
file, all under a temporary directory, and is stopped after the session. Nothing on the
machine is changed except, idempotently, /run/sshd (the privilege-separation directory the
systemd unit would create) and an unprivileged user with no sudo rights for the
sudo-password test. Its log (`-e` sends it to stderr) goes to a file the tests read.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cockpit.hostspec import HostSpec
from cockpit.transports.ssh import SshOptions, SshPool
from tests.support import wait_for_ssh_banner

SSHD = "/usr/sbin/sshd"
NOPW_USER = "cockpit-nopw"  # may log in, has no sudo rights: `sudo -n` wants a password
ALIAS = "cockpit-test-alias"
JUMP = "cockpit-test-jump"  # ssh config: a jump host...
BEHIND = "cockpit-test-behind"  # ...and a host reached through it (ProxyJump)


@dataclass(frozen=True)
class Sshd:
    port: int
    dir: Path
    host_key_pub: Path
    client_key: Path
    wrong_key: Path
    known_hosts: Path  # trusts the server's key for [127.0.0.1]:port
    ssh_config: Path  # ALIAS, JUMP, BEHIND -> 127.0.0.1, Port, User root, IdentityFile
    log: Path

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def options(self, **overrides: object) -> SshOptions:
        """Pool options that read only this fixture's files, never ~/.ssh."""
        base: dict[str, object] = {
            "known_hosts": (str(self.known_hosts),),
            "config": (str(self.ssh_config),),
            "client_keys": (str(self.client_key),),
        }
        base.update(overrides)
        return SshOptions(**base)  # type: ignore[arg-type]

    def pool(self, **overrides: object) -> SshPool:
        return SshPool(self.options(**overrides))

    def spec(self, name: str = "sshd", **fields: object) -> HostSpec:
        values: dict[str, object] = {
            "kind": "ssh",
            "address": "127.0.0.1",
            "port": self.port,
            "user": "root",
        }
        values.update(fields)
        return HostSpec(name=name, **values)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keygen(path: Path, kind: str = "ed25519") -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
    )


def _ensure_nopw_user() -> None:
    """Idempotent: a user with a non-locked, unusable password ('*': sshd refuses '!')."""
    if subprocess.run(["id", NOPW_USER], capture_output=True).returncode == 0:
        return
    subprocess.run(["useradd", "-M", "-d", "/", "-s", "/bin/sh", "-p", "*", NOPW_USER], check=True)


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    if not os.access(SSHD, os.X_OK) or shutil.which("ssh-keygen") is None:
        pytest.fail("openssh-server is not installed (apt-get install openssh-server)")
    if shutil.which("sudo") is None:
        pytest.fail("sudo is not installed (apt-get install sudo)")
    if os.geteuid() != 0:
        pytest.fail("the sshd tests log in as root and add a user: run them as root")
    d = tmp_path_factory.mktemp("sshd")
    host_key, client_key, wrong_key = d / "host_ed25519", d / "client", d / "wrong"
    for key in (host_key, client_key, wrong_key):
        _keygen(key)
    # sshd reads authorized_keys as the user logging in, and pytest's tmp dirs are
    # root-only: the unprivileged user needs a readable copy outside them.
    shared = Path(tempfile.mkdtemp(prefix="cockpit-sshd-"))
    shared.chmod(0o755)
    authorized = shared / "authorized_keys"
    authorized.write_text((d / "client.pub").read_text())
    authorized.chmod(0o644)
    _ensure_nopw_user()
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    port = free_port()
    config = d / "sshd_config"
    config.write_text(
        f"""ListenAddress 127.0.0.1
Port {port}
HostKey {host_key}
PidFile {d / "sshd.pid"}
AuthorizedKeysFile {authorized}
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
MaxStartups 100
MaxSessions 20
LogLevel VERBOSE
"""
    )
    pub = (d / "host_ed25519.pub").read_text().split()
    known_hosts = d / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {pub[0]} {pub[1]}\n")
    ssh_config = d / "ssh_config"
    entry = f"  HostName 127.0.0.1\n  Port {port}\n  User root\n  IdentityFile {client_key}\n"
    ssh_config.write_text(
        f"Host {ALIAS}\n{entry}"
        # The jump host's key is checked by asyncssh against UserKnownHostsFile.
        f"Host {JUMP}\n{entry}  UserKnownHostsFile {known_hosts}\n"
        f"Host {BEHIND}\n{entry}  ProxyJump {JUMP}\n"
    )
    log = d / "sshd.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for_ssh_banner(port, proc, log, within=10)
        yield Sshd(
            port=port,
            dir=d,
            host_key_pub=d / "host_ed25519.pub",
            client_key=client_key,
            wrong_key=wrong_key,
            known_hosts=known_hosts,
            ssh_config=ssh_config,
            log=log,
        )
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(shared, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_agent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys come from the fixture only: an agent of the person running the tests must
    neither make an auth-failure test pass nor leak into the run."""
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)

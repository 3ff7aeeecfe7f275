"""Quiet output: `cockpit check` over ssh says everything on stdout and nothing on stderr
when it succeeds. A monitoring system keeps stderr as plugin output and cron mails it;
asyncssh's import used to print ~10 CryptographyDeprecationWarning lines (DSA) there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.ssh.conftest import Sshd
from tests.support import REPO


def test_check_over_real_sshd_writes_nothing_on_stderr(sshd: Sshd, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh/config").write_text(
        f"Host quiet\n  HostName 127.0.0.1\n  Port {sshd.port}\n  User root\n"
        f"  IdentityFile {sshd.client_key}\n  IdentitiesOnly yes\n"
    )
    shutil.copy(sshd.known_hosts, home / ".ssh/known_hosts")
    env = {k: v for k, v in os.environ.items() if k not in ("SSH_AUTH_SOCK", "PYTHONWARNINGS")}
    env.update(HOME=str(home), XDG_STATE_HOME=str(tmp_path / "state"))
    for fmt in ("text", "openmetrics"):
        proc = subprocess.run(
            [sys.executable, "-m", "cockpit", "check", "quiet", "--format", fmt, "--timeout", "30"],
            capture_output=True, text=True, cwd=REPO, env=env, timeout=120,
        )  # fmt: skip
        assert proc.returncode in (0, 1, 2, 3)
        assert 'cockpit_up{host="quiet"} 1' in proc.stdout or "== quiet (live)" in proc.stdout
        assert "error (" not in proc.stdout, proc.stdout  # it did reach the host
        assert proc.stderr == "", proc.stderr


def test_only_the_dsa_warning_is_silenced() -> None:
    """The import is quiet even with every warning shown (-W default), and the filter
    does not outlive the import: a DSA warning raised afterwards still shows."""
    code = (
        "import warnings\n"
        "import cockpit.transports.ssh\n"
        "from cryptography.utils import CryptographyDeprecationWarning as W\n"
        "warnings.warn('DSA is deprecated (raised after the import)', W)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-W", "default", "-c", code],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("CryptographyDeprecationWarning") == 1, proc.stderr
    assert "raised after the import" in proc.stderr

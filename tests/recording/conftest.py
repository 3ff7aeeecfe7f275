"""The real sshd fixture of tests/ssh, for recording a live SSH session."""

from tests.ssh.conftest import _no_agent, sshd  # noqa: F401 (pytest fixtures)

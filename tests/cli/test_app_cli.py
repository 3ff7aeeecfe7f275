"""Issue 13 §11: `cockpit WORD` is an error unless WORD is a host; `--version`; a
distinct, documented exit status after a quit override and after SIGHUP."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from cockpit.cli.host_words import ssh_aliases, unknown_words
from cockpit.state import HostState
from cockpit.ui.quit_decision import EXIT_LEFT_ON_RECORD, EXIT_SESSION_LOST
from tests.e2e.guard_app import GuardApp
from tests.support import REPO, run_cockpit
from tests.support_log import MemoryLog
from tests.ui.test_quit_guard import Clock, bootable, weblogs


def test_a_stray_word_is_a_usage_error_not_an_ssh_host() -> None:
    done = run_cockpit("frobnicate")
    assert done.returncode == 3, done
    assert "'frobnicate' is not a subcommand (check, replay, report)" in done.stderr
    typo = run_cockpit("chekc", "--no-record")
    assert typo.returncode == 3 and "did you mean `cockpit check`?" in typo.stderr


def test_what_counts_as_a_host(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("Host prod-db web-*\n  HostName 10.0.0.7\nHost=bastion\n")
    assert ssh_aliases(config) == {"prod-db", "bastion"}
    words = ["web1.example", "root@web1", "web1:2222", "[::1]:22", "prod-db", "here", "typo"]
    unknown = unknown_words(words, aliases={"prod-db"}, resolve=lambda w: w == "here")
    assert unknown == ["typo"]


def test_version() -> None:
    done = run_cockpit("--version")
    assert done.returncode == 0 and done.stdout.strip() == "cockpit 0.1.0"


@pytest.fixture
def states() -> tuple[HostState, HostState]:
    """Judged outside the test's event loop (judge_root runs its own)."""
    return weblogs(), bootable()


async def test_an_override_exits_with_its_own_status(states: tuple[HostState, HostState]) -> None:
    app = GuardApp([states[0]], MemoryLog(), Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q", *"weblogs-2011", "enter")
        await pilot.pause()
    assert app.return_code == EXIT_LEFT_ON_RECORD == 4


async def test_a_hang_up_exits_129_unbootable_or_not(states: tuple[HostState, HostState]) -> None:
    for state in states:
        app = GuardApp([state], MemoryLog(), Clock())
        async with app.run_test(size=(80, 24)) as pilot:
            os.kill(os.getpid(), signal.SIGHUP)
            await pilot.pause(0.2)
        assert app.return_code == EXIT_SESSION_LOST == 129


def test_the_exit_codes_are_documented() -> None:
    readme = (REPO / "README.md").read_text()
    assert "| 4 |" in readme and "| 129 |" in readme

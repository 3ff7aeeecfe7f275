"""Shared pytest options: golden updates are explicit and reviewed in the diff."""

from __future__ import annotations

import shutil

import pytest

SHELLS = ("dash", "bash", "busybox sh")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite sample_hosts/*/expected.json from the current engine",
    )


@pytest.fixture(scope="session")
def _test_state_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("xdg-state"))


@pytest.fixture(autouse=True)
def _state_dir_of_its_own(_test_state_dir: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes the real user's state dir: loading an inventory remembers its hosts
    for shell completion there (cli/last_inventory.py), and subprocesses inherit this.
    A test that needs its own (tests/ui) sets it again."""
    monkeypatch.setenv("XDG_STATE_HOME", _test_state_dir)


def available_shells() -> list[str]:
    """Every shell the collector promises to run under. Missing ones fail, never skip:
    CI installs them (.ci/run), and a silently skipped shell is a promise unchecked."""
    return list(SHELLS)


@pytest.fixture(params=SHELLS)
def shell(request: pytest.FixtureRequest) -> str:
    name = request.param
    if shutil.which(name.split()[0]) is None:
        pytest.fail(f"{name} is not installed (apt-get install busybox-static dash)")
    return str(name)

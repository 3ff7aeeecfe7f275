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

"""Fixtures of the `real` tier: per-test copies of cached Debian roots (see build.py).

Each test gets its own tree: an overlay mount whose lower layer is the variant's cached
tarball extracted once per session (read-only by convention: nothing writes to it) and
whose upper layer lives in the test's tmp_path, so breakages made with dpkg/rm/editors in
one test never reach another. Copying 700 MB per test (`cp -a`, 3-5 s) would not fit the
tier's 2-minute warm budget; where overlayfs cannot be mounted we fall back to extracting
the tarball into tmp_path.

A root that cannot be built FAILS the tests that need it (mirror unreachable, not root,
no debootstrap), with the build log's tail: a silently skipped tier is a promise unchecked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.real import build
from tests.support import REPO


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.real)


class Lowers:
    """Each variant's cached tarball, extracted once per session on first use."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.trees: dict[str, Path] = {}

    def get(self, variant: str) -> Path:
        if variant not in self.trees:
            if os.geteuid() != 0:
                pytest.fail("tests/real needs root (debootstrap, chroot, mount)")
            try:
                tar = build.ensure(variant)
            except build.BuildError as exc:
                pytest.fail(f"cannot build the {variant} root: {exc}", pytrace=False)
            tree = self.base / variant
            build.unpack(tar, tree)
            self.trees[variant] = tree
        return self.trees[variant]


@pytest.fixture(scope="session")
def lowers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lowers]:
    base = tmp_path_factory.mktemp("real-lowers")
    held = Lowers(base)
    yield held
    shutil.rmtree(base, ignore_errors=True)  # 700 MB per variant: do not keep it around


@pytest.fixture
def make_root(lowers: Lowers, tmp_path: Path) -> Iterator[object]:
    """make_root(variant, name) -> Path of a private, writable copy of that variant."""
    mounted: list[Path] = []

    def make(variant: str, name: str | None = None) -> Path:
        lower = lowers.get(variant)
        name = name or variant
        target = tmp_path / name
        upper, work = tmp_path / f".{name}-upper", tmp_path / f".{name}-work"
        for d in (target, upper, work):
            d.mkdir()
        opts = f"lowerdir={lower},upperdir={upper},workdir={work}"
        proc = subprocess.run(
            ["mount", "-t", "overlay", "overlay", "-o", opts, str(target)],
            capture_output=True,
            check=False,
        )
        if proc.returncode == 0:
            mounted.append(target)
        else:
            build.unpack(build.tarball(variant), target)
        return target

    yield make
    for target in mounted:
        if subprocess.run(["umount", str(target)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(target)], check=False)


def in_chroot(
    root: Path, cmd: Sequence[str], proc: bool = False, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a real tool inside the root, with no daemon allowed to start; /proc only when
    the tool needs it (unmounted whatever happens)."""
    done = build.run_in_chroot(root, cmd, proc=proc)
    if check and done.returncode != 0:
        raise AssertionError(f"{cmd} exited {done.returncode}: {done.stdout}{done.stderr}")
    return done


def check_root(root: Path, at: str) -> dict[str, object]:
    """`cockpit check --root ROOT --format json --at AT`, the real command line."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cockpit",
            "check",
            "--root",
            str(root),
            "--at",
            at,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert proc.stdout, proc.stderr
    host = json.loads(proc.stdout)["hosts"][0]
    assert isinstance(host, dict)
    host["exit"] = proc.returncode
    return host

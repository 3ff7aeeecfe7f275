"""The boot oracle tier (marker `boot`): every test here boots, or reads a cached boot.

It needs root (overlay mounts, loop devices, chroot), qemu-system-x86_64, sfdisk and
mke2fs; without them the tests FAIL with what is missing (.ci/run installs them): a
silently skipped oracle would be a promise unchecked.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent  # test_classify.py boots nothing
    boots = {here / "test_oracle.py", here / "test_image.py"}
    for item in items:
        if Path(str(item.fspath)) in boots:
            item.add_marker(pytest.mark.boot)


@pytest.fixture(scope="session")
def oracle_host() -> None:
    missing = [t for t in ("qemu-system-x86_64", "sfdisk", "mke2fs", "losetup")
               if shutil.which(t) is None]  # fmt: skip
    if os.geteuid() != 0:
        pytest.fail("tests/boot/oracle needs root (overlay mounts, loop devices, chroot)")
    if missing:
        pytest.fail(f"tests/boot/oracle needs {', '.join(missing)} (apt-get install "
                    "qemu-system-x86 fdisk e2fsprogs mount; .ci/run does)")  # fmt: skip

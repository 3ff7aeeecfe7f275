"""The live tier (marker `live`): real VMs of each init, checked over real SSH.

One VM at a time (2 cores, TCG): `vm` is module-scoped and parametrized by init, so pytest
runs every test of one VM before it tears that VM down and boots the next. Each VM boots
once; the tests run in file order against it, and the incident (the init purged, then a
real reboot) is the last test of each, since it leaves the VM unable to boot.

It needs root (overlay mounts and loop devices for a cold build), qemu-system-x86_64, the
OpenSSH client and ssh-keygen; missing ones FAIL with what is missing: a silently skipped
tier is a promise unchecked. Every qemu started is stopped by the fixture, pass or fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import images
from tests.live.vm import Vm

TOOLS = ("qemu-system-x86_64", "ssh", "ssh-keygen", "sfdisk", "mke2fs", "losetup")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session")
def live_host() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if os.geteuid() != 0:
        pytest.fail("tests/live needs root (loop devices and overlays to build its disks)")
    if missing:
        pytest.fail(f"tests/live needs {', '.join(missing)} (apt-get install qemu-system-x86 "
                    "openssh-client fdisk e2fsprogs mount; .ci/run does)")  # fmt: skip


@pytest.fixture(scope="module", params=images.VARIANTS)
def vm(
    request: pytest.FixtureRequest, live_host: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Vm]:
    variant = request.param
    disk = images.disk(variant)
    machine = Vm(disk, tmp_path_factory.mktemp(f"live-{variant}"))
    try:
        seen = machine.start()
        print(f"[{machine.name}] booted in {seen.seconds:.1f} s", flush=True)
        yield machine
    finally:
        machine.stop()

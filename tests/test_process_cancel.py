"""A cancelled refresh (the app exits, a host is removed) leaves no collector behind."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from cockpit.transports.base import CollectError
from cockpit.transports.process import run_sh


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def _pids_after(tmp_path: Path, stop: str) -> list[int]:
    script = f"echo $$ > {tmp_path}/sh.pid\nsleep 30 &\necho $! > {tmp_path}/child.pid\nwait\n"
    task = asyncio.create_task(run_sh(script, timeout=0.8 if stop == "timeout" else 30))
    for _ in range(100):
        if (tmp_path / "child.pid").exists():
            break
        await asyncio.sleep(0.05)
    if stop == "cancel":
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    else:
        with pytest.raises(CollectError):
            await task
    return [int((tmp_path / f).read_text()) for f in ("sh.pid", "child.pid")]


@pytest.mark.parametrize("stop", ["cancel", "timeout"])
async def test_stopped_collector_and_its_children_are_gone(tmp_path: Path, stop: str) -> None:
    pids = await _pids_after(tmp_path, stop)
    await asyncio.sleep(0.1)
    assert pids and all(p != os.getpid() for p in pids)
    assert [p for p in pids if _alive(p)] == []

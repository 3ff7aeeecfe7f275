"""Actions on an offline root never read or write outside it (issue 12 §1, first bullet).

The incident host's spool is reached through a directory link that resolves one way
inside the root (`..` stops at the root) and another way for the kernel (out of the
root, into this machine's files). Disarm once rewrote THIS machine's crontab and said
DONE, while the root's stayed armed; a refusal showed (and recorded) this machine's
content. Now the action edits what the collector read, inside the root, through no link,
and says where; anything it cannot reach that way is refused with the reason.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from cockpit.actions import Offer, execute, offers_for, prepare
from cockpit.hostspec import HostSpec
from cockpit.transports import OfflineRootTransport
from tests.support import SAMPLES, judge_root
from tests.support_log import MemoryLog

INCIDENT_AT = "2011-09-29T23:00:00-05:00"
SPOOL = "var/spool/cron/crontabs/root"


def _split_root(tmp_path: Path, viewer_text: bytes | None = None) -> tuple[Path, Path]:
    """The incident root with /var/spool a link `../../outside/spool`: inside the root it
    is /outside/spool (`..` stops at the root), for the kernel tmp/outside/spool, this
    machine's. Both hold a crontabs/root; this machine's is `viewer_text` (default: the
    same bytes as the root's, so a write through the kernel would not even be refused)."""
    root = tmp_path / "host"
    shutil.copytree(SAMPLES / "weblogs-2011", root, symlinks=True)
    inside = root / "outside" / "spool"
    inside.parent.mkdir()
    shutil.move(str(root / "var/spool"), inside)
    (root / "var/spool").symlink_to("../../outside/spool")
    viewer = tmp_path / "outside" / "spool" / "cron" / "crontabs" / "root"
    viewer.parent.mkdir(parents=True)
    viewer.write_bytes(
        (inside / "cron/crontabs/root").read_bytes() if viewer_text is None else viewer_text
    )
    assert os.path.realpath(root / SPOOL) == str(viewer)  # the kernel's view: outside
    return root, viewer


def _transport(root: Path) -> OfflineRootTransport:
    return OfflineRootTransport(HostSpec(name="weblogs", kind="offline", root=str(root)))


def _disarm(root: Path) -> Offer:
    state = judge_root(root, INCIDENT_AT)
    assert state.verdict == "unbootable" and state.next_reboot is not None
    (offer,) = [o for o in offers_for(state) if o.kind == "disarm-cron"]
    assert offer.path == "/var/spool/cron/crontabs/root"
    return offer


def test_disarm_edits_the_roots_crontab_never_this_machines(tmp_path: Path) -> None:
    root, viewer = _split_root(tmp_path)
    mine = viewer.read_bytes()
    log = MemoryLog()
    t = _transport(root)
    at = datetime.fromisoformat("2011-09-29T23:05:00-05:00")
    plan = asyncio.run(prepare(t, _disarm(root), at, "jh", "no /sbin/init"))
    assert plan.ok, plan.message
    assert "/outside/spool/cron/crontabs/root" in plan.message  # says where, in the root
    result = asyncio.run(execute(t, plan, log))
    assert result.ok, result.message
    assert "in the root: /outside/spool/cron/crontabs/root" in result.message
    assert viewer.read_bytes() == mine  # this machine's crontab: untouched
    assert b"# cockpit: disarmed" in (root / "outside/spool/cron/crontabs/root").read_bytes()
    after = judge_root(root, INCIDENT_AT)
    assert after.next_reboot is None and after.verdict == "unbootable"


def test_this_machines_content_is_never_shown_nor_recorded(tmp_path: Path) -> None:
    secret = b"15 3 * * * /sbin/shutdown -r now # VIEWER-SECRET-4242\n"
    root, viewer = _split_root(tmp_path, secret)
    log = MemoryLog()
    t = _transport(root)
    plan = asyncio.run(prepare(t, _disarm(root), None, "jh", "x"))
    result = asyncio.run(execute(t, plan, log))
    assert result.ok, result.message
    shown = json.dumps([plan.message, plan.before, plan.after, plan.diff, result.message])
    shown += json.dumps([result.before, result.after, result.diff, log.events])
    assert "VIEWER-SECRET" not in shown
    assert viewer.read_bytes() == secret


def test_a_link_swapped_in_after_the_plan_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    """Between plan and write, the root's spool directory becomes a link again (to this
    machine's spool, for the kernel): the write's own walk, with no link followed,
    refuses; this machine's file is neither written nor shown."""
    secret = b"# VIEWER-SECRET-77\n15 3 * * * /sbin/shutdown -r now\n"
    root, viewer = _split_root(tmp_path, secret)
    log = MemoryLog()
    t = _transport(root)
    plan = asyncio.run(prepare(t, _disarm(root), None, "jh", "x"))
    assert plan.ok
    crontabs = root / "outside/spool/cron/crontabs"
    shutil.move(str(crontabs), root / "moved")
    crontabs.symlink_to(str(viewer.parent))  # absolute: in the root, /tmp/... (nothing)
    result = asyncio.run(execute(t, plan, log))
    assert not result.ok and result.refused, result.message
    assert "refused" in result.message and "nothing was written" in result.message
    assert viewer.read_bytes() == secret
    assert "VIEWER-SECRET" not in json.dumps([result.message, result.diff, log.events])
    assert log.actions and log.actions[0]["ok"] is False  # the attempt is on the record


def test_a_crontab_that_is_itself_a_link_is_refused_unread(tmp_path: Path) -> None:
    root = tmp_path / "host"
    shutil.copytree(SAMPLES / "weblogs-2011", root, symlinks=True)
    offer = _disarm(root)
    outside = tmp_path / "mine"
    outside.write_bytes(b"VIEWER-SECRET-9 15 3 * * * /sbin/reboot\n")
    (root / SPOOL).unlink()
    (root / SPOOL).symlink_to(str(outside))
    plan = asyncio.run(prepare(_transport(root), offer))
    assert not plan.ok and "symlink" in plan.message
    assert "VIEWER-SECRET" not in json.dumps([plan.message, plan.diff, plan.before])
    assert outside.read_bytes().startswith(b"VIEWER-SECRET-9")


def test_a_fifo_in_place_of_the_crontab_never_blocks(tmp_path: Path) -> None:
    root = tmp_path / "host"
    shutil.copytree(SAMPLES / "weblogs-2011", root, symlinks=True)
    offer = _disarm(root)
    (root / SPOOL).unlink()
    os.mkfifo(root / SPOOL)
    plan = asyncio.run(asyncio.wait_for(prepare(_transport(root), offer), 10))
    assert not plan.ok and "not a regular file" in plan.message

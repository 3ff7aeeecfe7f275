"""The since_boot.boot probe under dash, bash and busybox ash: live on this machine (it only
reads /proc and stats paths), and offline on a sample tree (no boot: nothing runs)."""

from __future__ import annotations

import pytest

from cockpit.parsers.since_boot import parse
from cockpit.probes.since_boot import PROBES
from tests.support import SAMPLES, run_probes

pytestmark = pytest.mark.shells


SINCE_SECTIONS = ("since_boot.boot", "since_boot.absent", "since_boot.stat")


def test_live(shell: str) -> None:
    secs = run_probes(PROBES, shell)
    facts = parse(secs)
    assert facts.btime is not None, facts.issues
    assert secs.get_section("since_boot.stat").state in ("ok", "error")
    assert facts.stat_complete and facts.stamps
    stamped = [s.path for s in facts.stamps]
    assert len(stamped) == len(set(stamped)) and not set(stamped) & set(facts.absent)
    assert "/" in stamped and "/etc/fstab" in stamped + list(facts.absent)
    assert all(s.ctime > 0 and s.path.startswith("/") for s in facts.stamps)
    assert facts.mounts and facts.mounted("/") is True
    assert not [i for i in facts.issues if "unreadable" in i], facts.issues


def test_offline_costs_nothing(shell: str) -> None:
    secs = run_probes(PROBES, shell, root=SAMPLES / "debian12-systemd")
    assert {secs.get_section(n).state for n in SINCE_SECTIONS} == {"offline"}
    assert not parse(secs).known

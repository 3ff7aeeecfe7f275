"""apk (Alpine): the installed packages' triggers reach the facts.

The parser read `packages.apk-triggers` while no probe sent it, so the Alpine trigger facts
were always empty. Both ends are checked here: the probe on a tree, and the sample host
through the whole engine.
"""

from __future__ import annotations

from pathlib import Path

from cockpit.engine import judge_snapshot
from cockpit.probes.packages import PROBES
from tests.support import SAMPLES, collect_root, run_probes

#: sample_hosts/alpine320-openrc/lib/apk/db/triggers: busybox's trigger (it watches the
#: directories its applet links live in, and the kernel modules).
BUSYBOX_TRIGGER = "Q1bXvT2u0oZ2dI8v3cQ5m9n0Yy2rI= /bin /usr/bin /sbin /usr/sbin /lib/modules/*"


def test_the_apk_probe_sends_the_triggers_file(tmp_path: Path, shell: str) -> None:
    db = tmp_path / "lib/apk/db"
    db.mkdir(parents=True)
    (db / "installed").write_text("P:busybox\n")
    (db / "triggers").write_text(BUSYBOX_TRIGGER + "\n")
    (tmp_path / "etc/apk").mkdir(parents=True)
    (tmp_path / "etc/apk/world").write_text("alpine-base\n")
    apk = [p for p in PROBES if p.name in ("packages.present", "packages.apk")]
    got = run_probes(apk, shell, root=tmp_path)
    assert got["packages.apk-triggers"].state == "ok"
    assert got["packages.apk-triggers"].text == BUSYBOX_TRIGGER + "\n"
    assert got["packages.apk-world"].text == "alpine-base\n"


def test_alpine_sample_host_has_its_trigger_in_the_facts() -> None:
    state = judge_snapshot(collect_root(SAMPLES / "alpine320-openrc"))
    assert state.facts is not None
    assert state.facts.packages.apk_triggers == (BUSYBOX_TRIGGER,)

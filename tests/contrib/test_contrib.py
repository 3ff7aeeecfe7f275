"""contrib/: the systemd units, the atomic write, the Prometheus rules, and a real
node_exporter scraping what the unit wrote.

Debian's `prometheus` (promtool), `prometheus-node-exporter` and `systemd` (systemd-analyze)
are installed by .ci/run; a missing one fails, never skips.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from cockpit.render import openmetrics
from tests.render.hostile import AT, HOSTILE_NAMES, down, generated, named
from tests.support import REPO, SAMPLES

CONTRIB = REPO / "contrib"
SERVICE = CONTRIB / "systemd" / "cockpit-textfile.service"
TIMER = CONTRIB / "systemd" / "cockpit-textfile.timer"
RULES = CONTRIB / "prometheus" / "cockpit.rules.yml"
RULES_TEST = CONTRIB / "prometheus" / "cockpit.rules.test.yml"
NODE_EXPORTER = "prometheus-node-exporter"  # Debian's name for node_exporter


def need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed (apt-get install {package})")
    return path


def unit_values(path: Path, key: str) -> list[str]:
    return [
        line.split("=", 1)[1]
        for line in path.read_text().splitlines()
        if line.startswith(f"{key}=")
    ]


def test_units_verify_clean() -> None:
    analyze = need("systemd-analyze", "systemd")
    proc = subprocess.run(
        [analyze, "verify", str(SERVICE), str(TIMER)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr  # unknown keys only warn


def exec_start_argv() -> list[str]:
    """The service's ExecStart as systemd would run it: `$$` is systemd's `$`."""
    (line,) = unit_values(SERVICE, "ExecStart")
    return shlex.split(line.replace("$$", "$"))


def run_unit_command(bin_dir: Path, prom: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", COCKPIT_PROM=str(prom))
    return subprocess.run(exec_start_argv(), env=env, capture_output=True, text=True, timeout=120)


def fake_cockpit(bin_dir: Path, body: str) -> None:
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "cockpit"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)


def real_cockpit_on_incident(bin_dir: Path) -> None:
    """`cockpit` on PATH is the real one, judging the incident tree instead of this machine
    (the unit's own arguments come first, as written)."""
    root = SAMPLES / "weblogs-2011"
    fake_cockpit(
        bin_dir,
        f'PYTHONPATH={shlex.quote(str(REPO))} exec {shlex.quote(sys.executable)} -m cockpit "$@" '
        f"--root {shlex.quote(str(root))} --at {AT}",
    )


def test_the_unit_writes_atomically_and_keeps_the_last_good_file(tmp_path: Path) -> None:
    assert unit_values(SERVICE, "Environment") == [
        "COCKPIT_PROM=/var/lib/prometheus/node-exporter/cockpit.prom"
    ]
    textfiles = tmp_path / "textfiles"
    textfiles.mkdir()
    prom = textfiles / "cockpit.prom"
    bin_dir = tmp_path / "bin"
    real_cockpit_on_incident(bin_dir)
    proc = run_unit_command(bin_dir, prom)
    assert proc.returncode == 0, proc.stderr  # exit 2 (CRITICAL) is a result, written
    good = prom.read_text()
    assert good.endswith("# EOF\n") and 'host="weblogs-2011"' in good
    assert oct(prom.stat().st_mode & 0o777) == "0o644"  # node_exporter's user reads it
    assert sorted(p.name for p in textfiles.iterdir()) == ["cockpit.prom"]

    # A usage error, and a run killed halfway: neither replaces the good file.
    for body in (
        'echo "COCKPIT UNKNOWN - cockpit check: bad option"; exit 3',
        'printf "# HELP cockpit_up x\\n# TYPE cockpit_up gauge\\n"; kill -9 $$',
    ):
        fake_cockpit(bin_dir, body)
        proc = run_unit_command(bin_dir, prom)
        assert proc.returncode != 0, body
        assert prom.read_text() == good
        assert sorted(p.name for p in textfiles.iterdir()) == ["cockpit.prom"], body


def test_rules_check_and_their_unit_tests_pass() -> None:
    promtool = need("promtool", "prometheus")
    check = subprocess.run([promtool, "check", "rules", str(RULES)], capture_output=True, text=True)
    assert check.returncode == 0 and "SUCCESS: 3 rules found" in check.stdout, check
    test = subprocess.run(
        [promtool, "test", "rules", str(RULES_TEST)], capture_output=True, text=True, timeout=60
    )
    assert test.returncode == 0, test.stdout + test.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [("< 86400", "< 864000"), ("for: 1h", "for: 2h"), ("> 3600", "> 7200")],
)
def test_the_rule_tests_catch_a_changed_rule(tmp_path: Path, old: str, new: str) -> None:
    """The unit tests pin each rule: a 24 h window, the 1 h of UNKNOWN, the stale hour."""
    promtool = need("promtool", "prometheus")
    rules = RULES.read_text()
    assert old in rules
    (tmp_path / RULES.name).write_text(rules.replace(old, new))
    shutil.copy(RULES_TEST, tmp_path / RULES_TEST.name)
    test = subprocess.run(
        [promtool, "test", "rules", str(tmp_path / RULES_TEST.name)], capture_output=True
    )
    assert test.returncode != 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def node_exporter(textfiles: Path) -> Iterator[str]:
    """A real node_exporter on 127.0.0.1 with only its textfile collector; yields the
    metrics URL."""
    exe = need(NODE_EXPORTER, "prometheus-node-exporter")
    port = free_port()
    proc = subprocess.Popen(
        [
            exe,
            f"--web.listen-address=127.0.0.1:{port}",
            "--collector.disable-defaults",
            "--collector.textfile",
            f"--collector.textfile.directory={textfiles}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"node_exporter did not listen: {proc.stderr.read()!r}")  # type: ignore[union-attr]
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/metrics"
    finally:
        proc.terminate()
        proc.wait(10)


def scrape(url: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode("utf-8")
    return {
        f.name: [(dict(s.labels), s.value) for s in f.samples]
        for f in text_string_to_metric_families(text)
    }


def test_node_exporter_exports_what_the_unit_wrote(tmp_path: Path) -> None:
    textfiles = tmp_path / "textfiles"
    textfiles.mkdir()
    bin_dir = tmp_path / "bin"
    real_cockpit_on_incident(bin_dir)
    assert run_unit_command(bin_dir, textfiles / "cockpit.prom").returncode == 0
    with node_exporter(textfiles) as url:
        metrics = scrape(url)
    assert metrics["node_textfile_scrape_error"] == [({}, 0.0)]
    assert ({"host": "weblogs-2011", "verdict": "unbootable"}, 1.0) in metrics["cockpit_verdict"]
    armed = metrics["cockpit_next_reboot_timestamp_seconds"]
    assert armed == [
        ({"host": "weblogs-2011", "source": "root's crontab", "kind": "reboot"}, 1317370500.0)
    ]
    assert {name for name in metrics if name.startswith("cockpit_")} >= {
        "cockpit_up",
        "cockpit_status",
        "cockpit_findings",
        "cockpit_reboot_armed",
        "cockpit_collection_timestamp_seconds",
        "cockpit_collection_duration_seconds",
    }


def test_node_exporter_keeps_hostile_host_names(tmp_path: Path) -> None:
    states = [s for name in HOSTILE_NAMES for s in (named(name), down(name + "-down"))]
    (tmp_path / "cockpit.prom").write_text(
        openmetrics.render(states, generated()), encoding="utf-8"
    )
    with node_exporter(tmp_path) as url:
        metrics = scrape(url)
    assert metrics["node_textfile_scrape_error"] == [({}, 0.0)]
    assert len(metrics["cockpit_up"]) == 2 * len(HOSTILE_NAMES)
    hosts = {labels["host"] for labels, _ in metrics["cockpit_up"]}
    assert 'x\n# EOF\ncockpit_up{host="forged"} 1' in hosts and "forged" not in hosts

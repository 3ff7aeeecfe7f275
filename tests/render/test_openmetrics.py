"""`--format openmetrics` read back by prometheus_client's OpenMetrics parser and by
promtool: every family, the absent-means-unknown rule, boot stages, hostile host names."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families

from cockpit.parsers.text import clean
from cockpit.render import json_out, openmetrics
from cockpit.state import HostState
from tests.render.hostile import AT, HOSTILE_NAMES, down, generated, incident, named
from tests.support import REPO, SAMPLES, judge_root, run_cockpit

Samples = dict[str, list[tuple[dict[str, str], float]]]


def parse(text: str) -> Samples:
    """Family name -> [(labels, value)], through the reference OpenMetrics parser (it
    raises on anything that is not valid OpenMetrics, `# EOF` included)."""
    out: Samples = {}
    for family in text_string_to_metric_families(text):
        assert family.type == "gauge", family.name
        out[family.name] = [(dict(s.labels), s.value) for s in family.samples]
    return out


def by_host(samples: Samples, family: str) -> dict[str, dict[str, float]]:
    """{host: {the other labels joined: value}} for one family."""
    out: dict[str, dict[str, float]] = {}
    for labels, value in samples.get(family, []):
        host = labels.pop("host")
        out.setdefault(host, {})[",".join(f"{k}={v}" for k, v in sorted(labels.items()))] = value
    return out


@pytest.fixture(scope="module")
def fleet() -> list[HostState]:
    bootable = judge_root(SAMPLES / "debian12-systemd", AT)
    return [incident(), bootable, down("gone")]


def test_every_family_for_a_read_host_and_a_lost_one(fleet: list[HostState]) -> None:
    samples = parse(openmetrics.render(fleet, generated()))
    assert samples["cockpit_build_info"] == [({"version": json_out.__version__}, 1)]
    assert samples["cockpit_run_timestamp_seconds"] == [({}, generated().timestamp())]
    assert by_host(samples, "cockpit_up") == {
        "weblogs-2011": {"": 1},
        "debian12-systemd": {"": 1},
        "gone": {"": 0},
    }
    verdicts = by_host(samples, "cockpit_verdict")
    assert verdicts["weblogs-2011"] == {
        "verdict=bootable": 0,
        "verdict=unbootable": 1,
        "verdict=unknown": 0,
    }
    assert verdicts["debian12-systemd"]["verdict=bootable"] == 1
    assert verdicts["gone"]["verdict=unknown"] == 1
    status = by_host(samples, "cockpit_status")
    assert status["weblogs-2011"]["status=critical"] == 1
    assert sum(status["weblogs-2011"].values()) == 1 and len(status["gone"]) == 4
    findings = by_host(samples, "cockpit_findings")
    assert findings["weblogs-2011"]["severity=blocker"] == sum(
        1 for f in incident().findings if f.severity.value == "blocker"
    )
    assert set(findings["weblogs-2011"]) == {
        f"severity={s}" for s in ("blocker", "critical", "unknown", "warning", "info")
    }
    assert "gone" not in findings  # not read: no counts, a zero would read as "all clear"
    # 03:15 CDT on 2011-09-30, root's crontab: the incident's reboot.
    nxt = by_host(samples, "cockpit_next_reboot_timestamp_seconds")
    assert nxt == {"weblogs-2011": {"kind=reboot,source=root's crontab": 1317370500}}
    assert by_host(samples, "cockpit_reboot_armed") == {
        "weblogs-2011": {"kind=reboot,source=root's crontab": 1}
    }
    stamps = by_host(samples, "cockpit_collection_timestamp_seconds")
    assert set(stamps) == {"weblogs-2011", "debian12-systemd"}
    assert stamps["weblogs-2011"][""] == incident().snapshot.started.timestamp()  # type: ignore[union-attr]
    durations = by_host(samples, "cockpit_collection_duration_seconds")
    assert 0 < durations["weblogs-2011"][""] < 60
    stages = by_host(samples, "cockpit_boot_stage")
    assert set(stages) == {"weblogs-2011", "debian12-systemd"}
    # the engine's own chain: six stages, three states each, one of them 1
    assert len(stages["weblogs-2011"]) == 18 and sum(stages["weblogs-2011"].values()) == 6
    assert stages["weblogs-2011"]["stage=init-exec,state=broken"] == 1
    assert stages["debian12-systemd"]["stage=kernel,state=proven"] == 1


def test_units_and_the_closing_eof(fleet: list[HostState]) -> None:
    text = openmetrics.render(fleet, generated())
    assert text.endswith("\n# EOF\n")
    units = {f.name: f.unit for f in text_string_to_metric_families(text)}
    assert units["cockpit_next_reboot_timestamp_seconds"] == "seconds"
    assert units["cockpit_collection_duration_seconds"] == "seconds"
    assert units["cockpit_up"] == ""


@pytest.fixture
def with_boot_chain(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """The engine's coming `boot_chain` in the JSON host object, as the contract says it
    will look: [{stage, state, evidence, reason}]."""
    chain: list[Any] = []
    real = json_out.host_json

    def host_json(state: HostState) -> dict[str, Any]:
        return {**real(state), "boot_chain": chain}

    monkeypatch.setattr(json_out, "host_json", host_json)
    yield chain


def test_boot_stages_follow_the_json_boot_chain(with_boot_chain: list[Any]) -> None:
    with_boot_chain += [
        {"stage": "boot-entry", "state": "proven", "evidence": ["grub.cfg"], "reason": ""},
        {"stage": "init-exec", "state": "broken", "evidence": [], "reason": "no /sbin/init"},
        {"stage": "mounts", "state": "sideways", "evidence": [], "reason": "?"},
        {"state": "proven"},  # no stage name: skipped, never guessed
        "junk",
    ]
    samples = parse(openmetrics.render([incident()], generated()))
    stages = by_host(samples, "cockpit_boot_stage")["weblogs-2011"]
    assert stages == {
        "stage=boot-entry,state=proven": 1,
        "stage=boot-entry,state=broken": 0,
        "stage=boot-entry,state=unknown": 0,
        "stage=init-exec,state=proven": 0,
        "stage=init-exec,state=broken": 1,
        "stage=init-exec,state=unknown": 0,
        "stage=mounts,state=proven": 0,
        "stage=mounts,state=broken": 0,
        "stage=mounts,state=unknown": 1,  # a state nobody defined is not a proof
    }


def expected_label(name: str) -> str:
    """What a reader gets back: the name as the text output shows it (`clean()`), with
    bytes that are not UTF-8 as U+FFFD."""
    if "\udcff" in name:
        return name.replace("\udcff\udcfe", "\ufffd\ufffd")
    return clean(name)


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_hostile_host_names_stay_label_values(name: str) -> None:
    text = openmetrics.render([named(name), down(name + "-down")], generated())
    text.encode("utf-8")  # no lone surrogate reaches the file
    assert "\x1b" not in text and "\x07" not in text
    samples = parse(text)
    up = by_host(samples, "cockpit_up")
    assert up == {expected_label(name): {"": 1}, expected_label(name) + "-down": {"": 0}}
    for family in samples:
        hosts = {labels.get("host") for labels, _ in samples[family]} - {None}
        assert hosts <= set(up), family  # nothing forged a host (or a family)
    assert set(samples) >= {"cockpit_verdict", "cockpit_next_reboot_timestamp_seconds"}


def test_hostile_names_pass_promtool(tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is not installed (apt-get install prometheus)")
    states = [s for name in HOSTILE_NAMES for s in (named(name), down(name + "-down"))]
    text = openmetrics.render(states, generated())
    proc = subprocess.run(
        [promtool, "check", "metrics"], input=text.encode(), capture_output=True, timeout=60
    )
    assert proc.returncode == 0 and proc.stdout == b"" and proc.stderr == b"", proc


def test_promtool_catches_a_broken_exposition() -> None:
    """The promtool check above can fail: an unescaped quote is rejected."""
    bad = '# HELP cockpit_up x\n# TYPE cockpit_up gauge\ncockpit_up{host="a"b"} 1\n# EOF\n'
    proc = subprocess.run(["promtool", "check", "metrics"], input=bad.encode(), capture_output=True)
    assert proc.returncode != 0


def test_cli_format_openmetrics_on_a_sample_tree() -> None:
    proc = run_cockpit(
        "check", "--root", str(SAMPLES / "weblogs-2011"), "--at", AT, "--format", "openmetrics"
    )
    assert proc.returncode == 2, proc.stderr  # the exit code stays the plugin's
    assert proc.stderr == ""
    verdicts = by_host(parse(proc.stdout), "cockpit_verdict")
    assert verdicts["weblogs-2011"]["verdict=unbootable"] == 1


def test_cli_names_a_hostile_root_directory_safely(tmp_path: Path) -> None:
    """A --root directory named with a newline and a quote, a symlink to a sample tree."""
    link = tmp_path / 'evil\n# EOF\n"x'
    link.symlink_to(REPO / "sample_hosts" / "debian12-systemd")
    proc = run_cockpit("check", "--root", str(link), "--at", AT, "--format", "openmetrics")
    up = by_host(parse(proc.stdout), "cockpit_up")
    assert list(up) == ['evil\n# EOF\n"x']

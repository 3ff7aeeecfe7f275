"""`--format nagios` against the monitoring-plugins conventions, read by their own tools:
Debian's monitoring-plugins-common (utils.sh: the STATE_* codes, `check_range`) and
libmonitoring-plugin-perl (Monitoring::Plugin::Performance, the perfdata parser that
graphers built on the plugins use). Hostile host names are the OpenMetrics test's."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cockpit.render import nagios, text_out
from cockpit.state import HostState
from tests.render.hostile import AT, HOSTILE_NAMES, down, incident, named
from tests.support import SAMPLES, judge_root, run_cockpit

UTILS_SH = Path("/usr/lib/nagios/plugins/utils.sh")
PERFDATA_PL = r"""
use strict; use warnings;
use Monitoring::Plugin::Performance use_die => 1;
my $s = do { local $/; <STDIN> };
for my $p (Monitoring::Plugin::Performance->parse_perfstring($s)) {
  my $t = $p->threshold;
  print join("\t", $p->label, $p->value, $p->uom // '',
    ($t->warning->is_set ? $t->warning : ''), ($t->critical->is_set ? $t->critical : ''),
    $p->min // '', $p->max // ''), "\n";
}
"""


def perl_perfdata(perfdata: str) -> list[list[str]]:
    """Each item as Monitoring::Plugin parsed it: label, value, uom, warn, crit, min, max."""
    proc = subprocess.run(
        ["perl", "-e", PERFDATA_PL], input=perfdata, capture_output=True, text=True, timeout=30
    )
    if "Can't locate Monitoring/Plugin" in proc.stderr:
        pytest.fail("apt-get install libmonitoring-plugin-perl")
    assert proc.returncode == 0, proc.stderr
    return [line.split("\t") for line in proc.stdout.splitlines()]


def utils_sh(snippet: str) -> subprocess.CompletedProcess[str]:
    if not UTILS_SH.is_file():
        pytest.fail("apt-get install monitoring-plugins-common (utils.sh)")
    return subprocess.run(
        ["sh", "-c", f". {UTILS_SH}; {snippet}"], capture_output=True, text=True, timeout=30
    )


def split_plugin_output(out: str) -> tuple[str, str, list[str]]:
    """As the plugin reader does: status text | perfdata on line 1, then long output."""
    first, *long_output = out.rstrip("\n").split("\n")
    text, bar, perf = first.partition("|")
    assert bar, first
    return text.strip(), perf.strip(), long_output


@pytest.fixture(scope="module")
def bootable() -> HostState:
    return judge_root(SAMPLES / "debian12-systemd", AT)


def test_cli_status_line_perfdata_and_long_output() -> None:
    proc = run_cockpit(
        "check", "--format", "nagios", "--at", AT,
        "--root", str(SAMPLES / "weblogs-2011"), "--root", str(SAMPLES / "debian12-systemd"),
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stderr == ""
    text, perf, long_output = split_plugin_output(proc.stdout)
    assert text == (
        "COCKPIT CRITICAL - 1 of 2 host(s) UNBOOTABLE: weblogs-2011 "
        "(init.boot-init-missing; reboot at 03:15 CDT in 4h15m)"
    )
    assert perl_perfdata(perf) == [
        ["bootable", "1", "", "", "", "0", "2"],
        ["unbootable", "1", "", "", "0", "0", "2"],
        ["unknown", "0", "", "", "", "0", "2"],
        ["next_reboot", "15300", "s", "", "", "", ""],
    ]
    assert long_output == [
        "weblogs-2011: UNBOOTABLE (critical); init.boot-init-missing: next boot has no init: "
        "/sbin/init does not exist; next reboot at 03:15 CDT in 4h15m",
        "debian12-systemd: BOOTABLE (ok); no reboot armed",
    ]


def test_exit_codes_are_the_plugins_states() -> None:
    proc = utils_sh('echo "$STATE_OK $STATE_WARNING $STATE_CRITICAL $STATE_UNKNOWN"')
    ok, warning, critical, unknown = map(int, proc.stdout.split())
    assert {
        "ok": ok,
        "warning": warning,
        "critical": critical,
        "unknown": unknown,
    } == nagios.STATUS_CODE
    assert nagios.exit_code([]) == unknown


@pytest.mark.parametrize("unbootable", [True, False])
def test_critical_ranges_alert_exactly_when_the_plugin_is_critical(
    unbootable: bool, bootable: HostState
) -> None:
    """utils.sh's `check_range VALUE RANGE` succeeds when the value raises an alert."""
    states = [incident() if unbootable else bootable, bootable]
    _, perf, _ = split_plugin_output(nagios.render(states))
    crit = {item[0]: (item[1], item[4]) for item in perl_perfdata(perf) if item[4]}
    assert set(crit) == {"unbootable"}
    value, limit = crit["unbootable"]
    alert = utils_sh(f"check_range {value} {limit}").returncode == 0
    assert alert is unbootable
    assert (nagios.exit_code(states) == 2) is alert


def test_next_reboot_unknown_time_is_u_and_the_rest_still_parses() -> None:
    state = incident()
    armed = state.next_reboot
    assert armed is not None
    import dataclasses

    state = dataclasses.replace(state, next_reboot=dataclasses.replace(armed, at=None))
    _, perf, _ = split_plugin_output(nagios.render([state]))
    assert perf.endswith(" 'next_reboot'=U")  # the guidelines' "undetermined"
    assert [item[0] for item in perl_perfdata(perf)] == ["bootable", "unbootable", "unknown"]


def test_text_format_first_line_is_the_nagios_line(bootable: HostState) -> None:
    states = [incident(), bootable, down("gone")]
    assert text_out.render(states).split("\n")[0] == nagios.render(states).split("\n")[0]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_hostile_host_names_cannot_break_the_plugin_output(name: str) -> None:
    out = nagios.render([named(name), down(name + "-down")])
    assert "\x1b" not in out and "\x07" not in out
    text, perf, long_output = split_plugin_output(out)
    assert out.split("\n")[0].count("|") == 1  # the one that starts perfdata
    assert len(long_output) == 2 and not any("|" in line for line in long_output)
    assert nagios.plugin_text(name) in text
    assert long_output[1].startswith(nagios.plugin_text(name) + "-down: UNKNOWN")
    labels = [item[0] for item in perl_perfdata(perf)]
    assert labels == ["bootable", "unbootable", "unknown", "next_reboot"]


@pytest.mark.parametrize("label", ["it's", "a=b", "x | y", "new\nline", "sp ace"])
def test_a_perfdata_label_stays_one_item(label: str) -> None:
    items = perl_perfdata(nagios.perf("bootable", "1") + " " + nagios.perf(label, "7", lo="0"))
    assert len(items) == 2 and items[1][1:] == ["7", "", "", "", "0", ""]
    assert "'" not in items[1][0] and "=" not in items[1][0]


def test_the_guidelines_doubled_quote_is_dropped_by_the_perl_reader() -> None:
    """Why perf_label() replaces a quote instead of doubling it (and proof the label test
    above can fail): Monitoring::Plugin drops an item whose label has a doubled quote."""
    assert len(perl_perfdata("'bootable'=1 'it''s'=7;;;0")) == 1


def test_utils_sh_is_the_debian_one() -> None:
    assert shutil.which("perl") is not None
    assert "STATE_UNKNOWN=3" in UTILS_SH.read_text()

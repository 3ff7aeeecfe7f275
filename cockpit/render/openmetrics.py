"""`cockpit check --format openmetrics`: the verdict as metrics for Prometheus.

Each host judges itself on a timer, node_exporter's textfile collector exports the file,
and Prometheus and Alertmanager do the fleet (contrib/ has the units and example rules).

The output is OpenMetrics text that the Prometheus text format (0.0.4) reads too, because
node_exporter's textfile collector parses the older format: gauges only, no `stateset`
type, and the OpenMetrics-only lines (`# UNIT`, `# EOF`) are comments to that parser.

What the families say, and why they are shaped this way:
- a fact with a few possible values (verdict, status, a boot stage's state) is one series
  per value with `1` on the current one, so a rule selects `{verdict="unbootable"} == 1`
  and a change of value is a change of series value, never a vanished series;
- absence means unknown: a host that could not be read has `cockpit_up 0` and verdict
  `unknown`, and no finding counts (a zero would read as "nothing wrong");
- times are Unix timestamps, never ages: a file written at 03:00 and scraped at 03:07
  would lie about an age, while `time() - cockpit_collection_timestamp_seconds` is right
  whenever it is evaluated.

Host text in label values (host names, a reboot's source) goes through `clean()`, as in
the text output, so a terminal that shows a scrape shows no escape sequence, and then
the exposition's own escaping (backslash, double quote, newline). Text that is not valid
UTF-8 (a directory name off a foreign disk) has its undecodable bytes replaced: a
parser rejects the whole file for one invalid label value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cockpit import __version__
from cockpit.parsers.text import clean
from cockpit.render import json_out
from cockpit.state import HostState
from cockpit.words import Status, Verdict

VERDICTS = tuple(Verdict)
STATUSES = tuple(Status)
SEVERITIES = ("blocker", "critical", "unknown", "warning", "info")
STAGE_STATES = ("proven", "broken", "unknown")


def escape_label_value(text: str) -> str:
    """A label value that cannot end its quotes, its line or its file early."""
    shown = clean(text).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return shown.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def format_value(value: float) -> str:
    """Integers without a fraction; other numbers as Python's shortest round-trip repr."""
    if float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


@dataclass
class Family:
    """One metric family: its metadata and the samples gathered for every host."""

    name: str
    help: str
    unit: str = ""
    samples: list[tuple[dict[str, str], float]] = field(default_factory=list)

    def add(self, labels: Mapping[str, str], value: float) -> None:
        self.samples.append((dict(labels), value))

    def lines(self) -> list[str]:
        if not self.samples:
            return []
        out = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} gauge"]
        if self.unit:
            out.append(f"# UNIT {self.name} {self.unit}")
        for labels, value in self.samples:
            body = ",".join(f'{k}="{escape_label_value(v)}"' for k, v in labels.items())
            out.append(
                f"{self.name}{{{body}}} {format_value(value)}"
                if body
                else f"{self.name} {format_value(value)}"
            )
        return out


def _families() -> dict[str, Family]:
    specs = (
        ("cockpit_build_info", "The cockpit that wrote this file.", ""),
        ("cockpit_run_timestamp_seconds", "When cockpit check wrote this file.", "seconds"),
        ("cockpit_up", "1 if the host was read this run, 0 if it could not be.", ""),
        ("cockpit_verdict", "Will the next boot succeed: 1 on the current verdict.", ""),
        ("cockpit_status", "The host's monitoring status: 1 on the current one.", ""),
        ("cockpit_findings", "Findings by severity (absent when the host was not read).", ""),
        ("cockpit_reboot_armed", "1 while a reboot (or poweroff) is armed on the host.", ""),
        (
            "cockpit_next_reboot_timestamp_seconds",
            "When the armed reboot fires (absent when its time is not known).",
            "seconds",
        ),
        ("cockpit_boot_stage", "Each boot-chain stage: 1 on its current state.", ""),
        (
            "cockpit_collection_timestamp_seconds",
            "When the host's data was read (data age: time() minus this).",
            "seconds",
        ),
        (
            "cockpit_collection_duration_seconds",
            "How long reading the host took.",
            "seconds",
        ),
    )
    return {name: Family(name, text, unit) for name, text, unit in specs}


def _one_of(family: Family, host: str, key: str, values: Iterable[str], current: str) -> None:
    for value in values:
        family.add({"host": host, key: value}, 1 if value == current else 0)


def boot_stages(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(stage, state) pairs from a host's JSON `boot_chain`, when the engine provides one.
    Malformed entries are skipped rather than guessed at; an unknown state is `unknown`."""
    chain = doc.get("boot_chain")
    if not isinstance(chain, list):
        return []
    out = []
    for entry in chain:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("stage"), str):
            continue
        state = entry.get("state")
        out.append((entry["stage"], state if state in STAGE_STATES else "unknown"))
    return out


def _add_host(fam: dict[str, Family], state: HostState) -> None:
    doc = json_out.host_json(state)  # the JSON contract: what it gains, metrics can follow
    host = state.name
    read = state.snapshot is not None and state.error is None
    fam["cockpit_up"].add({"host": host}, 1 if read else 0)
    _one_of(fam["cockpit_verdict"], host, "verdict", VERDICTS, state.verdict)
    _one_of(fam["cockpit_status"], host, "status", STATUSES, state.status)
    if read:
        counts = {s: 0 for s in SEVERITIES}
        for f in state.findings:
            counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
        for severity, n in counts.items():
            fam["cockpit_findings"].add({"host": host, "severity": severity}, n)
    nxt = state.next_reboot
    if read and nxt is not None:
        labels = {"host": host, "source": nxt.source, "kind": nxt.kind}
        fam["cockpit_reboot_armed"].add(labels, 1)
        if nxt.at is not None:
            fam["cockpit_next_reboot_timestamp_seconds"].add(labels, nxt.at.timestamp())
    for stage, current in boot_stages(doc):
        for value in STAGE_STATES:
            fam["cockpit_boot_stage"].add(
                {"host": host, "stage": stage, "state": value}, 1 if value == current else 0
            )
    if state.snapshot is not None:
        snap = state.snapshot
        fam["cockpit_collection_timestamp_seconds"].add({"host": host}, snap.started.timestamp())
        fam["cockpit_collection_duration_seconds"].add(
            {"host": host}, round(max(snap.duration_s, 0.0), 6)
        )


def render(states: Sequence[HostState], generated: datetime) -> str:
    """The whole exposition, ending with `# EOF` (a cut file is then detectable)."""
    fam = _families()
    fam["cockpit_build_info"].add({"version": __version__}, 1)
    fam["cockpit_run_timestamp_seconds"].add({}, round(generated.timestamp(), 3))
    for state in states:
        _add_host(fam, state)
    lines = [line for family in fam.values() for line in family.lines()]
    return "\n".join([*lines, "# EOF"]) + "\n"

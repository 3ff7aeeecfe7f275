"""Will sshd start at the next boot? Configuration, host keys, and the start files.

Asked only when sshd is enabled under the rc system that will boot (services/__init__.py
answers that); this module asks whether, once started, it stays up:
- the configuration passes what `sshd -t` checks that files can show (facts/sshd.py,
  parsers/services/sshd_config.py);
- at least one host key loads, or the start path generates keys first (sshd exits with
  "no hostkeys available" otherwise);
- Debian's /etc/ssh/sshd_not_to_be_run is absent (its units and scripts skip sshd);
- live and as root, `sshd -t` itself agrees (optional; it wins over the static check,
  except for "Missing privilege separation directory", which the unit creates at start).

Severities: sshd enabled but failing at start is CRITICAL with stage remote-access (the
host boots, unreachable); what cannot be told is UNKNOWN (not boot-critical: remote
access feeds the status, not the verdict); deprecated or unsupported keywords sshd only
logs are INFO. The prover of the remote-access stage reads the same judgement
(`judge_start`), so the chain and the findings never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.facts import HostFacts
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity

AREA = "services"
#: Enabled units/scripts that start OpenSSH's sshd (dropbear and tinysshd are not checked).
OPENSSH = ("ssh", "sshd", "openssh-server")
#: Enablements for which services/__init__.py already reports a missing sshd_config.
_REPORTED = ("ssh.service", "sshd.service", "ssh", "sshd")
_PRIVSEP = "Missing privilege separation directory"
_NO_KEYS = ("no hostkeys available", "No host key files found")


@dataclass(frozen=True)
class StartJudgement:
    """`state`: ok | fails | unknown | skipped (not OpenSSH's sshd, or not enabled)."""

    state: str
    reason: str
    evidence: tuple[str, ...] = ()
    failures: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (finding id, title, evidence)


def _is_openssh(what: str | None) -> bool:
    if not what:
        return False
    base = what.split("@")[0].removesuffix(".service").removesuffix(".socket")
    return base in OPENSSH


def judge_start(facts: HostFacts, rc: str) -> StartJudgement:
    """Will OpenSSH's sshd, enabled under `rc`, start at the next boot?"""
    svc = facts.services
    view = svc.view(rc)
    if view.sshd.state != "enabled":
        return StartJudgement("skipped", f"sshd is {view.sshd.state} under {rc}")
    if not _is_openssh(view.sshd.what):
        return StartJudgement(
            "unknown", f"{view.sshd.what}: only OpenSSH's configuration and keys are checked"
        )
    sd = svc.sshd
    failures: list[tuple[str, str, tuple[str, ...]]] = []
    unknown: list[str] = []
    ev: list[str] = []
    if svc.sshd_paths == () and svc.sshd_installed is not None:
        failures.append(
            (
                "sshd-binary-missing",
                f"sshd is enabled ({view.sshd.what}) but no sshd binary is installed",
                ("no /usr/sbin/sshd, /usr/bin/sshd, /sbin/sshd or /usr/local/sbin/sshd",),
            )
        )
    if svc.sshd_stop_file:
        failures.append(
            (
                "sshd-not-to-be-run",
                "/etc/ssh/sshd_not_to_be_run exists: sshd's unit and init script skip sshd",
                ("/etc/ssh/sshd_not_to_be_run: present",),
            )
        )
    if sd.state == "ok":
        files = ", ".join(sd.files[:4]) + (" ..." if len(sd.files) > 4 else "")
        ev.append(
            f"sshd_config: {sd.directives} directive(s) in {files}, checked as sshd reads them"
        )
        ev.append(f"sshd release: {sd.version or 'unknown'} ({sd.version_evidence})")
        fatal = sd.level("fatal")
        if fatal:
            failures.append(
                (
                    "sshd-config-invalid",
                    f"sshd is enabled but refuses its configuration: {fatal[0].text}",
                    tuple(f"{i.where}  -> {i.text}" for i in fatal[:8]),
                )
            )
        unknown.extend(f"{i.where}  -> {i.text}" for i in sd.level("unknown")[:6])
    elif sd.state == "absent":
        failures.append(
            (
                "sshd-config-missing",
                "sshd is enabled but /etc/ssh/sshd_config is missing: sshd will not start",
                ("/etc/ssh/sshd_config: (no such file)", *view.sshd.evidence[:2]),
            )
        )
    else:
        unknown.append(f"/etc/ssh/sshd_config: not read ({sd.state})")
    keys = _keys(facts, rc)
    if keys[0] == "fails":
        failures.append(("sshd-host-keys-missing", keys[1], keys[2]))
    elif keys[0] == "unknown":
        unknown.append(keys[1])
    else:
        ev.append(keys[1])
    _live_test(sd.test, facts, rc, failures, unknown, ev)
    if failures:
        return StartJudgement("fails", failures[0][1], tuple(ev), tuple(failures))
    if unknown:
        return StartJudgement(
            "unknown", "whether sshd starts cannot be told from its files", (*unknown, *ev)
        )
    return StartJudgement("ok", "sshd's configuration and host keys pass", tuple(ev))


def _keys(facts: HostFacts, rc: str) -> tuple[str, str, tuple[str, ...]]:
    sd = facts.services.sshd
    shown = tuple(f"{k.path}: {k.state}" for k in sd.keys)
    usable = sd.usable_keys
    if usable:
        return "ok", f"host keys ({sd.keys_from}): " + ", ".join(k.path for k in usable), shown
    if any(k.state not in ("absent", "empty", "dangling", "notfile") for k in sd.keys):
        return "unknown", "host keys: " + "; ".join(shown), shown
    if sd.key_agent:
        return "unknown", f"no host key file, HostKeyAgent {sd.key_agent}: not checked", shown
    regen = sd.regen_for(rc)
    if regen.state == "yes":
        return "ok", f"no host key yet; generated at boot: {regen.how}", (*shown, *regen.evidence)
    if regen.state == "unknown":
        return (
            "unknown",
            "no host key, and whether the boot generates them is unknown",
            (
                *shown,
                *regen.evidence,
            ),
        )
    title = (
        "sshd is enabled but has no host key and nothing at boot generates one: "
        'it will exit with "no hostkeys available"'
    )
    return "fails", title, (*shown, *regen.evidence)


def _live_test(test, facts: HostFacts, rc: str, failures, unknown, ev) -> None:  # type: ignore[no-untyped-def]
    """What the live host itself says wins over the static check: the running sshd
    started after every file it reads last changed (it loaded them), or `sshd -t`
    (as root) passed or failed. A static "fatal" the host contradicts is the table's
    mistake, kept as evidence only."""
    sd = facts.services.sshd
    if sd.running == "unchanged" or test.state in ("ok", "unchanged"):
        if sd.running == "unchanged":
            ev.append(
                f"sshd (pid {sd.running_pid}) runs and started after every file it reads last "
                "changed: it loaded this very configuration and these keys"
            )
            if sd.state == "denied":
                ev.append(
                    "/etc/ssh/sshd_config is not readable here: compared by modification "
                    "time only, with everything in /etc/ssh/sshd_config.d"
                )
        if test.state == "ok":
            ev.append("sshd -t (live, as root): configuration and keys load")
        for failure in [f for f in failures if f[0] == "sshd-config-invalid"]:
            failures.remove(failure)
            ev.append(f"static check disagreed, the host wins: {failure[1]}")
        unknown.clear()
        return
    if sd.running == "changed":
        ev.append("changed since the running sshd started: " + ", ".join(sd.changed[:4]))
    if test.state != "failed":
        return
    lines = [ln for ln in test.output if _PRIVSEP not in ln]
    regen = sd.regen_for(rc).state == "yes"
    if regen:
        lines = [ln for ln in lines if not any(n in ln for n in _NO_KEYS)]
    if not lines:
        ev.append(f"sshd -t (live): {'; '.join(test.output[:2])} (created at start: not a fault)")
        return
    if "sshd-config-invalid" not in {f[0] for f in failures}:
        failures.append(
            (
                "sshd-config-invalid",
                f"sshd -t rejects the configuration: {lines[0]}",
                tuple(f"sshd -t (live, as root, exit {test.rc}): {ln}" for ln in lines[:6]),
            )
        )


_REMEDY = {
    "sshd-config-invalid": (
        "Fix the line(s) quoted in the evidence, then run `sshd -t` as root until it prints "
        "nothing, before any reboot."
    ),
    "sshd-host-keys-missing": (
        "Generate the host keys now: `ssh-keygen -A` (as root), then `sshd -t`. Clients will "
        "see a new host key: tell them the new fingerprints (`ssh-keygen -lf KEY.pub`)."
    ),
    "sshd-not-to-be-run": "If sshd should run: `rm /etc/ssh/sshd_not_to_be_run`.",
    "sshd-config-missing": "Restore it (e.g. apt install --reinstall openssh-server).",
    "sshd-binary-missing": "Reinstall the SSH server (apt install --reinstall openssh-server).",
}


def sshd_findings(facts: HostFacts, rc: str | None) -> list[Finding]:
    """CRITICAL per way sshd fails at start, UNKNOWN when that cannot be told, INFO for
    what sshd only logs."""
    if rc is None:
        return []
    judged = judge_start(facts, rc)
    out: list[Finding] = []
    for fid, title, evidence in judged.failures:
        if fid == "sshd-config-missing" and facts.services.view(rc).sshd.what in _REPORTED:
            continue  # services.sshd-config-missing (services/__init__.py) says it already
        out.append(
            Finding(
                f"{AREA}.{fid}",
                AREA,
                Severity.CRITICAL,
                f"{title}: the host would come back unreachable",
                evidence,
                _REMEDY[fid],
                stage=Stage.REMOTE_ACCESS,
            )
        )
    if judged.state == "unknown":
        out.append(
            Finding(
                f"{AREA}.sshd-start-unknown",
                AREA,
                Severity.UNKNOWN,
                f"cannot tell whether sshd will start at the next boot: {judged.reason}",
                judged.evidence[:10],
                "Run `sshd -t` as root on the host (or let cockpit run it with sudo).",
                stage=Stage.REMOTE_ACCESS,
            )
        )
    logged = facts.services.sshd.level("warning")
    if logged and judged.state != "skipped":
        out.append(
            Finding(
                f"{AREA}.sshd-config-deprecated",
                AREA,
                Severity.INFO,
                f"sshd logs {len(logged)} deprecated or unsupported option(s) at start "
                "(it starts anyway)",
                tuple(f"{i.where}  -> {i.text}" for i in logged[:6]),
                "Remove the lines when convenient; they do nothing.",
            )
        )
    return out

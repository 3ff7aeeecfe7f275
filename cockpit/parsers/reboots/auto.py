"""Package updaters set to reboot by themselves: unattended-upgrades and dnf-automatic.

These are policies, not events, and whether they fire depends on two settings at once
(the reboot option AND the updater actually running), so both are read and kept with
their lines as evidence. apt.conf is parsed as apt does (scopes, comments, later files
override earlier ones), since a grep for "Automatic-Reboot" is fooled by comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cockpit.facts.reboots import AutoReboot
from cockpit.parsers.reads import reads
from cockpit.parsers.reboots.sections import ini, per_file
from cockpit.parsers.text import ls_entries
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "reboots.apt",
    "reboots.dnf",
    "reboots.dnf.timers",
)

# apt skips these names in apt.conf.d (backups, package manager leftovers).
_APT_IGNORED = re.compile(r"(~|\.disabled|\.bak|\.dpkg-[a-z]+|\.ucf-[a-z]+|\.save|\.orig)$")


def auto_reboots(sections: Sections) -> list[AutoReboot]:
    """Every updater configured to reboot the host (apt first, then dnf)."""
    out: list[AutoReboot] = []
    apt = _unattended_upgrades(sections)
    if apt:
        out.append(apt)
    dnf = _dnf_automatic(sections)
    if dnf:
        out.append(dnf)
    return out


def _apt_tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """apt.conf tokens (kind, value, line number): word, string, `{`, `}`, `;`."""
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i) or (
            c == "#" and not text.startswith(("#include", "#clear"), i)
        ):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            end = n if j < 0 else j + 2
            line += text.count("\n", i, end)
            i = end
        elif c == '"':
            j = text.find('"', i + 1)
            end = n if j < 0 else j
            yield "string", text[i + 1 : end], line
            line += text.count("\n", i, end)
            i = end + 1
        elif c in "{};":
            yield c, c, line
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '{};"':
                j += 1
            yield "word", text[i:j], line
            i = j


def apt_config(files: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Flatten apt.conf fragments: lower-cased `A::B::C` -> (value, "path: line")."""
    out: dict[str, tuple[str, str]] = {}
    for path, text in files:
        lines = text.splitlines()
        scope: list[str] = []
        pending: tuple[str, int] | None = None
        for kind, value, num in _apt_tokens(text):
            if kind == "word":
                pending = (value, num)
            elif kind == "string" and pending is not None:
                key = "::".join([*scope, pending[0]]).lower()
                raw = lines[pending[1] - 1].strip() if 0 < pending[1] <= len(lines) else ""
                out[key] = (value, f"{path}: {raw}")
                pending = None
            elif kind == "{":
                scope.append(pending[0] if pending else "")
                pending = None
            elif kind == "}":
                if scope:
                    scope.pop()
                pending = None
            elif kind == ";":
                pending = None
    return out


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on", "always")


def _unattended_upgrades(sections: Sections) -> AutoReboot | None:
    files = sorted(
        (path, sec.text)
        for path, sec in per_file(sections, "reboots.apt")
        if sec.ok and not _APT_IGNORED.search(path)
    )
    conf = apt_config(files)
    reboot = conf.get("unattended-upgrade::automatic-reboot")
    if not (reboot and _truthy(reboot[0])):
        return None
    periodic = conf.get("apt::periodic::unattended-upgrade")
    enable = conf.get("apt::periodic::enable")
    uu_on = (
        periodic is not None
        and periodic[0].strip() not in ("", "0")
        and not (enable is not None and enable[0].strip() == "0")
    )
    time = conf.get("unattended-upgrade::automatic-reboot-time")
    users = conf.get("unattended-upgrade::automatic-reboot-withusers")
    evidence = [reboot[1]] + [v[1] for v in (time, users, periodic, enable) if v]
    return AutoReboot(
        "unattended-upgrades",
        "true",
        uu_on,
        time[0].strip() if time and time[0].strip() != "now" else None,
        None if users is None else _truthy(users[0]),
        tuple(evidence),
    )


def _dnf_automatic(sections: Sections) -> AutoReboot | None:
    dnf = sections.get_section("reboots.dnf")
    if not dnf.ok:
        return None
    cmds = {k: (v, raw) for k, v, raw in ini(dnf.text).get("commands", [])}
    mode = cmds.get("reboot", ("never", ""))[0].strip().lower()
    if mode not in ("when-needed", "when-changed"):
        return None
    timers = sections.get_section("reboots.dnf.timers")
    names = set(ls_entries(timers.text)) if timers.ok else None
    applies = _truthy(cmds.get("apply_updates", ("no", ""))[0])
    enabled: bool | None
    if names is None:
        enabled = None
    else:
        enabled = "dnf-automatic-install.timer" in names or (
            applies and bool(names & {"dnf-automatic.timer", "dnf5-automatic.timer"})
        )
    evidence = [f"/etc/dnf/automatic.conf: {cmds['reboot'][1]}"]
    if "apply_updates" in cmds:
        evidence.append(f"/etc/dnf/automatic.conf: {cmds['apply_updates'][1]}")
    evidence.extend(f"/etc/systemd/system/timers.target.wants/{n}" for n in sorted(names or ()))
    return AutoReboot("dnf-automatic", mode, enabled, None, None, tuple(evidence))

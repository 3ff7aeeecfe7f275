"""reboots parser: sections -> RebootFacts. Pure and total.

Reading states are kept (SourceState): a crontab spool we could not read means "whether a
reboot is scheduled is unknown", never "none scheduled". Cron line syntax lives in
parsers/cron.py; this module knows where things are and what the other sources say.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cockpit.facts.reboots import (
    AtReboot,
    AutoReboot,
    CronReboot,
    RebootFacts,
    RebootFlag,
    ScheduledShutdown,
    SourceState,
    TimerReboot,
)
from cockpit.parsers import cron
from cockpit.parsers.text import key_values, ls_entries
from cockpit.snapshot import Section, Sections

_UNREADABLE = ("denied", "missing", "error", "timeout", "notfile")
_SPOOLS = (
    "reboots.spool.crontabs",
    "reboots.spool.cron",
    "reboots.spool.tabs",
    "reboots.spool.busybox",
)
_RUN_PARTS = ("hourly", "daily", "weekly", "monthly")
_AT_SPOOLS = ("reboots.at.deb", "reboots.at.rh", "reboots.at.suse")
_AT_NAME = re.compile(r"^([A-Za-z=])([0-9a-f]{5})([0-9a-f]{8})$")
# run-parts (Debian) and Debian cron's cron.d only run names made of these characters.
_RUN_PARTS_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_APT_IGNORED = re.compile(r"(~|\.disabled|\.bak|\.dpkg-[a-z]+|\.ucf-[a-z]+|\.save|\.orig)$")


def _files(sections: Sections, prefix: str) -> Iterator[tuple[str, Section]]:
    """(path, section) for per-file sections `prefix:/path`, each path once."""
    seen: set[str] = set()
    for sec in sections.prefixed(prefix):
        path = sec.name.split(":", 1)[1]
        if path not in seen:
            seen.add(path)
            yield path, sec


def _basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _state(sec: Section) -> str:
    return "truncated" if sec.ok and sec.truncated else sec.state


def _cron_file(
    text: str, path: str, source: str, system: bool, user: str | None
) -> tuple[list[CronReboot], list[tuple[str, cron.CronLine]]]:
    """Reboot jobs of one crontab, and its lines that run run-parts directories."""
    jobs: list[CronReboot] = []
    runners: list[tuple[str, cron.CronLine]] = []
    for job in cron.job_lines(text, system):
        found = cron.reboot_kind(job.command)
        if found:
            jobs.append(
                CronReboot(source, path, job.line, job.user or user, job.spec, job.zone, *found)
            )
        directory = cron.run_parts_dir(job.command)
        if directory:
            runners.append((directory, job))
    return jobs, runners


def _crontabs(sections: Sections, debian: bool, out: list, states: list, runners: list) -> None:
    main = sections.get_section("reboots.crontab")
    states.append(SourceState("/etc/crontab", _state(main), "system crontab"))
    if main.ok:
        jobs, run = _cron_file(main.text, "/etc/crontab", "/etc/crontab", True, None)
        out.extend(jobs)
        runners.extend(run)
    listing = sections.get_section("reboots.crond")
    states.append(SourceState("/etc/cron.d", _state(listing), "system crontabs"))
    for path, sec in _files(sections, "reboots.crond"):
        if debian and not _RUN_PARTS_NAME.match(_basename(path)):
            continue  # Debian cron ignores cron.d names with dots (x.dpkg-old)
        if not sec.ok:
            states.append(SourceState(path, _state(sec), "system crontab"))
            continue
        jobs, run = _cron_file(sec.text, path, path, True, None)
        out.extend(jobs)
        runners.extend(run)
    seen: set[str] = set()  # Alpine: /var/spool/cron/crontabs is a link to /etc/crontabs
    for name in _SPOOLS:
        listing = sections.get_section(name)
        if listing.state != "absent":
            states.append(SourceState(name, _state(listing), "user crontabs"))
        for path, sec in _files(sections, name):
            if path in seen:
                continue
            seen.add(path)
            user = _basename(path)
            if not sec.ok:
                states.append(SourceState(path, _state(sec), f"{user}'s crontab"))
                continue
            if sec.truncated:
                states.append(SourceState(path, "truncated", f"{user}'s crontab"))
            jobs, _ = _cron_file(sec.text, path, f"{user}'s crontab", False, user)
            out.extend(jobs)


def _run_parts(sections: Sections, debian: bool, runners: list, anacron: list, out: list) -> None:
    """Scripts in /etc/cron.{hourly,...} that reboot, timed by what runs their directory."""
    for period in _RUN_PARTS:
        name = f"reboots.cron.{period}"
        directory = f"/etc/cron.{period}"
        listing = sections.get_section(name)
        entries = ls_entries(listing.text) if listing.ok else {}
        for path, sec in _files(sections, name):
            base = _basename(path)
            entry = entries.get(base)
            if entry is not None and not entry[1]:
                continue  # run-parts skips scripts that are not executable
            if debian and not _RUN_PARTS_NAME.match(base):
                continue
            if not sec.ok:
                continue
            for line, kind, minutes in cron.script_reboots(sec.text):
                timed = [j for d, j in runners if d == directory]
                ana = [a for d, a in anacron if d == directory]
                if timed:
                    job = timed[0]
                    via = job.line.strip()
                    out.append(
                        CronReboot(
                            path, path, line, job.user, job.spec, job.zone, kind, minutes, via=via
                        )
                    )
                elif ana:
                    out.append(
                        CronReboot(
                            path,
                            path,
                            line,
                            "root",
                            None,
                            None,
                            kind,
                            minutes,
                            via=ana[0].line.strip(),
                            anacron_days=ana[0].days,
                        )
                    )
                else:
                    out.append(CronReboot(path, path, line, "root", None, None, kind, minutes))


def _anacrontab(sections: Sections, out: list) -> list[tuple[str, cron.AnacronLine]]:
    sec = sections.get_section("reboots.anacrontab")
    runners: list[tuple[str, cron.AnacronLine]] = []
    if not sec.ok:
        return runners
    for line in cron.anacron_lines(sec.text):
        directory = cron.run_parts_dir(line.command)
        if directory:
            runners.append((directory, line))
        found = cron.reboot_kind(line.command)
        if found:
            out.append(
                CronReboot(
                    "/etc/anacrontab",
                    "/etc/anacrontab",
                    line.line,
                    "root",
                    None,
                    None,
                    *found,
                    anacron_days=line.days,
                )
            )
    return runners


def _at_jobs(sections: Sections, states: list) -> list[AtReboot]:
    jobs: list[AtReboot] = []
    for name in _AT_SPOOLS:
        listing = sections.get_section(name)
        if listing.state != "absent":
            states.append(SourceState(name, _state(listing), "at jobs"))
        entries = ls_entries(listing.text) if listing.ok else {}
        for path, sec in _files(sections, name):
            base = _basename(path)
            match = _AT_NAME.match(base)
            entry = entries.get(base)
            if match is None or match.group(1) == "=" or (entry is not None and not entry[1]):
                continue  # not a job, a running job's lock, or not yet/no longer runnable
            if not sec.ok:
                states.append(SourceState(path, _state(sec), "at job"))
                continue
            for line, kind, _ in cron.script_reboots(sec.text):
                jobs.append(
                    AtReboot(
                        path,
                        match.group(1),
                        int(match.group(2), 16),
                        int(match.group(3), 16) * 60,
                        line,
                        kind,
                    )
                )
                break
    return jobs


def _unescape(value: str) -> str:
    try:
        return value.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except Exception:
        return value


def _shutdowns(sections: Sections, mode_live: bool) -> list[ScheduledShutdown]:
    out: list[ScheduledShutdown] = []
    sd = sections.get_section("reboots.sd.scheduled")
    if sd.ok and sd.text.strip():
        kv = key_values(sd.text)
        usec = kv.get("USEC", "")
        if kv.get("DRY_RUN") != "1":
            out.append(
                ScheduledShutdown(
                    "systemd scheduled shutdown",
                    "/run/systemd/shutdown/scheduled",
                    int(usec) / 1e6 if usec.isdigit() else None,
                    kv.get("MODE") or "unknown",
                    tuple(
                        f"/run/systemd/shutdown/scheduled: {ln}" for ln in sd.text.splitlines()[:6]
                    ),
                    _unescape(kv["WALL_MESSAGE"]) if kv.get("WALL_MESSAGE") else None,
                )
            )
    for prefix, source in (
        ("reboots.sysv.pid", "sysvinit shutdown"),
        ("reboots.openrc.pid", "openrc-shutdown"),
    ):
        for path, sec in _files(sections, prefix):
            if not sec.ok:
                continue
            evidence = [f"{path}: {sec.text.strip()[:40]}"]
            kind, when, live = "unknown", None, mode_live
            for cpath, csec in _files(sections, prefix + ".cmdline"):
                if not csec.ok:
                    continue
                args = [a for a in csec.text.split("\x00") if a]
                evidence.append(f"{cpath}: {' '.join(args)[:200]}")
                found = cron.reboot_kind(" ".join(args))
                kind = found[0] if found else "unknown"
                times = [
                    a for a in args[1:] if a == "now" or re.fullmatch(r"\+\d+|\d{1,2}:\d\d", a)
                ]
                when = times[0] if times else None
                live = True
            out.append(
                ScheduledShutdown(source, path, None, kind, tuple(evidence), None, when, live)
            )
    return out


def _flags(sections: Sections) -> list[RebootFlag]:
    found: dict[str, Section] = dict(_files(sections, "reboots.flag"))
    flags: list[RebootFlag] = []
    pkgs: tuple[str, ...] = ()
    for path, sec in found.items():
        if path.endswith(".pkgs") and sec.ok:
            pkgs = tuple(dict.fromkeys(p.strip() for p in sec.text.splitlines() if p.strip()))
    for path, sec in found.items():
        if sec.ok and not path.endswith(".pkgs"):
            packages = pkgs if path.endswith("reboot-required") else ()
            flags.append(RebootFlag(path, sec.text.strip()[:500], packages))
    return flags


def _ini(text: str) -> dict[str, list[tuple[str, str, str]]]:
    """systemd/dnf INI: {section: [(key, value, raw line)]}; continuation lines ignored."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            continue
        key, sep, value = line.partition("=")
        if sep:
            out.setdefault(current, []).append((key.strip(), value.strip(), raw.strip()))
    return out


def _exec_kind(service: dict[str, list[tuple[str, str, str]]]) -> tuple[str, str] | None:
    for key, value, raw in service.get("Service", []):
        if key in ("ExecStart", "ExecStartPre", "ExecStartPost", "ExecStop"):
            found = cron.reboot_kind(value.lstrip("-@:+!"))
            if found:
                return found[0], raw
    return None


_LIST_TIMERS_NEXT = re.compile(r"^(?:[A-Z][a-z]{2} )?(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")


def _list_timers(sections: Sections) -> dict[str, str | None]:
    """`systemctl list-timers --all --no-legend`: timer unit -> NEXT (None for n/a, -)."""
    sec = sections.get_section("reboots.list-timers")
    out: dict[str, str | None] = {}
    for line in sec.lines():
        words = line.split()
        timers = [w for w in words if w.endswith(".timer")]
        if not timers:
            continue
        match = _LIST_TIMERS_NEXT.match(line.strip())
        out[timers[-1]] = match.group(1) if match else None
    return out


def _timers(sections: Sections) -> list[TimerReboot]:
    units: dict[str, tuple[str, dict[str, list[tuple[str, str, str]]]]] = {}
    for prefix in ("reboots.units", "reboots.tunits"):
        for path, sec in _files(sections, prefix):
            if sec.ok:
                units.setdefault(_basename(path), (path, _ini(sec.text)))
    wants = sections.get_section("reboots.timers.wants")
    enabled_names = set(ls_entries(wants.text)) if wants.ok else None
    next_times = _list_timers(sections)
    out: list[TimerReboot] = []
    for prefix, transient in (("reboots.timers", False), ("reboots.ttimers", True)):
        for path, sec in _files(sections, prefix):
            if not sec.ok:
                continue
            name = _basename(path)
            ini = _ini(sec.text)
            timer = ini.get("Timer", [])
            unit = next(
                (v for k, v, _ in timer if k == "Unit"), name[: -len(".timer")] + ".service"
            )
            evidence = [f"{path}: {raw}" for k, _, raw in timer if k in ("Unit", "OnCalendar")]
            kind = cron._TARGETS.get(unit)
            if kind is None and unit in units:
                found = _exec_kind(units[unit][1])
                if found:
                    kind = found[0]
                    evidence.append(f"{units[unit][0]}: {found[1]}")
            if kind is None:
                continue
            calendars = tuple(v for k, v, _ in timer if k == "OnCalendar" and v)
            monotonic = tuple(
                f"{k}={v}" for k, v, _ in timer if k.startswith("On") and k != "OnCalendar" and v
            )
            if transient or name in next_times:
                enabled: bool | None = True
            elif enabled_names is None:
                enabled = None
            else:
                enabled = name in enabled_names
            out.append(
                TimerReboot(
                    name,
                    path,
                    calendars,
                    monotonic,
                    unit,
                    kind,
                    tuple(evidence),
                    next_times.get(name),
                    enabled,
                )
            )
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


def _auto_reboots(sections: Sections) -> list[AutoReboot]:
    out: list[AutoReboot] = []
    files = sorted(
        (path, sec.text)
        for path, sec in _files(sections, "reboots.apt")
        if sec.ok and not _APT_IGNORED.search(path)
    )
    conf = apt_config(files)
    reboot = conf.get("unattended-upgrade::automatic-reboot")
    if reboot and _truthy(reboot[0]):
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
        out.append(
            AutoReboot(
                "unattended-upgrades",
                "true",
                uu_on,
                time[0].strip() if time and time[0].strip() != "now" else None,
                None if users is None else _truthy(users[0]),
                tuple(evidence),
            )
        )
    dnf = sections.get_section("reboots.dnf")
    if dnf.ok:
        ini = _ini(dnf.text)
        cmds = {k: (v, raw) for k, v, raw in ini.get("commands", [])}
        mode = cmds.get("reboot", ("never", ""))[0].strip().lower()
        if mode in ("when-needed", "when-changed"):
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
            evidence.extend(
                f"/etc/systemd/system/timers.target.wants/{n}" for n in sorted(names or ())
            )
            out.append(AutoReboot("dnf-automatic", mode, enabled, None, None, tuple(evidence)))
    return out


def parse(sections: Sections) -> RebootFacts:
    from cockpit.parsers import host as host_parser

    try:
        family = host_parser.parse(sections).family
    except Exception:
        family = "unknown"
    debian = family == "deb"
    issues: list[str] = []
    cron_jobs: list[CronReboot] = []
    states: list[SourceState] = []
    runners: list[tuple[str, cron.CronLine]] = []
    try:
        _crontabs(sections, debian, cron_jobs, states, runners)
        anacron = _anacrontab(sections, cron_jobs)
        _run_parts(sections, debian, runners, anacron, cron_jobs)
    except Exception as exc:  # total: report, never raise
        issues.append(f"cron: {type(exc).__name__}")
    at_jobs = _guard(lambda: _at_jobs(sections, states), issues, "at")
    live = sections.get_section("host.clock").state not in ("offline",)
    shutdowns = _guard(lambda: _shutdowns(sections, live), issues, "shutdown")
    timers = _guard(lambda: _timers(sections), issues, "timers")
    auto = _guard(lambda: _auto_reboots(sections), issues, "auto-reboot")
    flags = _guard(lambda: _flags(sections), issues, "flags")
    nologin = tuple(
        (path, sec.text.strip().splitlines()[0][:200] if sec.text.strip() else "")
        for name, path in (
            ("reboots.nologin.run", "/run/nologin"),
            ("reboots.nologin.etc", "/etc/nologin"),
        )
        if (sec := sections.get_section(name)).ok
    )
    return RebootFacts(
        cron=tuple(cron_jobs),
        sources=tuple(states),
        shutdowns=tuple(shutdowns),
        nologin=nologin,
        at_jobs=tuple(at_jobs),
        timers=tuple(timers),
        auto=tuple(auto),
        flags=tuple(flags),
        issues=tuple(issues),
    )


def _guard(fn, issues: list[str], what: str) -> list:  # type: ignore[no-untyped-def]
    try:
        return list(fn())
    except Exception as exc:
        issues.append(f"{what}: {type(exc).__name__}")
        return []

"""sshd sections -> SshdFacts: the configuration as sshd reads it, host keys, and what
generates missing host keys before each rc system starts sshd.

Key generation at boot, read from the real start files (tests/fixtures/corpus/sshd/):
- Fedora/RHEL: sshd.service `Wants=sshd-keygen.target`; the target wants
  sshd-keygen@{rsa,ecdsa,ed25519}.service, each running /usr/libexec/openssh/sshd-keygen
  when its key is missing or empty (ConditionFileNotEmpty=|!).
- Arch: sshd.service `Wants=sshdgenkeys.service`, which runs `ssh-keygen -A`.
- Alpine (OpenRC): /etc/init.d/sshd's checkconfig (start_pre) runs `ssh-keygen -A`
  unless /etc/conf.d/sshd sets `sshd_disable_keygen` yes.
- Void (runit) run scripts run `ssh-keygen -A`.
- Debian bookworm: ssh.service, ssh.socket, /etc/init.d/ssh and /etc/sv/ssh/run run
  `sshd -t` but never ssh-keygen; keys are made once, by openssh-server's postinst. A
  Debian host whose keys are deleted comes back without sshd.
- cloud-init's cc_ssh regenerates keys only once per instance (a new instance id), never
  on an ordinary reboot: it is not counted.
"""

from __future__ import annotations

import re

from cockpit.facts.sshd import KeyRegen, SshdFacts, SshdKey, SshdTest
from cockpit.parsers import host as host_parser
from cockpit.parsers.reads import reads
from cockpit.parsers.services import sshd_config
from cockpit.parsers.services.listing import listing
from cockpit.parsers.services.systemd import wanted_at_boot
from cockpit.parsers.text import clean
from cockpit.snapshot import UNREAD_STATES, Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "services.sshd.cfg",
    "services.sshd.glob",
    "services.sshd.keys",
    "services.sshd.running",
    "services.sshd.test",
    "services.sshd.unit",
    "services.sshd.version",
    "services.sshd.keygen",
    "services.sd.etc",
    "host.os",
    "host.os.usr",
    "host.gentoo",
)

_KEYGEN = re.compile(r"(^|[\s/;&|(])(ssh-keygen\s+[^#\n]*-A\b|sshd-keygen\b)")
_UNIT_DIRS = (
    "/etc/systemd/system",
    "/usr/local/lib/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
)
_KEYGEN_UNITS = ("sshd-keygen.target", "sshdgenkeys.service", "sshd-keygen.service")


def parse(sections: Sections) -> SshdFacts:
    try:
        return _parse(sections)
    except Exception as exc:  # pragma: no cover - totality guard
        return SshdFacts(state="error", version_evidence=f"sshd parser: {type(exc).__name__}")


def _parse(sections: Sections) -> SshdFacts:
    ver_sec = sections.get_section("services.sshd.version")
    version_text = ver_sec.text.strip() if ver_sec.ok else ""
    version = sshd_config.parse_version(version_text)
    match = re.search(r"OpenSSH_(\S+)", version_text)
    family = host_parser.family(sections)
    walked, state = sshd_config.walk(sections, version, family)
    keys, keys_from = _keys(sections, walked.host_keys, version)
    running = _running(sections)
    return SshdFacts(
        state=state,
        files=tuple(walked.files),
        directives=walked.directives,
        issues=tuple(walked.issues),
        keys=keys,
        keys_from=keys_from,
        key_agent=walked.key_agent,
        regen=_regen(sections),
        version=match.group(1) if match else None,
        version_evidence=(
            clean(version_text[:120]) if version_text else f"sshd release: ({ver_sec.state})"
        ),
        test=_test(sections),
        running=running[0],
        running_pid=running[1],
        changed=running[2],
    )


def _keys(
    sections: Sections, configured: list[str], version: tuple[int, int] | None
) -> tuple[tuple[SshdKey, ...], str]:
    """The keys sshd tries: its HostKey lines, else its defaults (servconf.c
    fill_default_server_options: rsa, ecdsa, ed25519; before 7.0 dsa instead of ed25519
    where the release predates it)."""
    sec = sections.get_section("services.sshd.keys")
    listed: dict[str, str] = {}
    for line in sec.lines():
        state, _, path = line.partition(" ")
        if state != "stop" and path:
            listed[path] = state
    if configured:
        wanted, source = list(dict.fromkeys(configured)), "HostKey lines"
    else:
        wanted, source = list(_DEFAULT_KEYS), "defaults"
        if version is not None and version < (7, 0):
            wanted.append("/etc/ssh/ssh_host_dsa_key")
    fallback = sec.state if not sec.ok else "unread"
    keys = tuple(SshdKey(p, listed.get(p, fallback), bool(configured)) for p in wanted)
    return keys, source


_DEFAULT_KEYS = (
    "/etc/ssh/ssh_host_rsa_key",
    "/etc/ssh/ssh_host_ecdsa_key",
    "/etc/ssh/ssh_host_ed25519_key",
)


def stop_file(sections: Sections) -> bool | None:
    """/etc/ssh/sshd_not_to_be_run present (Debian's off switch); None when unread."""
    sec = sections.get_section("services.sshd.keys")
    if not sec.ok:
        return None
    return any(line.startswith("stop ") for line in sec.lines())


def start_files(sections: Sections) -> dict[str, str]:
    """{path: text} of the start files read (unit files, init scripts, run scripts)."""
    return {
        s.name[len("services.sshd.unit:") :]: s.text
        for s in sections.prefixed("services.sshd.unit")
        if s.ok
    }


def unit_text(files: dict[str, str], name: str) -> tuple[str, str] | None:
    """(path, text) of unit `name` where systemd finds it first, plus its drop-ins."""
    for d in _UNIT_DIRS:
        path = f"{d}/{name}"
        if path in files:
            drop = "".join(
                files[p] for p in sorted(files) if p.startswith(f"/etc/systemd/system/{name}.d/")
            )
            return path, files[path] + "\n" + drop
    return None


def _live_lines(text: str) -> list[str]:
    return [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]


def _keygen_line(text: str) -> str | None:
    for line in _live_lines(text):
        if _KEYGEN.search(line):
            return line
    return None


def _masked(sections: Sections, name: str) -> bool:
    entry = listing(sections, "services.sd.etc", "/etc/systemd/system").get(name)
    return entry is not None and entry.kind == "l" and entry.target == "/dev/null"


def _systemd_regen(sections: Sections, files: dict[str, str]) -> KeyRegen:
    found_any = False
    for service in ("sshd.service", "ssh.service", "sshd@.service", "ssh@.service"):
        unit = unit_text(files, service)
        if unit is None:
            continue
        found_any = True
        path, text = unit
        line = _keygen_line("\n".join(ln for ln in text.splitlines() if ln.startswith("Exec")))
        if line:
            return KeyRegen("systemd", "yes", f"{service} runs it", (f"{path}: {clean(line)}",))
        for dep_line in _live_lines(text):
            key, _, value = dep_line.partition("=")
            if key.strip() not in ("Wants", "Requires"):
                continue
            for dep in value.split():
                got = _keygen_unit(sections, files, dep)
                if got is not None:
                    return KeyRegen(
                        "systemd",
                        "yes",
                        f"{service} wants {dep}",
                        (f"{path}: {clean(dep_line)}", *got),
                    )
    admin = _admin_keygen(sections)
    if admin is not None:
        return admin
    if not found_any:
        return KeyRegen("systemd", "unknown", None, ("no sshd unit file was read",))
    return KeyRegen(
        "systemd",
        "no",
        None,
        ("no sshd unit runs ssh-keygen or wants a key-generation unit",),
    )


def _admin_keygen(sections: Sections) -> KeyRegen | None:
    """An admin's own unit (in /etc/systemd/system) that runs `ssh-keygen -A` and is
    started at boot: it makes the keys before (or while) sshd starts."""
    sec = sections.get_section("services.sshd.keygen")
    for line in sec.entries():  # whole, or cut: what it lists is true
        unit, _, exec_line = line.partition(":")
        if not _keygen_line(exec_line):
            continue
        link = wanted_at_boot(sections, unit)
        if link is not None:
            return KeyRegen(
                "systemd",
                "yes",
                f"{clean(unit)} runs it at boot",
                (f"/etc/systemd/system/{clean(unit)}: {clean(exec_line.strip())}", link),
            )
    if sec.state in UNREAD_STATES:
        # a unit not read may be the one that regenerates them: unknown, never "no"
        said = sec.cut_note("/etc/systemd/system", "units") if sec.cut else sec.state
        return KeyRegen(
            "systemd",
            "unknown",
            None,
            (f"admin units that may run ssh-keygen: {said}: not all read",),
        )
    return None


def _keygen_unit(sections: Sections, files: dict[str, str], dep: str) -> tuple[str, ...] | None:
    """Evidence that unit `dep` generates host keys (a target: through its Wants=)."""
    if dep not in _KEYGEN_UNITS and not dep.startswith("sshd-keygen@"):
        return None
    if _masked(sections, dep):
        return None
    name = re.sub(r"@[^.]+\.", "@.", dep) if "@" in dep else dep
    unit = unit_text(files, name)
    if unit is None:
        return None
    path, text = unit
    if dep.endswith(".target"):
        for line in _live_lines(text):
            key, _, value = line.partition("=")
            if key.strip() == "Wants":
                for inner in value.split():
                    got = _keygen_unit(sections, files, inner)
                    if got is not None:
                        return (f"{path}: {clean(line)}", *got)
        return None
    found = _keygen_line("\n".join(ln for ln in text.splitlines() if ln.startswith("ExecStart")))
    return (f"{path}: {clean(found)}",) if found else None


def _script_regen(rc: str, files: dict[str, str], paths: tuple[str, ...]) -> KeyRegen:
    read = [p for p in paths if p in files]
    if not read:
        return KeyRegen(rc, "unknown", None, (f"{' / '.join(paths)}: not read",))
    for path in read:
        line = _keygen_line(files[path])
        if line is None:
            continue
        conf = files.get("/etc/conf.d/sshd", "")
        off = re.search(
            r"^\s*sshd_disable_keygen=[\"']?(yes|true|on|1)\b", conf, re.MULTILINE | re.I
        )
        if off and "sshd_disable_keygen" in files[path]:
            return KeyRegen(
                rc, "no", None, (f"{path}: {clean(line)}", f"/etc/conf.d/sshd: {off.group(0)}")
            )
        return KeyRegen(rc, "yes", f"{path} runs it", (f"{path}: {clean(line)}",))
    return KeyRegen(rc, "no", None, tuple(f"{p}: runs no ssh-keygen" for p in read))


def _regen(sections: Sections) -> tuple[KeyRegen, ...]:
    files = start_files(sections)
    initd = ("/etc/init.d/sshd", "/etc/init.d/ssh")
    return (
        _systemd_regen(sections, files),
        _script_regen("sysv-rc", files, ("/etc/init.d/ssh", "/etc/init.d/sshd")),
        _script_regen("openrc", files, initd),
        _script_regen("baselayout1", files, initd),
        _script_regen("runit", files, ("/etc/sv/sshd/run", "/etc/sv/ssh/run")),
    )


def _running(sections: Sections) -> tuple[str, int | None, tuple[str, ...]]:
    """The running sshd, and what changed since it started (probes/sshd.py)."""
    sec = sections.get_section("services.sshd.running")
    if sec.state == "absent":
        return "not-running", None, ()
    if not sec.ok:
        return "unknown", None, ()
    pid: int | None = None
    alive = False
    changed: list[str] = []
    for line in sec.lines():
        word, _, rest = line.partition(" ")
        if word == "pid":
            number, _, comm = rest.partition(" ")
            pid = int(number) if number.isdigit() else None
            alive = comm == "sshd"
        elif word == "newer" and rest:
            changed.append(clean(rest))
    if not alive:
        return "not-running", pid, ()
    return ("changed" if changed else "unchanged"), pid, tuple(changed)


def _test(sections: Sections) -> SshdTest:
    sec = sections.get_section("services.sshd.test")
    lines = tuple(clean(ln)[:200] for ln in sec.text.splitlines()[:12] if ln.strip())
    if sec.state == "ok" and sec.text.startswith("cockpit: not run:"):
        return SshdTest("unchanged", sec.rc, lines)
    if sec.state == "ok":
        return SshdTest("ok", sec.rc, lines)
    if sec.state == "error":
        return SshdTest("failed", sec.rc, lines)
    return SshdTest(sec.state, sec.rc, lines)

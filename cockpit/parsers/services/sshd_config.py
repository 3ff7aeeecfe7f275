"""sshd_config read the way sshd reads it (servconf.c), to find what `sshd -t` rejects.

Line syntax (servconf.c `process_server_config_line_depth`, misc.c `strdelim`,
`argv_split`): leading blanks are dropped, the keyword ends at a blank, a quote or one
`=`; a keyword with nothing after it is an error; arguments are split on blanks with
"..." / '...' quoting and backslash escapes, and a `#` starting an argument ends the line
(an unbalanced quote is "invalid quotes"). Keywords are case-insensitive.

Structure: `Include` is expanded where it stands (relative patterns under /etc/ssh, the
glob's matches in sorted order, at most 16 levels deep); a file sshd cannot open is fatal
(load_server_config: perror and exit). `Match` starts a block: at start-up (no connection
yet) every criterion but `all` is false, so what follows is only syntax-checked and a
keyword not allowed in a Match block is fatal ("Directive 'X' is not allowed within a
Match block"); after `Match all` the block is active. An included file starts in its
includer's state and the includer's state comes back after it.

Everything runs on the probe's sections (services.sshd.cfg:*, services.sshd.glob:*);
nothing here raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.facts.sshd import SshdIssue
from cockpit.parsers.services import sshd_keywords as kws
from cockpit.parsers.services.sshd_keywords import Keyword, Version
from cockpit.parsers.services.sshd_values import a2port, check, valid_cidr_list
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

MAIN = "/etc/ssh/sshd_config"
MAX_DEPTH = 16  # READCONF_MAX_DEPTH
_WS = " \t"


@dataclass
class Walk:
    """What reading the configuration found (mutable while walking, then frozen facts)."""

    version: Version | None
    family: str
    files: list[str] = field(default_factory=list)
    issues: list[SshdIssue] = field(default_factory=list)
    host_keys: list[str] = field(default_factory=list)
    key_agent: str | None = None
    subsystems: set[str] = field(default_factory=set)
    directives: int = 0

    def add(self, level: str, text: str, where: str) -> None:
        self.issues.append(SshdIssue(level, clean(text)[:300], clean(where)[:300]))


def split_keyword(line: str) -> tuple[str | None, str]:
    """strdelim(split_equals=1) on a stripped line: (keyword, rest) or (None, '')."""
    s = line.strip(_WS + "\r\n\f")
    if not s or s.startswith("#"):
        return None, ""
    i = 0
    while i < len(s) and s[i] not in _WS + '"=':
        i += 1
    keyword, rest = s[:i], s[i:]
    if rest.startswith('"'):  # a quoted keyword: sshd takes up to the next quote
        end = rest.find('"', 1)
        if end < 0:
            return keyword or None, ""
        return (keyword + rest[1:end]) or None, rest[end + 1 :].lstrip(_WS)
    rest = rest.lstrip(_WS)
    if rest.startswith("="):
        rest = rest[1:].lstrip(_WS)
    return keyword or None, rest


def argv_split(text: str) -> list[str] | None:
    """misc.c argv_split with terminate_on_comment: None on an unbalanced quote."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in _WS:
            i += 1
            continue
        if text[i] == "#":
            break
        quote = ""
        arg: list[str] = []
        while i < n:
            c = text[i]
            if (
                c == "\\"
                and i + 1 < n
                and (text[i + 1] in "'\"\\" or (not quote and text[i + 1] == " "))
            ):
                arg.append(text[i + 1])
                i += 2
                continue
            if not quote and c in _WS:
                break
            if not quote and c in "\"'":
                quote = c
            elif quote and c == quote:
                quote = ""
            else:
                arg.append(c)
            i += 1
        if quote:
            return None
        out.append("".join(arg))
    return out


def parse_version(text: str) -> Version | None:
    import re

    match = re.search(r"OpenSSH_(\d{1,2})\.(\d{1,2})", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _span(value: object) -> tuple[Version, Version] | None:
    if value is None:
        return None
    if isinstance(value[0], tuple):  # type: ignore[index]
        return value  # type: ignore[return-value]
    return value, value  # type: ignore[return-value]


def _vs(v: Version) -> str:
    return f"{v[0]}.{v[1]}"


def known_here(kw: Keyword, version: Version | None, family: str) -> tuple[str, str | None]:
    """Does this sshd know `kw`? ("ok" | "fatal" | "unknown", why)."""
    if kw.families and family not in kw.families:
        return "unknown", (
            f"{kw.name} is not an OpenSSH keyword but a distribution patch's "
            f"({', '.join(kw.families)}): whether this sshd has it is unknown"
        )
    since, until = _span(kw.since), _span(kw.until)
    if version is None:
        if since and since[1] > kws.ASSUMED_FLOOR:
            return "unknown", (
                f"{kw.name} needs OpenSSH {_vs(since[1])}; the sshd version could not be read"
            )
        return "ok", None
    if since and version < since[0]:
        return "fatal", f"{kw.name} is new in OpenSSH {_vs(since[0])}; this sshd is {_vs(version)}"
    if since and version < since[1]:
        return "unknown", f"{kw.name}: added between OpenSSH {_vs(since[0])} and {_vs(since[1])}"
    if until and version >= until[1]:
        return "fatal", f"{kw.name} was removed before OpenSSH {_vs(until[1])}"
    if until and version >= until[0]:
        return "unknown", f"{kw.name} may be gone from OpenSSH {_vs(version)}"
    return "ok", None


def walk(sections: Sections, version: Version | None, family: str) -> tuple[Walk, str]:
    """Read the configuration from /etc/ssh/sshd_config; the main file's state."""
    w = Walk(version, family)
    main = sections.get_section(f"services.sshd.cfg:{MAIN}")
    state = main.state
    if main.ok and main.truncated:
        state = "truncated"
    if main.ok:
        _file(w, sections, MAIN, 0, [True, False])
    return w, state


def _file(w: Walk, sections: Sections, path: str, depth: int, ctx: list[bool]) -> None:
    """Process one file. ctx = [active, nevermatch] shared with the includer (sshd's
    *activep and SSHCFG_NEVERMATCH)."""
    sec = sections.get_section(f"services.sshd.cfg:{path}")
    w.files.append(path)
    if not sec.ok:
        if sec.state in ("absent", "denied", "dangling", "notfile", "error"):
            level = "fatal" if sec.state != "denied" else "unknown"
            w.add(level, f"{path}: cannot be opened ({sec.state})", path)
        else:
            w.add("unknown", f"{path}: not read ({sec.state})", path)
        return
    if sec.truncated:
        w.add("unknown", f"{path}: longer than the collector reads (cut)", path)
    for number, raw in enumerate(sec.text.splitlines(), 1):
        _line(w, sections, path, number, raw, depth, ctx)


def _line(
    w: Walk, sections: Sections, path: str, number: int, raw: str, depth: int, ctx: list[bool]
) -> None:
    keyword, rest = split_keyword(raw.lstrip(" \t\r"))
    if keyword is None:
        return
    where = f"{path} line {number}: {raw.strip()[:160]}"
    w.directives += 1
    if not rest:
        w.add("fatal", f'no argument after keyword "{keyword}"', where)
        return
    args = argv_split(rest)
    if args is None:
        w.add("fatal", "invalid quotes", where)
        return
    kw = kws.lookup(keyword)
    if kw is None:
        w.add("fatal", f"Bad configuration option: {keyword}", where)
        return
    known, why = known_here(kw, w.version, w.family)
    if known == "fatal":
        w.add("fatal", f"Bad configuration option: {keyword} ({why})", where)
        return
    if known == "unknown":
        w.add("unknown", why or keyword, where)
    active = ctx[0]
    if not active and not kw.match:
        newer = w.version is not None and w.version > kws.SOURCE_RELEASE
        level = "unknown" if newer else "fatal"
        w.add(level, f"Directive '{keyword}' is not allowed within a Match block", where)
        return
    if kw.status in ("deprecated", "unsupported"):
        word = "Deprecated" if kw.status == "deprecated" else "Unsupported"
        w.add("warning", f"{word} option {keyword}", where)
        return
    if kw.status == "ignore":
        return
    if kw.kind == "include":
        _include(w, sections, where, args, depth, ctx)
        return
    if kw.kind == "match":
        _match(w, where, args, ctx)
        return
    if kw.kind == "subsystem":
        _subsystem(w, where, keyword, args, active)
        return
    for level, text in check(kw.kind, keyword, args):
        w.add(level, text, where)
    if kw.name in ("HostKey", "HostDSAKey") and args and active and args[0].lower() != "none":
        w.host_keys.append(args[0] if args[0].startswith("/") else "/" + args[0])
    if kw.name == "HostKeyAgent" and args and active and w.key_agent is None:
        w.key_agent = args[0]


def _include(
    w: Walk, sections: Sections, where: str, args: list[str], depth: int, ctx: list[bool]
) -> None:
    if not args:
        w.add("fatal", "Include missing filename argument", where)
        return
    if depth + 1 > MAX_DEPTH:
        w.add("fatal", "Too many recursive configuration includes", where)
        return
    for arg in args:
        if not arg:
            w.add("fatal", "keyword Include empty argument", where)
            return
        if arg.startswith("~"):
            w.add("unknown", f"Include {arg}: a home-relative pattern is not read", where)
            continue
        pattern = arg if arg.startswith("/") else f"/etc/ssh/{arg}"
        sec = sections.get_section(f"services.sshd.glob:{pattern}")
        if sec.state == "absent":
            continue  # glob: no match, nothing included (not an error)
        if not sec.ok:
            w.add("unknown", f"Include {pattern}: not expanded ({sec.state})", where)
            continue
        matches: list[tuple[str, str]] = []
        for line in sec.text.splitlines():
            kind, _, path = line.partition(" ")
            matches.append((kind, path))
        for kind, path in sorted(matches, key=lambda m: m[1].encode()):
            if kind == "u":
                w.add("unknown", f"Include {pattern}: a match with an unprintable name", where)
            elif kind == "l":
                w.add("fatal", f"{path}: No such file or directory (dangling link)", where)
            elif kind == "f":
                saved = ctx[0]
                inner = [ctx[0], ctx[1] or not ctx[0]]
                _file(w, sections, path, depth + 1, inner)
                ctx[0] = saved
            elif kind == "d":
                continue  # fopen works on a directory, reading it yields nothing
            else:
                w.add("unknown", f"{path}: not a regular file", where)


def _match(w: Walk, where: str, args: list[str], ctx: list[bool]) -> None:
    problem = match_problem(args, w.version)
    if problem is not None:
        level, text = problem
        w.add(level, text, where)
        if level == "fatal":
            return
    active = bool(args) and args[0].lower() == "all"
    ctx[0] = False if ctx[1] else active


def match_problem(args: list[str], version: Version | None) -> tuple[str, str] | None:
    """servconf.c match_cfg_line at start-up (no connection): why it fails, or None."""
    if not args:
        return "fatal", "One or more attributes required for Match"
    i = 0
    while i < len(args):
        attrib = args[i]
        crit = attrib.lower()
        if crit == "all":
            if i > 0 or len(args) > 1:
                return "fatal", "'all' cannot be combined with other Match attributes"
            return None
        if crit not in kws.MATCH_CRITERIA:
            later = kws.MATCH_CRITERIA_LATER.get(crit)
            if later is None or (version is not None and version < later):
                return "fatal", f"Unsupported Match attribute {attrib} (Bad Match condition)"
            if version is None:
                return "unknown", f"Match {attrib} needs OpenSSH {_vs(later)}; version unknown"
            if crit == "invalid-user":
                i += 1
                continue
        if i + 1 >= len(args) or args[i + 1] == "":
            return "fatal", f"Missing Match criteria for {attrib}"
        value = args[i + 1]
        if crit in ("address", "localaddress") and not valid_cidr_list(value):
            return "fatal", f"Invalid Match {crit} argument '{value}'"
        if crit == "localport" and (a2port(value) or -1) <= 0:
            return "fatal", f"Invalid LocalPort '{value}' on Match line"
        i += 2
    return None


def _subsystem(w: Walk, where: str, keyword: str, args: list[str], active: bool) -> None:
    if not args or not args[0]:
        w.add("fatal", f"{keyword} missing argument.", where)
        return
    if len(args) < 2:
        w.add("fatal", "Missing subsystem command.", where)
        return
    if not active:
        return
    if args[0] in w.subsystems:
        newer = w.version is None or w.version > kws.SOURCE_RELEASE
        text = f"Subsystem '{args[0]}' already defined."
        w.add("unknown" if newer else "fatal", text, where)
    w.subsystems.add(args[0])

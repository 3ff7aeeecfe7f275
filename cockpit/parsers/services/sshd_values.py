"""Values of sshd_config keywords, checked the way servconf.c checks them.

Each checker takes the arguments sshd's argv_split produced and returns problems as
(level, text): `fatal` where servconf.c calls fatal() or returns -1 (sshd does not
start), `unknown` where the answer depends on the build or the host (an algorithm name
this table does not know, a port given as a service name). The texts are sshd's own
messages, so an admin can search for them. Total: never raises.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from cockpit.parsers.services.sshd_algorithms import CIPHERS, KEX, KEY_ALGOS, MACS

Problem = tuple[str, str]

_TIME = re.compile(r"^(?:\d+[sSmMhHdDwW]?)+$")
_INT = re.compile(r"^\d{1,10}$")
_SCALED = re.compile(r"^\d+(?:\.\d+)?[KkMmGgTtPpEe]?$")

FLAG = ("yes", "no")
MULTISTATE: dict[str, tuple[str, ...]] = {
    "flag": FLAG,
    "permitrootlogin": ("without-password", "prohibit-password", "forced-commands-only", *FLAG),
    "ignorerhosts": ("yes", "no", "shosts-only"),
    "addressfamily": ("inet", "inet6", "any"),
    "compression": ("yes", "delayed", "no"),
    "gatewayports": ("clientspecified", "yes", "no"),
    "tcpfwd": ("yes", "all", "no", "remote", "local"),
}
LOG_LEVELS = ("quiet", "fatal", "error", "info", "verbose", "debug", "debug1", "debug2", "debug3")
FACILITIES = ("daemon", "user", "auth", "authpriv", *(f"local{n}" for n in range(8)))
TUNNEL = ("yes", "point-to-point", "ethernet", "no")  # strcmp: case matters
DIGESTS = ("md5", "sha1", "sha256", "sha384", "sha512")
IPQOS = [
    "af11",
    "af12",
    "af13",
    "af21",
    "af22",
    "af23",
    "af31",
    "af32",
    "af33",
    "af41",
    "af42",
    "af43",
    "cs0",
    "cs1",
    "cs2",
    "cs3",
    "cs4",
    "cs5",
    "cs6",
    "cs7",
    "ef",
    "le",
    "lowdelay",
    "throughput",
    "reliability",
    "none",
]
AUTH_METHODS = ("gssapi-with-mic", "publickey", "password", "keyboard-interactive", "hostbased")
PUBKEY_OPTIONS = ("none", "touch-required", "verify-required")
_KNOWN_SERVICES = {"ssh": 22}


def a2port(text: str) -> int | None:
    """servconf/misc.c a2port: 0-65535 as digits, or a service name (here only `ssh`;
    other names depend on the host's /etc/services: None)."""
    if re.fullmatch(r"\d{1,5}", text):
        value = int(text)
        return value if value <= 65535 else -1
    return _KNOWN_SERVICES.get(text.lower())


def _one(kw: str, args: list[str], missing: str = "missing argument.") -> list[Problem]:
    if not args or args[0] == "":
        return [("fatal", f"{kw} {missing}")]
    if len(args) > 1:
        return [("fatal", f"keyword {kw} extra arguments at end of line")]
    return []


def _choice(kw: str, args: list[str], choices: tuple[str, ...], fold: bool = True) -> list[Problem]:
    found = _one(kw, args)
    if found:
        return found
    value = args[0].lower() if fold else args[0]
    if value not in choices:
        return [("fatal", f'unsupported option "{args[0]}".')]
    return []


def _named(
    kw: str, args: list[str], choices: tuple[str, ...], message: str, fold: bool = True
) -> list[Problem]:
    """A value from a fixed list, with sshd's own message for that keyword."""
    if not args:
        return [("fatal", message.format("<NONE>"))]
    found = _choice(kw, args, choices, fold)
    if found and found[0][1].startswith("unsupported option"):
        return [("fatal", message.format(args[0]))]
    return found


def _port(kw: str, args: list[str]) -> list[Problem]:
    found = _one(kw, args, "missing port number.")
    if found:
        return found
    port = a2port(args[0])
    if port is None:
        return [("unknown", f"port {args[0]!r} is a service name this check cannot resolve")]
    if port <= 0:
        return [("fatal", "Badly formatted port number.")]
    return []


def _listen(kw: str, args: list[str]) -> list[Problem]:
    if not args or not args[0]:
        return [("fatal", "missing address")]
    arg = args[0]
    if len(args) > 1 and (args[1] != "rdomain" or len(args) != 3):
        return [("fatal", "bad ListenAddress syntax")]
    if "[" not in arg and arg.count(":") >= 2:
        host, port = arg, None  # bare IPv6 address
    elif arg.startswith("["):
        match = re.fullmatch(r"\[([^\]]*)\](?::(.*))?", arg)
        if not match:
            return [("fatal", "bad address:port usage")]
        host, port = match.group(1), match.group(2)
    else:
        host, _, port_text = arg.partition(":")
        port = port_text if ":" in arg else None
    if port is not None:
        value = a2port(port)
        if value is None:
            return [("unknown", f"port {port!r} is a service name this check cannot resolve")]
        if value <= 0:
            return [("fatal", "bad port number")]
    if not host:
        return [("fatal", "bad address:port usage")]
    return []


def _time(kw: str, args: list[str], none_ok: bool = False) -> list[Problem]:
    found = _one(kw, args, "missing time value.")
    if found:
        return found
    if none_ok and args[0].lower() == "none":
        return []
    if not _TIME.fullmatch(args[0]):
        return [("fatal", "invalid time value.")]
    return []


def _int(kw: str, args: list[str]) -> list[Problem]:
    if not args:
        return [("fatal", f"{kw} integer value invalid.")]
    if len(args) > 1:
        return [("fatal", f"keyword {kw} extra arguments at end of line")]
    if not _INT.fullmatch(args[0]) or int(args[0]) > 2**31 - 1:
        return [("fatal", f"{kw} integer value invalid.")]
    return []


def _algos(kw: str, args: list[str], known: frozenset[str], what: str) -> list[Problem]:
    found = _one(kw, args)
    if found:
        return found
    arg = args[0]
    if arg.startswith("-"):
        return []  # sshd does not check names it removes
    names = arg.lstrip("+^").split(",")
    if any(not n for n in names):
        return [("fatal", f"Bad {what} '{arg}'.")]
    unknown = [n for n in names if n not in known and not re.search(r"[*?]", n)]
    if what == "SSH2 KexAlgorithms":
        unknown = [n for n in unknown if not n.startswith("gss-")]
    if unknown:
        return [("unknown", f"{what} name(s) {', '.join(unknown)} not known to this check")]
    return []


def _maxstartups(kw: str, args: list[str]) -> list[Problem]:
    found = _one(kw, args)
    if found:
        return found
    parts = args[0].split(":")
    if not all(_INT.fullmatch(p) for p in parts) or len(parts) not in (1, 3):
        return [("fatal", f"Invalid {kw} spec.")]
    nums = [int(p) for p in parts]
    if len(nums) == 3 and (nums[0] > nums[2] or not 1 <= nums[1] <= 100):
        return [("fatal", f"Invalid {kw} spec.")]
    if min(nums[0], nums[-1]) <= 0:
        return [("fatal", f"Invalid {kw} spec.")]
    return []


def _netblock(kw: str, args: list[str]) -> list[Problem]:
    found = _one(kw, args)
    if found:
        return found
    match = re.fullmatch(r"(\d+)(?::(\d+))?", args[0])
    if not match or int(match.group(1)) > 32 or (match.group(2) and int(match.group(2)) > 128):
        return [("fatal", f"Invalid {kw} spec.")]
    return []


def _rekeylimit(kw: str, args: list[str]) -> list[Problem]:
    if not args:
        return [("fatal", f"{kw} missing argument.")]
    if args[0] != "default" and not _SCALED.fullmatch(args[0]):
        return [("fatal", f"Bad {kw} number '{args[0]}'")]
    rest = args[1:]
    if rest and rest[0] != "none":
        return _time(kw, rest)
    if len(rest) > 1:
        return [("fatal", f"keyword {kw} extra arguments at end of line")]
    return []


def _ipqos(kw: str, args: list[str]) -> list[Problem]:
    if not args:
        return [("fatal", f"{kw} missing argument.")]
    if len(args) > 2:
        return [("fatal", f"keyword {kw} extra arguments at end of line")]
    for arg in args:
        if arg.lower() not in IPQOS and not re.fullmatch(r"\d{1,3}|0x[0-9a-fA-F]{1,2}", arg):
            return [("fatal", f"Bad {kw} value: {arg}")]
    return []


def _authmethods(kw: str, args: list[str]) -> list[Problem]:
    if not args:
        return [("fatal", f"no {kw} specified")]
    if "any" in args and len(args) > 1:
        return [("fatal", f'"any" must appear alone in {kw}')]
    for arg in args:
        if arg == "any":
            continue
        for method in arg.split(","):
            base = method.split(":", 1)[0]
            if base not in AUTH_METHODS:
                return [("fatal", f"invalid {kw} method list.")]
    return []


def _acceptenv(kw: str, args: list[str]) -> list[Problem]:
    if not args or any(not a or "=" in a for a in args):
        return [("fatal", "Invalid environment name.")]
    return []


def _setenv(kw: str, args: list[str]) -> list[Problem]:
    if not args or any(not a or "=" not in a for a in args):
        return [("fatal", "Invalid environment.")]
    return []


def _permitopen(kw: str, args: list[str]) -> list[Problem]:
    if not args or not args[0]:
        return [("fatal", f"{kw} missing argument.")]
    if args[0] in ("any", "none"):
        return [] if len(args) == 1 else [("fatal", f"keyword {kw} extra arguments at end of line")]
    for arg in args:
        host, sep, port = arg.rpartition(":")
        if kw.lower() == "permitlisten" and not sep:
            port = arg
        elif not sep or not host:
            return [("fatal", f"{kw} missing host")]
        if port != "*" and (a2port(port) or -1) <= 0:
            return [("fatal", f"{kw} bad port number")]
    return []


def _channeltimeout(kw: str, args: list[str]) -> list[Problem]:
    if not args:
        return [("fatal", f"{kw} missing argument.")]
    for i, arg in enumerate(args):
        if arg.lower() == "none":
            if i > 0 or len(args) > 1:
                return [("fatal", f'keyword {kw} "none" argument must appear alone.')]
            continue
        name, sep, interval = arg.partition("=")
        if not sep or not name or not _TIME.fullmatch(interval):
            return [("fatal", f"invalid channel timeout {arg}")]
    return []


def _command(kw: str, args: list[str]) -> list[Problem]:
    if not args:
        return [("fatal", f"{kw} missing argument.")]
    if not args[0].startswith("/") and " ".join(args).lower() != "none":
        return [("fatal", f"{kw} must be an absolute path")]
    return []


def _octal(kw: str, args: list[str]) -> list[Problem]:
    found = _one(kw, args)
    if found:
        return found
    # strtol(arg, &p, 8): the longest octal prefix counts ("0999" is 0), none is invalid
    prefix = re.match(r"[0-7]+", args[0])
    if not prefix or int(prefix.group(0), 8) > 0o777:
        return [("fatal", f"Invalid {kw}.")]
    return []


def _words(kw: str, args: list[str]) -> list[Problem]:
    if not args or any(a == "" for a in args):
        return [("fatal", f"keyword {kw} empty argument")]
    return []


def _persource(kw: str, args: list[str]) -> list[Problem]:
    if args[:1] == ["none"]:
        return _one(kw, args)
    return _int(kw, args)


CHECKS: dict[str, Callable[[str, list[str]], list[Problem]]] = {
    **{
        k: (lambda choices: lambda kw, args: _choice(kw, args, choices))(v)
        for k, v in MULTISTATE.items()
    },
    "loglevel": lambda kw, a: _named(kw, a, LOG_LEVELS, "unsupported log level '{}'"),
    "facility": lambda kw, a: _named(kw, a, FACILITIES, "unsupported log facility '{}'"),
    "permittunnel": lambda kw, a: _named(kw, a, TUNNEL, "bad " + kw + " argument {}", False),
    "fingerprinthash": lambda kw, a: _named(kw, a, DIGESTS, "Invalid " + kw + ' algorithm "{}".'),
    "pubkeyauthoptions": lambda kw, a: [
        ("fatal", f"unsupported {kw} option {x}") for x in a if x.lower() not in PUBKEY_OPTIONS
    ][:1],
    "port": _port,
    "listenaddress": _listen,
    "time": _time,
    "timeornone": lambda kw, a: _time(kw, a, none_ok=True),
    "int": _int,
    "path": lambda kw, a: _one(kw, a, "missing file name."),
    "any1": lambda kw, a: _one(kw, a),
    "any": lambda kw, a: [],
    "rest": lambda kw, a: [] if a else [("fatal", f"{kw} missing argument.")],
    "words": _words,
    "patterns": _words,
    "keyalgos": lambda kw, a: _algos(kw, a, KEY_ALGOS, "key types"),
    "ciphers": lambda kw, a: _algos(kw, a, CIPHERS, "SSH2 cipher spec"),
    "macs": lambda kw, a: _algos(kw, a, MACS, "SSH2 mac spec"),
    "kex": lambda kw, a: _algos(kw, a, KEX, "SSH2 KexAlgorithms"),
    "maxstartups": _maxstartups,
    "netblocksize": _netblock,
    "persourcemaxstartups": _persource,
    "rekeylimit": _rekeylimit,
    "ipqos": _ipqos,
    "authmethods": _authmethods,
    "acceptenv": _acceptenv,
    "setenv": _setenv,
    "permitopen": _permitopen,
    "channeltimeout": _channeltimeout,
    "command": _command,
    "octalmask": _octal,
}


def check(kind: str, keyword: str, args: list[str]) -> list[Problem]:
    """Problems with `args` for a keyword of `kind` (subsystem/match/include are checked
    by the caller, which knows the file's context)."""
    checker = CHECKS.get(kind)
    if checker is None:
        return []
    try:
        return list(checker(keyword, args))
    except Exception as exc:  # total: a checker bug is an unknown, never a pass or a crash
        return [("unknown", f"{keyword}: value not checked ({type(exc).__name__})")]


def valid_cidr_list(text: str) -> bool:
    """addr_match_list(NULL, list): every entry with a '/' must be a valid CIDR."""
    for entry in text.split(","):
        entry = entry.lstrip("!")
        if not entry:
            return False
        if "/" in entry:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                return False
    return True

"""Host strings shared by the command line and Ansible: `user@host:port`, `[v6]:port`,
and Ansible's ranges (`web[01:03].example`).

Nothing here resolves names: an address may be an alias from ~/.ssh/config, which the
ssh transport resolves (with its User, Port, IdentityFile and ProxyJump) when it connects.
That is why a part not written stays None instead of taking OpenSSH's default.
"""

from __future__ import annotations

import itertools
import math
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from cockpit.hostnames import hostname_problem, username_problem

_V6_BRACKETED = re.compile(r"\[([0-9A-Fa-f:.%\w]*:[0-9A-Fa-f:.%\w]*)\](?::(.*))?")
_RANGE = re.compile(r"\[([^\[\]:]+):([^\[\]:]+)(?::([^\[\]:]+))?\]")


class HostStringError(ValueError):
    """Why a host string cannot be used, worded as a hint."""


@dataclass(frozen=True)
class HostAddress:
    address: str
    user: str | None = None
    port: int | None = None

    @property
    def display(self) -> str:
        """The name a host given this way is shown under: address, plus the port if
        written (two sshd on one machine are two hosts), never the user."""
        if self.port is None:
            return self.address
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"{host}:{self.port}"


def parse_port(text: str) -> int:
    if not _digits(text) or not 1 <= int(text) <= 65535:
        raise HostStringError(f"port {text!r} is not a number from 1 to 65535")
    return int(text)


def check_address(address: str) -> None:
    """Reject what ssh would misread: empty, spaces, an option (`-oProxyCommand=...`), a
    path, and whatever OpenSSH 9.6+ refuses (shell metacharacters: cockpit/hostnames.py)."""
    if not address:
        raise HostStringError("the host part is empty")
    if any(c in string.whitespace for c in address):
        raise HostStringError(f"host {address!r} contains whitespace")
    if address.startswith("-"):
        raise HostStringError(f"host {address!r} starts with '-' and would read as an option")
    if "/" in address:
        raise HostStringError(f"{address!r} looks like a path; use --root DIR for an offline root")
    problem = hostname_problem(address)
    if problem:
        raise HostStringError(problem)


def check_user(user: str) -> None:
    """A remote user name as OpenSSH 9.6+ accepts it (cockpit/hostnames.py)."""
    problem = username_problem(user)
    if problem:
        raise HostStringError(problem)


def parse_host_string(text: str) -> HostAddress:
    """`host`, `user@host`, `host:port`, `user@[::1]:2222`, `::1`, `ssh://user@host:port`."""
    rest = text.strip()
    if rest.startswith("ssh://"):
        rest = rest[len("ssh://") :].rstrip("/")
    user: str | None = None
    if "@" in rest:
        user, rest = rest.rsplit("@", 1)
        if not user or any(c in string.whitespace for c in user) or user.startswith("-"):
            raise HostStringError(f"user {user!r} in {text!r} is not a user name")
        check_user(user)
    port: int | None = None
    bracketed = _V6_BRACKETED.fullmatch(rest)
    if bracketed:
        address = bracketed.group(1)
        if bracketed.group(2) is not None:
            port = parse_port(bracketed.group(2))
    elif rest.count(":") == 1:
        address, port_text = rest.split(":")
        port = parse_port(port_text)
    else:
        address = rest  # a name, an IPv4 address, or a bare IPv6 address (no port)
        if address.startswith("[") or address.endswith("]"):
            raise HostStringError(f"{text!r}: write an IPv6 address as [addr]:port or bare")
    check_address(address)
    return HostAddress(address=address, user=user, port=port)


#: The most hosts one inventory (or one range) may name. A range is counted before any name
#: is built: `h[0:99999999]` is refused in microseconds, not after 5.8 GB.
MAX_HOSTS = 10_000


def _digits(text: str) -> bool:
    """ASCII digits only: `str.isdigit` is also true for '²', which `int()` refuses."""
    return text.isascii() and text.isdigit()


def _range_values(first: str, last: str, stride_text: str | None) -> Sequence[str]:
    """One `[first:last:stride]` as a lazy sequence: its length is known before anything
    is built."""
    if stride_text is not None and not (_digits(stride_text) and int(stride_text) > 0):
        raise HostStringError(f"range step {stride_text!r} is not a positive number")
    step = int(stride_text) if stride_text is not None else 1
    if _digits(first) and _digits(last):
        width = len(first) if first.startswith("0") and len(first) > 1 else 0
        lo, hi = int(first), int(last)
        if lo > hi:
            raise HostStringError(f"range [{first}:{last}] runs backwards")
        return _Padded(range(lo, hi + 1, step), width)
    letters = first + last
    if len(letters) == 2 and letters.isascii() and letters.isalpha():
        if first > last:
            raise HostStringError(f"range [{first}:{last}] runs backwards")
        return [chr(c) for c in range(ord(first), ord(last) + 1, step)]
    raise HostStringError(
        f"range [{first}:{last}] is neither numbers ([01:20]) nor single letters ([a:f])"
    )


class _Padded(Sequence[str]):
    """`range` as zero-padded text, without building the list."""

    def __init__(self, numbers: range, width: int) -> None:
        self.numbers = numbers
        self.width = width

    def __len__(self) -> int:
        return len(self.numbers)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [str(n).zfill(self.width) for n in self.numbers[i]]
        return str(self.numbers[i]).zfill(self.width)


def _bracket_check(literal: str, pattern: str) -> None:
    if "[" in literal or "]" in literal:
        raise HostStringError(f"{pattern!r} has a bracket that is not a range like [01:03]")


def expand_ranges(pattern: str, limit: int = MAX_HOSTS) -> list[str]:
    """Ansible's host ranges, left to right: `db-[a:b]-[1:2]` gives four names. The count
    is checked against `limit` before a single name is built."""
    literals: list[str] = []
    ranges: list[Sequence[str]] = []
    at = 0
    for match in _RANGE.finditer(pattern):
        literals.append(pattern[at : match.start()])
        ranges.append(_range_values(*match.groups()))
        at = match.end()
    literals.append(pattern[at:])
    for literal in literals:
        _bracket_check(literal, pattern)
    count = math.prod(len(r) for r in ranges)
    if count > limit:
        if limit < MAX_HOSTS:  # the hosts before this line took the rest
            raise HostStringError(
                f"with these {count} host(s) the inventory names more than {MAX_HOSTS}"
            )
        raise HostStringError(f"{pattern!r} expands to {count} hosts, more than {limit}")
    names = []
    for values in itertools.product(*ranges):
        parts = [literals[0]]
        for value, literal in zip(values, literals[1:], strict=True):
            parts += [value, literal]
        names.append("".join(parts))
    return names


def ansible_host_pattern(pattern: str, limit: int = MAX_HOSTS) -> tuple[list[str], str | None]:
    """An Ansible host entry: its inventory names (ranges expanded) and the port written
    after it, if any (`db-[a:b]:2222`, `[2001:db8::1]:2222`; a bare IPv6 has none).
    Colons inside range brackets do not count when looking for the port."""
    if _V6_BRACKETED.fullmatch(pattern):
        parsed = parse_host_string(pattern)
        return [parsed.address], str(parsed.port) if parsed.port else None
    outside = _RANGE.sub("", pattern).count(":")
    if outside > 1:  # a bare IPv6 address
        return [parse_host_string(pattern).address], None
    if outside == 1:
        name, port = pattern.rsplit(":", 1)
        return expand_ranges(name, limit), port
    return expand_ranges(pattern, limit), None

"""Host and user names for ssh, accepted as OpenSSH 9.6+ accepts them on its command line.

A name is not only looked up: ssh (and asyncssh) expand `%h` and `%r` into a user's
ProxyCommand, which a shell runs. A host "name" like `127.0.0.1$(touch$IFS'x')` is then
a command. OpenSSH 9.6 refuses such names before anything else (ssh.c, `valid_hostname`
and `valid_ruser`, later moved to misc.c); cockpit applies the same rules to every name
it will hand to ssh: HOST arguments, inventories (TOML, Ansible INI and YAML), aliases
from ~/.ssh/config, and once more in the ssh pool itself, before asyncssh sees the name.

Pure and dependency-free: the inventory readers and the transport both use it.
"""

from __future__ import annotations

import unicodedata

#: Characters OpenSSH refuses anywhere in a host name (misc.c: valid_hostname), besides
#: whitespace and control characters.
HOST_FORBIDDEN = "'`\"$\\;&<>|(){},"
#: ... and in a user name (valid_ruser): `$` and `\` are allowed there (`host$` machine
#: accounts), though not a backslash at the end, nor a `-` after whitespace.
USER_FORBIDDEN = "'`\";&<>|(){}"


def _control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


def hostname_problem(name: str) -> str | None:
    """Why OpenSSH would refuse `name` as a host, or None if it would take it."""
    if not name:
        return "the host name is empty"
    if name.startswith("-"):
        return f"host {name!r} starts with '-' and would read as an option"
    for ch in name:
        if ch.isspace():
            return f"host {name!r} contains whitespace"
        if _control(ch):
            return f"host {name!r} contains a control character"
        if ch in HOST_FORBIDDEN:
            return (
                f"host {name!r} contains {ch!r}: OpenSSH refuses shell metacharacters in "
                "host names (they would run in a ProxyCommand)"
            )
    return None


def username_problem(user: str) -> str | None:
    """Why OpenSSH would refuse `user` as a remote user, or None if it would take it."""
    if not user:
        return "the user name is empty"
    if user.startswith("-"):
        return f"user {user!r} starts with '-' and would read as an option"
    for i, ch in enumerate(user):
        if _control(ch):
            return f"user {user!r} contains a control character"
        if ch in USER_FORBIDDEN:
            return (
                f"user {user!r} contains {ch!r}: OpenSSH refuses shell metacharacters in "
                "user names (they would run in a ProxyCommand)"
            )
        if ch.isspace() and user[i + 1 : i + 2] == "-":
            return f"user {user!r} has a '-' after whitespace (it would read as an option)"
    if user.endswith("\\"):
        return f"user {user!r} ends with a backslash"
    return None

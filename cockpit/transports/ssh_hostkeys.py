"""Host keys: known_hosts loading, unknown vs changed, and accepting a key on purpose.

asyncssh refuses an untrusted key with one exception ("Host key is not trusted") whatever
the reason. An admin needs to know which: an UNKNOWN key is a first contact (OpenSSH asks,
the app may show the fingerprint and accept it), a CHANGED key may be an attack and is
never accepted. So the client records the key it was offered, and we look the host up in
known_hosts ourselves to tell the two apart.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.transports.base import CollectError
from cockpit.transports.ssh_lib import asyncssh

DEFAULT_KNOWN_HOSTS = ("~/.ssh/known_hosts", "/etc/ssh/ssh_known_hosts")


class HostKeyError(CollectError):
    """An untrusted host key, with what the app needs to show it and (if unknown) accept it.

    `category` is "hostkey-unknown" or "hostkey-changed". `key` is the key the server
    presented; `host`/`port` are the names known_hosts is matched on (after ssh config's
    HostName/HostKeyAlias), so `accept_host_key(err.host, err.port, err.key, path)` writes
    the line OpenSSH would.
    """

    def __init__(
        self, category: str, host: str, port: int, key: asyncssh.SSHKey, known_hosts: str
    ) -> None:
        self.host = host
        self.port = port
        self.key = key
        self.fingerprint = key.get_fingerprint("sha256")
        self.known_hosts = known_hosts
        where = known_host_pattern(host, port)
        if category == "hostkey-changed":
            message = (
                f"HOST KEY CHANGED for {where}: server offers {key.get_algorithm()} "
                f"{self.fingerprint}, which {known_hosts} does not list for it; "
                "refusing (possible man-in-the-middle). If the host was reinstalled, "
                f"check the fingerprint out of band, then: ssh-keygen -R {shlex.quote(where)}"
            )
        else:
            message = (
                f"unknown host key for {where}: {key.get_algorithm()} {self.fingerprint} "
                f"(not in {known_hosts}); verify it, then accept it in the app or with "
                f"ssh {'-p ' + str(port) + ' ' if port != 22 else ''}{shlex.quote(host)}"
            )
        super().__init__(category, message)


def known_host_pattern(host: str, port: int) -> str:
    """The host field OpenSSH writes: `host`, or `[host]:port` off port 22."""
    return host if port == 22 else f"[{host}]:{port}"


@dataclass
class KnownHosts:
    """known_hosts files, re-read when one changes (an accepted key counts at once)."""

    paths: Sequence[str] = DEFAULT_KNOWN_HOSTS
    _stamp: tuple[tuple[str, float], ...] | None = field(default=None, repr=False)
    _loaded: asyncssh.SSHKnownHosts | None = field(default=None, repr=False)

    @property
    def primary(self) -> str:
        """The file a new key is appended to (the user's, like OpenSSH)."""
        return os.path.expanduser(self.paths[0]) if self.paths else "~/.ssh/known_hosts"

    def load(self) -> asyncssh.SSHKnownHosts:
        readable = [os.path.expanduser(p) for p in self.paths]
        readable = [p for p in readable if os.path.isfile(p) and os.access(p, os.R_OK)]
        stamp = tuple((p, os.stat(p).st_mtime) for p in readable)
        if self._loaded is None or stamp != self._stamp:
            self._loaded = asyncssh.read_known_hosts(readable) if readable else None
            if self._loaded is None:
                self._loaded = asyncssh.import_known_hosts("")
            self._stamp = stamp
        return self._loaded

    def has_keys_for(self, host: str, addr: str, port: int) -> bool:
        """Whether known_hosts trusts any key (or CA) for this host: then a key it
        does not list is a changed key, not a new one."""
        found = self.load().match(host, addr, None if port == 22 else port)
        return bool(found[0] or found[1])

    def classify(self, host: str, addr: str, port: int, key: asyncssh.SSHKey) -> HostKeyError:
        changed = self.has_keys_for(host, addr, port)
        category = "hostkey-changed" if changed else "hostkey-unknown"
        return HostKeyError(category, host, port, key, self.primary)


def accept_host_key(
    host: str, port: int, key: asyncssh.SSHKey, known_hosts_path: str | os.PathLike[str]
) -> str:
    """Append `key` for host:port to known_hosts (the app's "yes" to an unknown key).

    Refuses (ValueError) when the file already trusts another key for this host: a
    changed key is never accepted by cockpit, the admin removes the old one with
    `ssh-keygen -R` first. Returns the line written.
    """
    path = Path(known_hosts_path).expanduser()
    pattern = known_host_pattern(host, port)
    if path.is_file():
        existing = asyncssh.read_known_hosts(str(path))
        keys = existing.match(host, "", None if port == 22 else port)[0]
        if key in keys:
            return ""
        if keys:
            raise ValueError(f"{path} already holds another key for {pattern}; not replacing it")
    algorithm, blob = key.export_public_key("openssh").decode("ascii").split()[:2]
    line = f"{pattern} {algorithm} {blob}\n"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with path.open("a", encoding="ascii") as out:
        if path.stat().st_size and not _ends_with_newline(path):
            out.write("\n")
        out.write(line)
    return line


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"

"""Hostile offline roots for the containment tests: a secret placed OUTSIDE the root (the
viewing machine's own files), and links inside the root that the kernel would follow to
it while the root's own view (RESOLVE_IN_ROOT) leads elsewhere.

Three link styles, each a way a naive `"$ROOT$path"` read escapes:
- `absolute`: the link names the secret's absolute path on this machine (inside the root
  that path does not exist: dangling);
- `relative`: enough `..` to climb out of the root (inside the root, `..` stops at it);
- `loop`: the absolute path again, and inside the root that path is a link back: a loop
  in the root's view, the secret in the kernel's.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cockpit.probes import ALL_PROBES
from cockpit.probes.base import declared_paths
from cockpit.snapshot import Sections
from tests.support import SAMPLE_TREES

STYLES = ("absolute", "relative", "loop")


@dataclass(frozen=True)
class Outside:
    """This machine's files the collector must never read: a file and a directory, every
    byte and name marked with `token`."""

    token: str
    file: Path
    dir: Path

    def leaks(self, sections: Sections) -> list[str]:
        """Section names whose name or text holds the token."""
        return [n for n, s in sections.items() if self.token in n or self.token in s.text]


def make_outside(base: Path) -> Outside:
    token = "SECRET" + secrets.token_hex(8)
    where = base / "outside"
    where.mkdir(parents=True)
    # reboot words and config words, so that every prefilter would send it on
    body = (
        f"15 3 * * * root /sbin/reboot # {token}\n"
        f"linux /vmlinuz-{token} root=/dev/sda1 init=/{token}\n"
        f"/{token} / ext4 defaults 0 1\n"
        f"Status: install ok half-installed {token}\n"
    )
    secret = where / "secret"
    secret.write_text(body)
    d = where / "dir"
    d.mkdir()
    for name in (token, f"{token}.conf", "root", "status", "crontab", f"S20{token}"):
        (d / name).write_text(body)
    (d / f"{token}.d").mkdir()
    (d / f"{token}.d" / "x").write_text(body)
    skeleton(d, body)
    return Outside(token, secret, d)


def directories() -> set[str]:
    """The probe paths that are directories on real systems (a sample host has one
    there, or the name says so), and every directory on a probe path's way."""
    declared = all_declared()
    out = {p for p in declared if any(q.startswith(p + "/") for q in declared)}
    for path in declared:
        if path.endswith(".d") or any((t / path.lstrip("/")).is_dir() for t in SAMPLE_TREES):
            out.add(path)
    return out


#: Files put in every directory of a skeleton: names probes look for in many places.
_ENTRIES = ("root", "job", "S20ssh", "ssh", "sshd", "ssh.service", "x.conf", "0001", "default")


def _tails() -> list[tuple[str, bool]]:
    """Every tail of every probe path (`cron/crontabs` for a link at /var/spool), and
    whether it is a directory: what a probe reaches below whichever directory on its way
    is a link."""
    dirs = directories()
    out: dict[str, bool] = {}
    for path in all_declared():
        parts = path.strip("/").split("/")
        for i in range(1, len(parts)):
            tail = "/".join(parts[i:])
            out[tail] = out.get(tail, False) or path in dirs
    return sorted(out.items(), key=lambda t: (t[0].count("/"), t[0]))


def skeleton(base: Path, body: str, decoy: bool = False) -> None:
    """Under `base`, every tail of every probe path: directories (holding a few files that
    hold `body`) where real systems have them, files holding `body` elsewhere. A
    directory link the kernel follows to `base` finds there what the probe looks for.
    Each directory also holds `lnk`: in a decoy (inside the root) a link to `root`, on
    this machine a plain file, so a lookup that asks the kernel about an entry the root
    lists as a link finds a file, and reads it."""
    for tail, is_dir in _tails():
        host = place(base, tail)
        if host is None:
            continue
        try:
            if is_dir:
                host.mkdir()
                for name in _ENTRIES:
                    (host / name).write_text(body)
                if decoy:
                    (host / "lnk").symlink_to("root")
                else:
                    (host / "lnk").write_text(body)
            else:
                host.write_text(body)
        except OSError:
            continue


def all_declared() -> list[str]:
    """Every path a probe reads, lists or tests, and every directory on its way."""
    out: set[str] = set()
    for probe in ALL_PROBES:
        for path in declared_paths(probe):
            parts = path.strip("/").split("/")
            for i in range(1, len(parts) + 1):
                if parts[i - 1]:
                    out.add("/" + "/".join(parts[:i]))
    return sorted(out)


def by_height(paths: Iterable[str]) -> list[list[str]]:
    """Groups in which no path lies under another (each can be planted in one tree):
    the paths with nothing declared below them first, then their parents, and so on."""
    paths = sorted(set(paths))
    height: dict[str, int] = {}
    for p in sorted(paths, key=lambda p: -p.count("/")):
        below = [height[q] for q in height if q.startswith(p + "/")]
        height[p] = 1 + max(below) if below else 0
    groups: dict[int, list[str]] = {}
    for p, h in height.items():
        groups.setdefault(h, []).append(p)
    return [sorted(groups[h]) for h in sorted(groups)]


def place(root: Path, path: str) -> Path | None:
    """Where to create `path` inside `root`: its directories made one at a time, and None
    (create nothing) if any of them is a link or not a directory. A builder that let
    mkdir follow a link it planted itself would write into this machine's own /etc: a
    test tree must never be written through."""
    here = root
    for part in path.strip("/").split("/")[:-1]:
        if part in ("", "."):
            continue
        if part == "..":
            return None
        here = here / part
        if here.is_symlink():
            return None
        if not here.exists():
            here.mkdir()
        elif not here.is_dir():
            return None
    name = path.rstrip("/").rpartition("/")[2]
    if name in ("", ".", ".."):
        return None
    host = here / name
    return None if host.is_symlink() or host.exists() else host


def plant(root: Path, path: str, style: str, target: Path) -> None:
    """Make `path` (inside `root`) a link of `style` to `target` (outside the root)."""
    host = place(root, path)
    if host is None:
        return
    if style == "relative":
        host.symlink_to(os.path.relpath(target, host.parent))
        _decoy(root, "/" + os.path.relpath(target, root.parent), target.is_dir())
        return
    host.symlink_to(str(target))
    if style == "loop":
        back = place(root, str(target))
        if back is not None:
            back.symlink_to(path)  # inside the root: a link back to where we came from


def _decoy(root: Path, path: str, directory: bool) -> None:
    """Where a relative escape lands INSIDE the root (`..` stops at it): something real, so
    the root's view resolves and only a read that let the kernel resolve would differ."""
    host = place(root, path)
    if host is None:
        return
    if directory:
        host.mkdir()
        skeleton(host, "30 2 * * * root /sbin/reboot # decoy\n", decoy=True)
    else:
        host.write_text("30 2 * * * root /sbin/reboot # decoy\n")

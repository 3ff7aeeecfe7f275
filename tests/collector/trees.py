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
    return Outside(token, secret, d)


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


def plant(root: Path, path: str, style: str, target: Path) -> None:
    """Make `path` (inside `root`) a link of `style` to `target` (outside the root)."""
    host = root / path.lstrip("/")
    host.parent.mkdir(parents=True, exist_ok=True)
    if host.is_symlink() or host.exists():
        return
    if style == "relative":
        host.symlink_to(os.path.relpath(target, host.parent))
        return
    host.symlink_to(str(target))
    if style == "loop":
        back = root / str(target).lstrip("/")
        back.parent.mkdir(parents=True, exist_ok=True)
        if not back.is_symlink() and not back.exists():
            back.symlink_to(path)  # inside the root: a link back to where we came from

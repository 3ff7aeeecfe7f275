"""Paths inside an offline root, resolved as the collector resolves them, and opened safely.

An offline root is a directory of this machine holding another system (a mounted disk, a
chroot). Its symlinks mean what they mean on THAT system: `/etc -> /srv/etc` names the
root's own /srv/etc, never this machine's. The kernel does not know that, so a path under
the root is never handed to it whole. Two halves:

- `resolve` is the Python twin of the collector's `_walk` (collector/sh/20-paths.sh), with
  openat2(2) RESOLVE_IN_ROOT semantics: component by component, each link read and
  followed inside the root (an absolute target restarts at the root, `..` stops there),
  more than 40 links is `loop`, a link to nothing `dangling`, a missing component of the
  path itself `absent`, and the root's /proc, /sys, /dev or /run when this machine mounted
  something there `foreign`. tests/collector/test_inroot_differential.py runs both on
  random trees and requires the same answer, so what an action touches is what the
  collector read.
- `open_dir` then opens a resolved directory one component at a time with
  O_NOFOLLOW | O_DIRECTORY, each relative to the previous one's descriptor: if anything on
  the way became a link since it was resolved, the open fails instead of following it.
  Callers work on the returned descriptor (`dir_fd=`), so no later step re-resolves.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass

#: As the kernel's (and the collector's) limit: more links than this is a loop.
MAX_HOPS = 40

#: Where this machine may have mounted its own pseudo-filesystems into a root.
FOREIGN_CANDIDATES = ("/proc", "/sys", "/dev", "/run", "/sys/firmware/efi/efivars")


@dataclass(frozen=True)
class Resolved:
    """Where an in-root path leads. `path` is the resolved path inside the root when
    `state` is ok, else the path that was looked for (or where the walk stopped)."""

    path: str
    state: str  # ok | absent | dangling | loop | foreign | denied
    hops: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.state == "ok"


class Refused(Exception):
    """The path cannot be reached without following a link out of the root's own view
    (or at all): say why, touch nothing."""


def prefix(root: str) -> str:
    """The root as the collector's ROOT variable holds it (see collector/script.py):
    absolute, no trailing slash, `/` itself as ""."""
    if not root.startswith("/"):
        root = os.path.join(os.getcwd(), root)
    return root.rstrip("/")


def foreign_dirs(root: str) -> frozenset[str]:
    """The twin of `_foreign_init`: candidates that are real directories of the root (no
    link on their way) on another device than the root itself. If a device cannot be
    read, the candidate counts as foreign."""
    base = prefix(root)
    out = set()
    try:
        root_dev: int | None = os.stat(base + "/").st_dev
    except OSError:
        root_dev = None
    for cand in FOREIGN_CANDIDATES:
        if not _real_dirs(base, cand):
            continue
        try:
            dev: int | None = os.stat(base + cand).st_dev
        except OSError:
            dev = None
        if root_dev is None or dev != root_dev:
            out.add(cand)
    return frozenset(out)


def _real_dirs(base: str, path: str) -> bool:
    """Every component of `path` is a directory, not a link (lstat)."""
    walked = ""
    for part in path.strip("/").split("/"):
        walked += "/" + part
        try:
            mode = os.lstat(base + walked).st_mode
        except OSError:
            return False
        if not stat.S_ISDIR(mode):
            return False
    return True


def _split1(queue: str) -> tuple[str, str]:
    """`${q%%/*}` and `${q#*/}` (or the whole and nothing): the shell's component split."""
    head, sep, tail = queue.partition("/")
    return (head, tail) if sep else (queue, "")


def _readlink(path: str) -> str | None:
    """The target as `$(readlink -- PATH)` gives it (trailing newlines dropped); None when
    it cannot be read, is empty, or holds a newline (the collector's `dangling`)."""
    try:
        target = os.readlink(path)
    except OSError:
        return None
    target = target.rstrip("\n")
    if not target or "\n" in target:
        return None
    return target


def resolve(root: str, path: str, foreign: Iterable[str] | None = None) -> Resolved:
    """Resolve `path` inside `root`, exactly as `_walk` in collector/sh/20-paths.sh does
    (kept line for line alike: the differential test compares them). `foreign`: the
    root's foreign directories (`foreign_dirs(root)` when None)."""
    base = prefix(root)
    far = frozenset(foreign_dirs(root) if foreign is None else foreign)
    oq, lq, done, hops = path, "", "", 0
    trail: list[str] = []

    def failed(component: str, from_link: bool) -> Resolved:
        parent = base + done + "/"
        if os.path.isdir(parent) and not os.access(parent, os.X_OK):
            state = "denied"
        else:
            state = "dangling" if from_link else "absent"
        where = done + "/" + component
        where += ("/" + lq if lq else "") + ("/" + oq if oq else "")
        return Resolved(where, state, tuple(trail))

    while True:
        if lq:
            from_link = True
            c, lq = _split1(lq)
        elif oq:
            from_link = False
            c, oq = _split1(oq)
        else:
            break
        if c == "":
            continue
        if c in (".", ".."):
            if done and not os.path.isdir(base + done):
                return Resolved(done, "dangling" if from_link else "absent", tuple(trail))
            if c == "..":
                done = done.rpartition("/")[0]
            continue
        cand = done + "/" + c
        if os.path.islink(base + cand):
            hops += 1
            if hops > MAX_HOPS:
                return Resolved(cand, "loop", tuple(trail))
            target = _readlink(base + cand)
            if target is None:
                trail.append(f"link {cand} -> ?")
                return Resolved(cand, "dangling", tuple(trail))
            trail.append(f"link {cand} -> {target}")
            if target.startswith("/"):
                done = ""
            lq = f"{target}/{lq}" if lq else target
        elif os.path.exists(base + cand):
            if cand in far:
                return Resolved(cand, "foreign", tuple(trail))
            done = cand
        else:
            return failed(c, from_link)
    return Resolved(done or "/", "ok", tuple(trail))


def host_path(root: str, resolved: str) -> str:
    """The path on this machine of an in-root path `resolve` returned (ok)."""
    return prefix(root) + resolved if resolved != "/" else prefix(root) + "/"


def open_dir(root: str, resolved: str) -> int:
    """A descriptor of the in-root directory `resolved` (a path `resolve` returned ok),
    opened component by component with O_NOFOLLOW: raise Refused if any component is not
    a plain directory now (a link appeared, something was swapped). The root directory
    itself is opened as given (the admin named it). The caller closes the descriptor."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
    try:
        fd = os.open(prefix(root) + "/", flags)
    except OSError as exc:
        raise Refused(f"cannot open the root {root}: {exc.strerror}") from exc
    walked = ""
    for part in resolved.strip("/").split("/"):
        if part in ("", "."):
            continue
        walked += "/" + part
        try:
            nxt = os.open(part, flags | os.O_NOFOLLOW, dir_fd=fd)
        except OSError as exc:
            os.close(fd)
            why = "is a link now" if os.path.islink(prefix(root) + walked) else exc.strerror
            raise Refused(f"{walked} inside the root: {why}") from exc
        os.close(fd)
        fd = nxt
    return fd


def parent_of(root: str, path: str) -> tuple[int, str, str]:
    """For a file the actions edit: (descriptor of its directory, its name, its path inside
    the root as resolved). The directory is resolved like the collector does, then opened
    with no link followed; the file's own name is returned as is, for the caller to open
    with O_NOFOLLOW (a file that is itself a link is never written through). Raise Refused
    with the reason when it cannot be reached."""
    parent, _, name = path.rstrip("/").rpartition("/")
    if name in ("", ".", "..") or not path.startswith("/"):
        raise Refused(f"{path}: not a file path")
    where = resolve(root, parent or "/")
    if not where.ok:
        raise Refused(f"{parent or '/'}: {where.state} inside the root")
    fd = open_dir(root, where.path)
    resolved = (where.path.rstrip("/") or "") + "/" + name
    return fd, name, resolved

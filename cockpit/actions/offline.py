"""The actions' reads and writes on an offline root, done here instead of by a sh script.

A script under ROOT would hand the kernel "$ROOT/etc/cron.d/x", and the kernel follows the
root's links as if they were this machine's: a root whose /etc is a link could make
disarm rewrite the viewer's own crontab. Here the target is resolved inside
the root exactly as the collector resolved it (cockpit.inroot), its directory opened one
component at a time with no link followed, and every read and write goes through that
descriptor: a file that is itself a link is refused, never written through, and nothing
outside the root is read, shown or recorded.

Each function answers like the host scripts (scripts.Answer: status ok|refused|error, a
message, byte sections `meta`, `content`, `current`, `after`), so apply.py plans and
reports the same way in both modes. Compare-and-swap as there: the bytes the plan was
made from must still be there right before the write.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator

from cockpit import inroot
from cockpit.actions.scripts import Answer

#: A crontab or a script bigger than this is not something to edit from here.
MAX_BYTES = 4 * 1024 * 1024


class _Stop(Exception):
    """Carries the answer out of a nested step."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.message)
        self.answer = answer


@contextlib.contextmanager
def _directory(root: str, path: str) -> Iterator[tuple[int, str, str]]:
    try:
        fd, name, resolved = inroot.parent_of(root, path)
    except inroot.Refused as exc:
        raise _Stop(Answer("refused", f"{exc} (nothing outside the root is followed)")) from exc
    try:
        yield fd, name, resolved
    finally:
        os.close(fd)


def _meta(st: os.stat_result) -> bytes:
    """As the host scripts' `stat -c '%a %u %g'`."""
    return f"{stat.S_IMODE(st.st_mode):o} {st.st_uid} {st.st_gid}".encode()


def _read(dfd: int, name: str) -> tuple[os.stat_result, bytes] | None:
    """The file `name` in `dfd`, opened with no link followed (a FIFO never blocks);
    None if it is not there. Raise _Stop for a link, a non-file, or a huge file."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dfd)
    except FileNotFoundError:
        return None
    except OSError as exc:
        try:
            st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
        except OSError:
            st = None
        if st is not None and stat.S_ISLNK(st.st_mode):
            raise _Stop(Answer("ok", "symlink", {"meta": b"symlink"})) from exc
        raise _Stop(Answer("error", f"cannot open {name}: {exc.strerror}")) from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Stop(Answer("refused", f"{name} is not a regular file"))
        if st.st_size > MAX_BYTES:
            raise _Stop(Answer("refused", f"{name} is {st.st_size} bytes: too big to edit here"))
        chunks = []
        total = 0
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_BYTES:
                raise _Stop(Answer("refused", f"{name} grew past {MAX_BYTES} bytes"))
        return st, b"".join(chunks)
    finally:
        os.close(fd)


def _where(path: str, resolved: str) -> dict[str, bytes]:
    """Say where the root's own links led, when they led somewhere else."""
    return {} if resolved == path else {"where": resolved.encode()}


def read(root: str, path: str) -> Answer:
    """`content` and `meta` of the root's file (`meta` = "symlink" for a link: refused by
    the plan), or neither when it is gone."""
    try:
        with _directory(root, path) as (dfd, name, resolved):
            found = _read(dfd, name)
            if found is None:
                return Answer("ok", "read", _where(path, resolved))
            st, data = found
            return Answer(
                "ok", "read", {"meta": _meta(st), "content": data, **_where(path, resolved)}
            )
    except _Stop as stop:
        return stop.answer


def _expect(dfd: int, name: str, expected: bytes) -> os.stat_result:
    """Refuse (sending what is there now) unless `name` holds exactly `expected`."""
    try:
        found = _read(dfd, name)
    except _Stop as stop:
        if stop.answer.sections.get("meta") == b"symlink":
            raise _Stop(Answer("refused", "is a symlink now")) from stop
        raise
    if found is None:
        raise _Stop(Answer("refused", "the file is gone"))
    st, data = found
    if data != expected:
        raise _Stop(Answer("refused", "the file changed since it was read", {"current": data}))
    return st


def atomic_write(root: str, path: str, expected: bytes, new: bytes) -> Answer:
    """Replace the file by a new one in the same directory (same owner and mode), renamed
    over it through the directory's descriptor: cron never reads a half-written crontab,
    a crash leaves the old one, and no link is followed on the way."""
    try:
        with _directory(root, path) as (dfd, name, resolved):
            st = _expect(dfd, name, expected)
            tmp = f".cockpit.{secrets.token_hex(6)}"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            try:
                fd = os.open(tmp, flags, 0o600, dir_fd=dfd)
            except OSError as exc:
                return Answer("error", f"cannot create a temp file: {exc.strerror}")
            try:
                try:
                    view = memoryview(new)
                    while view:
                        view = view[os.write(fd, view) :]
                    os.fchown(fd, st.st_uid, st.st_gid)
                    os.fchmod(fd, stat.S_IMODE(st.st_mode))
                    os.fsync(fd)
                finally:
                    os.close(fd)
                _expect_again(dfd, name, expected, "the file changed while writing")
                os.rename(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dfd)
                raise
            return _after(dfd, name, "written", path, resolved)
    except _Stop as stop:
        return stop.answer
    except OSError as exc:
        return Answer("error", f"{path}: {exc.strerror}")


def _expect_again(dfd: int, name: str, expected: bytes, why: str) -> None:
    try:
        _expect(dfd, name, expected)
    except _Stop as stop:
        if stop.answer.message == "the file changed since it was read":
            raise _Stop(Answer("refused", why, stop.answer.sections)) from stop
        raise


def _after(dfd: int, name: str, message: str, path: str, resolved: str) -> Answer:
    found = _read(dfd, name)
    sections = _where(path, resolved)
    if found is not None:
        st, data = found
        sections |= {"meta": _meta(st), "after": data}
    return Answer("ok", message, sections)


def chmod(root: str, path: str, expected: bytes, mode: int, new: int) -> Answer:
    """Set the file's mode to `new` if its content and mode are what the plan saw; the
    mode is set on a descriptor opened with no link followed."""
    try:
        with _directory(root, path) as (dfd, name, resolved):
            st = _expect(dfd, name, expected)
            if stat.S_IMODE(st.st_mode) != mode:
                return Answer(
                    "refused", "its mode changed since it was read", {"current_meta": _meta(st)}
                )
            fd = os.open(
                name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dfd
            )
            try:
                if os.fstat(fd).st_ino != st.st_ino:
                    return Answer("refused", "the file was replaced while checking it")
                os.fchmod(fd, new)
            finally:
                os.close(fd)
            return _after(dfd, name, "chmod", path, resolved)
    except _Stop as stop:
        return stop.answer
    except OSError as exc:
        return Answer("error", f"{path}: {exc.strerror}")


def remove(root: str, path: str, expected: bytes) -> Answer:
    """Remove the file (a leftover schedule or pid file, an at job) if it is unchanged."""
    try:
        with _directory(root, path) as (dfd, name, resolved):
            _expect(dfd, name, expected)
            os.unlink(name, dir_fd=dfd)
            return _after(dfd, name, "removed", path, resolved)
    except _Stop as stop:
        return stop.answer
    except OSError as exc:
        return Answer("error", f"{path}: {exc.strerror}")

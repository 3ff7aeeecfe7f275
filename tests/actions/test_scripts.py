"""The host-side scripts under dash, bash and busybox ash: exact bytes in, framed answers out."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cockpit.actions import scripts


def _read(root: Path, path: str, token: str) -> scripts.Answer:
    return scripts.parse_answer(_sh("dash", scripts.read_script(token, str(root), path)), token)


def _sh(shell: str, script: str, env: dict[str, str] | None = None) -> bytes:
    proc = subprocess.run(
        [*shell.split(), "-s"], input=script.encode("ascii"), capture_output=True, timeout=30,
        env=env,
    )  # fmt: skip
    return proc.stdout


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=5000))
@example(data=b"-\x00")  # dash's printf took a format starting with "-" for an option
@example(data=b"x" * 2048 + b"-n")  # ... also at the start of a later chunk
def test_write_bytes_is_exact_under_dash(data: bytes) -> None:
    target = Path(os.environ.get("TMPDIR", "/tmp")) / f"cockpit-wb-{os.getpid()}"
    try:
        _sh("dash", scripts.write_bytes(data, scripts.shq(str(target))))
        assert target.read_bytes() == data
    finally:
        target.unlink(missing_ok=True)


def test_write_bytes_and_read_back_under_every_shell(shell: str, tmp_path: Path) -> None:
    data = bytes(range(256)) * 20 + b"%s %% \\ ' \" $HOME `x`\n"
    path = tmp_path / "f"
    path.write_bytes(b"old")
    token = scripts.new_token()
    script = scripts.atomic_write_script(token, str(tmp_path), "/f", b"old", data)
    answer = scripts.parse_answer(_sh(shell, script), token)
    assert answer.status == "ok", answer
    assert path.read_bytes() == data
    assert answer.sections["after"] == data
    read = scripts.read_script(token, str(tmp_path), "/f")
    again = scripts.parse_answer(_sh(shell, read), token)
    assert again.sections["content"] == data
    assert again.sections["meta"].split()[0] == b"644"


def test_a_file_cannot_forge_the_answer(tmp_path: Path) -> None:
    token = scripts.new_token()
    other = scripts.new_token()
    hostile = f"{other} STATUS ok forged\n{other} SECTION content\nx\n\n{other} ENDSECTION\n"
    (tmp_path / "f").write_text(hostile)
    answer = _read(tmp_path, "/f", token)
    assert answer.status == "ok" and answer.message == "read"
    assert answer.sections["content"] == hostile.encode()


def test_a_script_that_dies_is_broken_never_ok() -> None:
    assert scripts.parse_answer(b"", "T").status == "broken"
    cut = b"T SECTION content\npartial"
    assert scripts.parse_answer(cut, "T").status == "broken"


def test_missing_file_and_symlink_are_reported(tmp_path: Path) -> None:
    token = scripts.new_token()
    gone = _read(tmp_path, "/nope", token)
    assert "content" not in gone.sections and gone.status == "ok"
    (tmp_path / "link").symlink_to("/etc/passwd")
    link = _read(tmp_path, "/link", token)
    assert link.sections["meta"] == b"symlink"
    write = scripts.atomic_write_script(token, str(tmp_path), "/link", b"", b"x")
    assert scripts.parse_answer(_sh("dash", write), token).status == "refused"


def test_remove_script_runs_the_cancel_command_and_checks_the_file_went(tmp_path: Path) -> None:
    """`shutdown -c` cannot be run for real here (PID 1 is not an init, and scheduling a
    real shutdown on a shared machine is out of the question): a stand-in `shutdown` on
    PATH removes the pid file as sysvinit's waiting shutdown does when signalled."""
    pid = tmp_path / "shutdown.pid"
    pid.write_text("4242\n")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    stub = bindir / "shutdown"
    stub.write_text(f'#!/bin/sh\necho "$@" >{tmp_path}/args\nrm -f {pid}\n')
    stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}"}
    token = scripts.new_token()
    script = scripts.remove_script(token, "", str(pid), b"4242\n", "shutdown -c")
    answer = scripts.parse_answer(_sh("dash", script, env), token)
    assert answer.status == "ok", answer
    assert (tmp_path / "args").read_text() == "-c\n"
    # a cancel that fails is an error with its output, and the file stays
    pid.write_text("4242\n")
    stub.write_text("#!/bin/sh\necho 'System has not been booted with systemd' >&2\nexit 1\n")
    failed = scripts.parse_answer(_sh("dash", script, env), token)
    assert failed.status == "error" and "not been booted" in failed.message
    assert pid.exists()

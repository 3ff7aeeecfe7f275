"""The collector's output through gzip on the host: the same bytes, fewer packets, and
the plain stream wherever gzip is missing or a host is slow."""

from __future__ import annotations

import asyncio
import gzip
import os
import subprocess

from cockpit.hostspec import HostSpec
from cockpit.transports.base import MAX_OUTPUT_BYTES
from cockpit.transports.ssh import SshPool, SshTransport, inflate
from tests.ssh.conftest import Sshd

# Every byte value, lines that look like gzip's magic, and no final newline.
SCRIPT = r"""printf '\037\213 not gzip\n'; i=0; while [ $i -lt 256 ]; do
printf "\\$(printf %o $i)"; i=$((i + 1)); done; printf 'end'"""


async def run_with(sshd: Sshd, compress: bool) -> tuple[bytes, int]:
    pool = sshd.pool(compress=compress)
    transport = SshTransport(sshd.spec("gz"), pool)
    sizes: list[int] = []
    real_result = transport._result

    def spy(name, session):  # type: ignore[no-untyped-def]
        sizes.append(session.size)  # bytes that crossed the wire
        return real_result(name, session)

    transport._result = spy  # type: ignore[method-assign]
    try:
        return await transport.run(SCRIPT + "\nhead -c 60000 /dev/zero\n", 30), sizes[0]
    finally:
        await pool.close()


async def test_gzip_and_plain_give_the_same_bytes_and_gzip_sends_fewer(sshd: Sshd) -> None:
    (zipped, zipped_size), (plain, plain_size) = await asyncio.gather(
        run_with(sshd, True), run_with(sshd, False)
    )
    assert zipped == plain
    assert plain.startswith(b"\x1f\x8b not gzip\n") and plain.endswith(b"end" + b"\0" * 60000)
    assert zipped_size < plain_size // 10


def test_exec_is_plain_for_a_slow_host_and_with_compression_off() -> None:
    spec = HostSpec("h", "ssh", address="h", sudo=True)
    assert SshTransport(spec, SshPool()).exec_command() == "sudo -n sh -s"  # off by default
    transport = SshTransport(spec, SshPool(stall_timeout=20, compress=True))
    assert "gzip -1" in transport.exec_command() and "sudo -n sh -s" in transport.exec_command()
    transport.last_run_s = 6  # > a quarter of the stall bound: gzip would hold the output
    assert transport.exec_command() == "sudo -n sh -s"
    assert SshTransport(spec, SshPool(compress=False)).exec_command() == "sudo -n sh -s"


def test_without_gzip_on_the_host_the_wrapper_runs_the_collector_plainly() -> None:
    command = SshTransport(HostSpec("h", "ssh"), SshPool(compress=True)).exec_command()
    assert command.startswith("sh -c '") and command.endswith("'")
    # The wrapper as sh receives it; `sh -s` by its path, since PATH will hide gzip.
    wrapper = command[len("sh -c '") : -1].replace("'\\''", "'").replace("sh -s", "/bin/sh -s")
    no_gzip = {**os.environ, "PATH": "/nonexistent"}
    out = subprocess.run(
        ["/bin/sh", "-c", wrapper], input=b"echo plain; exit 4", capture_output=True, env=no_gzip
    )
    assert (out.stdout, out.returncode) == (b"plain\n", 4)
    zipped = subprocess.run(
        ["/bin/sh", "-c", wrapper], input=b"echo zipped; exit 4", capture_output=True
    )
    assert zipped.stdout.startswith(b"\x1f\x8b") and zipped.returncode == 4
    assert inflate(zipped.stdout) == b"zipped\n"


def test_inflate_is_capped_and_keeps_what_a_cut_stream_held() -> None:
    bomb = gzip.compress(b"\0" * (MAX_OUTPUT_BYTES + 5), 1)
    assert len(inflate(bomb) or b"") == MAX_OUTPUT_BYTES
    text = os.urandom(3000).hex().encode()
    cut = gzip.compress(text, 1)[:-2000]
    kept = inflate(cut)
    assert kept is not None and text.startswith(kept) and 0 < len(kept) < len(text)
    assert inflate(b"\x1f\x8bnot a gzip stream") is None
    assert inflate(b"plain") is None

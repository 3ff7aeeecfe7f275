"""Run the collector in a local `sh -s` child: shared by the live and offline transports."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal

from cockpit.transports.base import MAX_OUTPUT_BYTES, CollectError


async def _stop(proc: asyncio.subprocess.Process) -> None:
    """Kill the collector's whole session (its `timeout`/`od` children too) and reap it,
    so no `sh` outlives a cancelled refresh or the app's exit."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # start_new_session: pgid == pid
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    await asyncio.shield(proc.wait())


async def run_sh(script: str, timeout: float, shell: str = "sh") -> bytes:
    try:
        proc = await asyncio.create_subprocess_exec(
            *shell.split(),  # "busybox sh" is two words
            "-s",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise CollectError("collector", f"cannot start {shell}: {exc}") from exc
    assert proc.stdin is not None and proc.stdout is not None

    async def feed_and_read() -> bytes:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(script.encode("utf-8"))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            await proc.stdin.drain()
        proc.stdin.close()
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_OUTPUT_BYTES:
            chunk = await proc.stdout.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_OUTPUT_BYTES:
            # A runaway host: keep what fits, stop the child; the framing reports the cut.
            await _stop(proc)
        await proc.wait()
        return b"".join(chunks)[:MAX_OUTPUT_BYTES]

    try:
        return await asyncio.wait_for(feed_and_read(), timeout)
    except asyncio.CancelledError:
        await _stop(proc)
        raise
    except asyncio.TimeoutError as exc:
        await _stop(proc)
        raise CollectError("timeout", f"collector did not finish within {timeout:.0f}s") from exc

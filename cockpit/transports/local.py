"""Live mode on this machine: the collector runs under the local `sh`."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.hostspec import HostSpec
from cockpit.transports.process import run_sh
from cockpit.words import Mode


@dataclass
class LocalTransport:
    spec: HostSpec
    shell: str = "sh"

    @property
    def mode(self) -> Mode:
        return Mode.LIVE

    async def run(self, script: str, timeout: float) -> bytes:
        return await run_sh(script, timeout, self.shell)

"""Offline mode: a directory holding a Linux root (a mounted disk, a chroot, a sample).

The collector runs locally with ROOT set to the directory; it reads only files under it
and runs no command that would describe this machine instead of that root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cockpit.collector.script import unframeable_root
from cockpit.hostspec import HostSpec
from cockpit.transports.base import CollectError
from cockpit.transports.process import run_sh
from cockpit.words import Mode


@dataclass
class OfflineRootTransport:
    spec: HostSpec
    shell: str = "sh"

    @property
    def mode(self) -> Mode:
        return Mode.OFFLINE

    async def run(self, script: str, timeout: float) -> bytes:
        root = self.spec.root
        if unframeable_root(root):
            raise CollectError("not-a-system", f"offline root {root!r}: a newline in its name")
        if not os.path.exists(root):
            raise CollectError("not-a-system", f"offline root {root} does not exist")
        if not os.path.isdir(root):
            raise CollectError("not-a-system", f"offline root {root} is not a directory")
        if not os.access(root, os.R_OK | os.X_OK):
            raise CollectError("denied", f"offline root {root} is not readable by this user")
        return await run_sh(script, timeout, self.shell)

"""Offline mode: a directory holding a Linux root (a mounted disk, a chroot, a sample).

The collector runs locally with ROOT set to the directory; it reads only files under it
and runs no command that would describe this machine instead of that root. One section is
added here, in Python: the block devices behind ROOT's mounts (viewer_devices.py), the
disk being looked at, which the target's boot will look for by UUID.
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import dataclass

from cockpit.collector.script import unframeable_root
from cockpit.hostspec import HostSpec
from cockpit.transports.base import CollectError
from cockpit.transports.process import run_sh
from cockpit.transports.viewer_devices import add_section, describe
from cockpit.words import Mode

_B_LINE = re.compile(r"^B='?([^'\n]*)'?$", re.MULTILINE)


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
        raw = await run_sh(script, timeout, self.shell)
        found = _B_LINE.search(script)
        if found is None:
            return raw
        text = await asyncio.to_thread(describe, root)
        return add_section(raw, found.group(1), text)

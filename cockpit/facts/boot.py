"""Boot facts. STUB: owned by the boot work; the fields below are a contract other areas use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BootFacts:
    """`default_cmdline`: kernel command line of the entry the next boot will use (None =
    unknown). The init area reads `init=` from it. `default_kernel_release`: the release
    (e.g. `6.1.0-18-amd64`) that entry boots, None if unknown."""

    default_cmdline: str | None = None
    default_kernel_release: str | None = None

"""Init-system facts. STUB: owned by the init/boot work; the fields below are a contract."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InitFacts:
    """`running_family` / `boot_family`: systemd | sysvinit | openrc | runit | busybox | s6 |
    unknown (could not tell) | missing (boot only: nothing to exec)."""

    running_family: str = "unknown"
    boot_family: str = "unknown"
    running_label: str = "unknown"
    boot_label: str = "unknown"

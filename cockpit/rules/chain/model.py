"""The boot chain: the verdict's only source, one stage per step the next boot takes.

A boot is a chain: the loader finds its entry, the kernel and initramfs find and mount
root, the other mounts come up, the kernel execs init, init's configuration reaches
multi-user, and then (for a host managed over SSH) sshd and the network come up. Each
stage is *proven* (with the evidence that proves it), *broken* (a blocker: the boot stops
there) or *unknown* (with the reason nobody could prove it). BOOTABLE needs every boot
stage proven: the absence of a known problem is not proof, so a failure mode no rule
knows ends as unknown, never as bootable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from cockpit.words import Verdict


class Stage(str, Enum):
    """The stages, in boot order. The values are the JSON contract (`boot_chain[].stage`)."""

    ENTRY = "entry"
    KERNEL = "kernel"
    MOUNTS = "mounts"
    INIT_EXEC = "init-exec"
    INIT_CONFIG = "init-config"
    REMOTE_ACCESS = "remote-access"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def decides_verdict(self) -> bool:
        """Remote access feeds the status (bootable but unreachable = critical), not the
        verdict: the host does come up, only not where the admin can reach it."""
        return self is not Stage.REMOTE_ACCESS


_LABELS = {
    Stage.ENTRY: "boot entry",
    Stage.KERNEL: "kernel + initramfs",
    Stage.MOUNTS: "mounts",
    Stage.INIT_EXEC: "init exec",
    Stage.INIT_CONFIG: "init reaches multi-user",
    Stage.REMOTE_ACCESS: "remote access",
}

BOOT_ORDER: tuple[Stage, ...] = tuple(Stage)


class StageState(str, Enum):
    PROVEN = "proven"
    BROKEN = "broken"
    UNKNOWN = "unknown"

    @property
    def symbol(self) -> str:
        return {"proven": "✓", "broken": "✗", "unknown": "?"}[self.value]


@dataclass(frozen=True)
class Proof:
    """What a stage's prover returns when the files prove the stage."""

    reason: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Gap:
    """What a prover returns when it cannot prove the stage: why, in words."""

    reason: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageResult:
    """One stage as judged. `findings` are the ids of the findings that decided a broken or
    unknown stage; `changed_since_boot` lists the artifacts of this stage that differ from
    what the current boot used (live hosts), i.e. what the next boot will do differently;
    `proven_by` says whether files or the current boot itself proved it."""

    stage: Stage
    state: StageState
    reason: str
    evidence: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    changed_since_boot: tuple[str, ...] = ()
    proven_by: str | None = None  # "files" | "current boot" when proven


@dataclass(frozen=True)
class BootChain:
    stages: tuple[StageResult, ...]

    def __iter__(self) -> Iterator[StageResult]:
        return iter(self.stages)

    def get(self, stage: Stage) -> StageResult | None:
        return next((s for s in self.stages if s.stage is stage), None)

    @property
    def boot_stages(self) -> tuple[StageResult, ...]:
        return tuple(s for s in self.stages if s.stage.decides_verdict)

    def first(self, state: StageState) -> StageResult | None:
        """The first boot stage (in boot order) in `state`: where the boot stops."""
        return next((s for s in self.boot_stages if s.state is state), None)

    @property
    def verdict(self) -> Verdict:
        """unbootable if a boot stage is broken, bootable only if every one is proven."""
        if self.first(StageState.BROKEN) is not None:
            return Verdict.UNBOOTABLE
        if all(s.state is StageState.PROVEN for s in self.boot_stages) and self.boot_stages:
            return Verdict.BOOTABLE
        return Verdict.UNKNOWN

    @property
    def changed_since_boot(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in self.stages:
            for item in s.changed_since_boot:
                seen.setdefault(item, None)
        return tuple(seen)

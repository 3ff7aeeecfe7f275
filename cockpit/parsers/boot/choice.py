"""Which of the configured bootloaders the next boot uses, and why.

A host often carries more than one config (EFI copies of grub.cfg, a GRUB legacy
leftover, systemd-boot beside GRUB). When files alone cannot tell which one the firmware
starts, the choice is marked ambiguous so the rules say UNKNOWN instead of guessing.
"""

from __future__ import annotations

from cockpit.facts.boot import Loader


def choose_loader(
    loaders: list[Loader], sdboot_booted: bool | None
) -> tuple[Loader | None, str, bool]:
    """Which loader the next boot uses, and why; ambiguous when it cannot be told."""
    if not loaders:
        return None, "no bootloader configuration found", False
    kinds = [ld.kind for ld in loaders]
    if sdboot_booted:
        for ld in loaders:
            if ld.kind == "systemd-boot":
                return ld, "systemd-boot started this boot (EFI Loader* variables)", False
    modern = [ld for ld in loaders if ld.kind != "grub-legacy"]
    if len(loaders) == 1:
        return loaders[0], f"the only bootloader configuration ({loaders[0].config})", False
    if len(modern) == 1:
        return (
            modern[0],
            f"{modern[0].kind} ({modern[0].config}) supersedes a leftover GRUB legacy config",
            False,
        )
    grubs = [ld for ld in modern if ld.kind.startswith("grub2")]
    if len(grubs) == len(modern):
        main = next((g for g in grubs if g.config.startswith("/boot/grub")), grubs[0])
        return main, f"GRUB 2 reads {main.config} (other copies: EFI leftovers)", False
    return (
        loaders[0],
        "several bootloaders configured ("
        + ", ".join(kinds)
        + "): which one the firmware starts cannot be told from files",
        True,
    )

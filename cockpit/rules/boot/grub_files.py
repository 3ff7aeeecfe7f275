"""GRUB beyond its grub.cfg: the files its first stage needs next.

BIOS GRUB's core.img sits in the MBR gap and loads normal.mod (and the rest) from
/boot/grub/i386-pc; without them it stops at `grub rescue>`. A GRUB that is installed
but has no grub.cfg stops at `grub>`. Both were seen by the boot oracle
(entry-grub-modules-missing, entry-grub-cfg-missing) and both leave every file the
kernel needs in place, so nothing else notices. An EFI GRUB (or shim) image on the ESP
carries its modules or finds them beside it; cockpit takes its presence as enough.
"""

from __future__ import annotations

import posixpath

from cockpit.facts import HostFacts
from cockpit.facts.boot import BootFacts, GrubFiles, Loader
from cockpit.rules.boot.findings import finding
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity

GRUB_KINDS = ("grub2", "grub2-bls")
_GRUB_DIRS = ("/boot/grub", "/boot/grub2")
_REINSTALL = (
    "Reinstall GRUB's boot files before any reboot: `grub-install /dev/<disk>` then "
    "`update-grub` (Debian/Ubuntu), `grub2-install` + `grub2-mkconfig -o "
    "/boot/grub2/grub.cfg` (RHEL/Fedora BIOS); check `ls /boot/grub/i386-pc/normal.mod`."
)


def grub_dir(loader: Loader) -> str:
    """The GRUB directory a config lives in (its modules are there on BIOS)."""
    return (
        posixpath.dirname(loader.config) if loader.config.startswith(_GRUB_DIRS) else "/boot/grub"
    )


def installed_evidence(g: GrubFiles) -> list[str]:
    """What shows GRUB is installed on this disk: core.img, modules, an EFI image."""
    ev = [f"{p}: present" for p, s in g.files if s == "present"]
    ev += [f"{p}: present" for p in g.efi_grub]
    return ev


def grub_findings(b: BootFacts, facts: HostFacts) -> list[Finding]:
    del facts
    g = b.grub_files
    if not b.loaders and not b.unreadable:
        installed = installed_evidence(g)
        if installed:
            return [
                finding(
                    "boot.grub-cfg-missing",
                    Severity.BLOCKER,
                    "GRUB is installed but its grub.cfg is missing: it stops at the grub> prompt",
                    [*installed, "/boot/grub/grub.cfg: (no such file)"],
                    "Before any reboot: `update-grub` (Debian/Ubuntu) or `grub2-mkconfig -o "
                    "/boot/grub2/grub.cfg`, then check the default entry.",
                    stage=Stage.ENTRY,
                )
            ]
        return []
    ld = b.loader
    if ld is None or ld.kind not in GRUB_KINDS or g.efi_grub:
        return []
    where = grub_dir(ld)
    core = g.state(f"{where}/i386-pc/core.img")
    bios_installed = core == "present" or "i386-pc" in (g.platforms or ())
    if g.bios_modules(where) == "absent" and bios_installed:
        return [
            finding(
                "boot.grub-modules-missing",
                Severity.BLOCKER,
                f"GRUB's modules are missing ({where}/i386-pc/normal.mod): its first stage "
                "stops at `grub rescue>`",
                [
                    f"{where}/i386-pc/normal.mod: (no such file)",
                    f"{where}/i386-pc/core.img: {core}",
                    f"/usr/lib/grub: {', '.join(g.platforms or ()) or '(not read)'}",
                ],
                _REINSTALL,
                stage=Stage.ENTRY,
            )
        ]
    return []


def grub_proof(b: BootFacts) -> str | None:
    """The evidence line that GRUB can go on past its first stage, None if not shown."""
    ld = b.loader
    if ld is None or ld.kind not in GRUB_KINDS:
        return "not GRUB: no module directory to check"
    g = b.grub_files
    where = grub_dir(ld)
    if g.bios_modules(where) == "present":
        return f"{where}/i386-pc/normal.mod: present (BIOS GRUB's modules)"
    if g.efi_grub:
        return f"{g.efi_grub[0]}: present (EFI GRUB image)"
    return None

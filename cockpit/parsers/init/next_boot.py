"""Which init the next boot runs: the default entry's `init=`, else /sbin/init.

That depends on the boot area's default command line, known only after both areas are
parsed, so these are pure helpers over InitFacts that `parse_snapshot` (and the rules)
apply with `BootFacts.default_cmdline`.
"""

from __future__ import annotations

import dataclasses
import posixpath

from cockpit.facts.init import ExecCheck, InitFacts
from cockpit.parsers.text import clean


def init_arg(cmdline: str) -> str | None:
    """The `init=` the kernel would use (the last one wins). `rdinit=` is the initramfs'
    one, but with no initramfs (a direct kernel boot) it is what runs: reported when no
    `init=` is given."""
    value = rd = None
    for word in cmdline.split():
        if word == "--":
            break  # the rest goes to init, not the kernel
        if word.startswith("init="):
            value = word[len("init=") :].strip("\"'")
        elif word.startswith("rdinit="):
            rd = word[len("rdinit=") :].strip("\"'")
    return value or rd


def boot_label(check: ExecCheck | None) -> str:
    if check is None:
        return "unknown"
    if check.state in ("missing", "dangling", "loop"):
        return f"missing ({check.reason})"
    where = check.resolution.resolved or check.path
    label = (
        check.family if posixpath.basename(where) == check.family else f"{check.family} ({where})"
    )
    if check.state != "ok":
        label += f" [{check.state}]"
    return label


#: ExecCheck states initramfs-tools' validate_init rejects (`[ -x "$rootmnt$init" ]`).
_NOT_RUNNABLE = ("missing", "dangling", "loop", "not-executable")


def effective_boot(facts: InitFacts, cmdline: str | None) -> tuple[ExecCheck | None, str | None]:
    """(the check of what the next boot execs, the init= value if one applies).

    With a known default command line: its `init=` if any, else /sbin/init. Unknown
    command line: /sbin/init (rules say separately when an init= in the configs could
    change that). The check is None when the applicable init= was never probed. An
    `init=` that initramfs-tools will skip (`init_arg_skipped`) gives /sbin/init.
    """
    arg = init_arg(cmdline) if cmdline is not None else None
    if arg and clean(arg) != facts.init_arg_skipped:
        return facts.candidate(clean(arg)), arg
    return facts.sbin_init, None


def with_boot_cmdline(
    facts: InitFacts, cmdline: str | None, init_fallback: bool = False
) -> InitFacts:
    """The facts with boot_family / boot_label for the default entry's command line.

    `init_fallback`: the initramfs is initramfs-tools', whose /init, when the `init=` it
    was given cannot run, says "Target filesystem doesn't have requested X" and runs
    /sbin/init instead (then /etc/init, /bin/init, /bin/sh: scripts/init validate_init).
    The kernel alone, dracut and mkinitcpio stop there instead.
    """
    facts = dataclasses.replace(facts, init_arg_skipped=None)
    arg = init_arg(cmdline) if cmdline is not None else None
    if arg and init_fallback:
        asked = facts.candidate(clean(arg))
        if asked is not None and asked.state in _NOT_RUNNABLE:
            facts = dataclasses.replace(facts, init_arg_skipped=clean(arg))
    check, arg = effective_boot(facts, cmdline)
    if arg and check is None:
        return dataclasses.replace(
            facts, boot_family="unknown", boot_label=f"unknown (init={clean(arg)} not checked)"
        )
    family = check.family if check is not None else "unknown"
    return dataclasses.replace(facts, boot_family=family, boot_label=boot_label(check))


def with_external_boot(facts: InitFacts) -> InitFacts:
    """No bootloader config on this root: the next boot's kernel and command line come from
    outside (a hypervisor's direct kernel boot, a provider's kernel). `/sbin/init` may not
    be what runs at all (this machine boots `rdinit=/process_api`), so the boot init is
    unknown rather than guessed from the files."""
    current = f"; this boot used init={facts.current_init_arg}" if facts.current_init_arg else ""
    return dataclasses.replace(
        facts,
        boot_family="unknown",
        boot_label=(
            f"unknown (no bootloader config: kernel and command line come from outside{current})"
        ),
    )

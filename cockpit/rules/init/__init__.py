"""init rules: will the next boot find an init it can exec, and does it match what runs?

Blockers rest on the files the boot needs, read directly. This module only decides which
checks apply, in a fixed order: the boot init itself (`boot_exec`), then what that init
reads first when it can exec (`boot_config`: inittab for sysvinit, default.target for
systemd), an unchecked `init=` in a boot config, and the running init against the next
boot's (`running`). Remedies per family are in `remedies`.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.facts import HostFacts
from cockpit.parsers.init.next_boot import effective_boot
from cockpit.rules.finding import Finding
from cockpit.rules.init.boot_arch import arch_findings
from cockpit.rules.init.boot_config import default_target_findings, inittab_findings
from cockpit.rules.init.boot_exec import boot_init_findings, override_unknown
from cockpit.rules.init.boot_target import (
    runit_stage_findings,
    shell_init_findings,
    skipped_arg_findings,
    systemd_target_findings,
    sysvinit_level_findings,
)
from cockpit.rules.init.running import running_findings


def judge(facts: HostFacts, now: datetime) -> list[Finding]:
    init = facts.init
    boot, arg = effective_boot(init, facts.boot.default_cmdline)
    out = boot_init_findings(facts, boot, arg)
    out += arch_findings(facts, boot)
    out += shell_init_findings(facts, boot, arg)
    out += skipped_arg_findings(facts)
    if boot is not None and boot.state == "ok" and boot.family == "sysvinit":
        out += inittab_findings(facts)
        out += sysvinit_level_findings(facts)
    if boot is not None and boot.state == "ok" and boot.family == "systemd":
        out += default_target_findings(facts)
        out += systemd_target_findings(facts)
    if boot is not None and boot.state == "ok" and boot.family == "runit":
        out += runit_stage_findings(facts)
    if not arg:
        out += override_unknown(facts)
    out += running_findings(facts, boot)
    return out

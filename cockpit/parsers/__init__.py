"""Pure, total parsers: sections in, frozen facts out."""

from collections.abc import Callable
from typing import Any

from cockpit.facts import HostFacts
from cockpit.parsers import boot, host, init, packages, reboots, services, since_boot
from cockpit.parsers.memo import Answers, ParseMemo
from cockpit.snapshot import Sections, Snapshot


def parse_snapshot(snapshot: Snapshot, memo: ParseMemo | None = None) -> HostFacts:
    """All areas' facts. With a host's `memo`, areas whose inputs did not change since
    the last refresh are not parsed again (same facts, exactly)."""
    s = snapshot.sections
    answers = Answers(s)

    def run(area: str, parser: Callable[[Sections], Any]) -> Any:
        return memo.parse(area, parser, s, answers) if memo is not None else parser(s)

    boot_facts = run("boot", boot.parse)
    # The init the next boot runs depends on the default entry's `init=`: boot first.
    init_facts = init.with_boot_cmdline(run("init", init.parse), boot_facts.default_cmdline)
    if not boot_facts.loaders and boot_facts.boot_dir_state in ("ok", "absent"):
        init_facts = init.with_external_boot(init_facts)
    return HostFacts(
        mode=snapshot.mode,
        host=host.with_clock(run("host", host.parse_static), s),
        init=init_facts,
        reboots=run("reboots", reboots.parse),
        packages=run("packages", packages.parse),
        services=run("services", services.parse),
        boot=boot_facts,
        since_boot=run("since_boot", since_boot.parse),
    )


__all__ = ["ParseMemo", "parse_snapshot"]

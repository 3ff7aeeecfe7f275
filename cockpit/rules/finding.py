"""What rules say: findings with stable ids, and the reboots they see armed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from cockpit.rules.chain.model import Stage
from cockpit.rules.when import Timed


class Severity(str, Enum):
    """Ordered from worst. `unknown` marks a check that could not be made: never good news."""

    BLOCKER = "blocker"  # the next boot fails or stops before the network is up
    CRITICAL = "critical"
    UNKNOWN = "unknown"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True)
class Finding:
    """One judgement about a host, with the host's own words as evidence.

    `boot_critical` marks an UNKNOWN finding whose check the verdict depends on: while it
    stands the host cannot be called bootable. `stage` names the boot-chain stage the
    finding is about: a BLOCKER there breaks that stage, an UNKNOWN leaves it unproven.
    """

    id: str
    area: str
    severity: Severity
    title: str
    evidence: tuple[str, ...]
    remedy: str
    boot_critical: bool = False
    stage: Stage | None = None
    #: The time the title speaks of, as data: a screen says the title again from its own
    #: "now" (`title_at`), so a countdown inside a finding ticks with every other clock.
    timed: Timed | None = None

    def title_at(self, now: datetime | None) -> str:
        """The title as of `now` (the host's clock, in its zone); the judged one if the
        title speaks of no time or now is unknown."""
        if self.timed is None or now is None:
            return self.title
        return self.timed.say(now)


@dataclass(frozen=True)
class ArmedReboot:
    """Something that will reboot (or power off) the host, and when, in the host's time.

    `at` is None when the trigger is armed but its time cannot be computed (a timer whose
    calendar we could not read, a watchdog): it still counts as armed.
    """

    source: str  # e.g. "root's crontab", "/etc/cron.d/reboot", "systemd scheduled shutdown"
    at: datetime | None
    evidence: str  # the line or file content it rests on, verbatim
    kind: str = "reboot"  # reboot | poweroff | halt | kexec
    recurring: bool = False

"""apk (Alpine): the installed packages' triggers (/lib/apk/db/triggers).

Each line is a package's checksum, then the paths whose change makes apk re-run that
package's trigger (apk-tools' apk_db_triggers_write): mkinitfs watches the kernels.
"""

from __future__ import annotations

from cockpit.parsers.packages.read import ApkRead
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads("packages.apk-triggers")


def read(sections: Sections, live: bool) -> ApkRead:
    trig = sections.get_section("packages.apk-triggers")
    if not trig.ok:
        return ApkRead("apk")
    lines = tuple(clean(x.strip()) for x in trig.text.splitlines() if x.strip())
    return ApkRead("apk", triggers=lines[:20])

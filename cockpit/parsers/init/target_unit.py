"""A site's own default target (`systemctl set-default site.target`): which targets it
pulls in, from its unit file's [Unit] dependencies and its .wants/ and .requires/ links.
Pure; what was not read pulls in nothing (the prover then cannot prove the stage)."""

from __future__ import annotations

from cockpit.facts.init import TargetUnit
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean, ls_entries
from cockpit.snapshot import Sections

READS = reads("init.targetunit", "init.targetwants", "init.targetrequires")

#: The [Unit] keys that start the named units with this one (Wants= too: multi-user
#: pulled in is multi-user reached, or its own failure shows elsewhere).
_PULLS = ("Requires", "Wants", "BindsTo", "Requisite", "Upholds")


def _pulled(text: str) -> list[str]:
    out: list[str] = []
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, eq, value = line.partition("=")
        if eq and section == "Unit" and key.strip() in _PULLS:
            out.extend(clean(v) for v in value.split())
    return out


def parse(sections: Sections) -> TargetUnit | None:
    units = list(sections.prefixed("init.targetunit"))
    if not units:
        return None
    unit = units[0]
    path = unit.name[len("init.targetunit:") :]
    pulls = _pulled(unit.text) if unit.ok else []
    for kind in ("init.targetwants", "init.targetrequires"):
        links = sections.get_section(f"{kind}:{path}")
        if links.ok:
            pulls.extend(clean(name) for name in ls_entries(links.text))
    return TargetUnit(path=clean(path), state=unit.state, pulls=tuple(dict.fromkeys(pulls)))

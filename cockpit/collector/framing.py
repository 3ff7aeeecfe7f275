"""Split the collector's output into sections.

Only a line that is exactly `<boundary> BEGIN <name>` opens a section, and only
`<boundary> END <rc> <state> <name>` with the same name closes it. The boundary holds 128
random bits chosen for this run, so no file content can forge one, however hostile.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.snapshot import SECTION_STATES, Section, Sections


@dataclass(frozen=True)
class SplitResult:
    sections: Sections
    complete: bool  # the DONE marker arrived: the script ran to its end
    issues: tuple[str, ...]


def split_output(data: bytes | str, boundary: str) -> SplitResult:
    """Total: any input gives sections plus a list of framing issues, never an exception.

    Each END line carries the section's byte cap: the collector sends one byte beyond it,
    so truncation is visible here without counting on the host.
    """
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    begin = boundary + " BEGIN "
    end = boundary + " END "
    done = boundary + " DONE"
    probe_mark = boundary + " PROBE "
    probe = ""
    sections: dict[str, Section] = {}
    issues: list[str] = []
    complete = False
    current: str | None = None
    body: list[str] = []
    for line in text.split("\n"):
        if current is None:
            if line.startswith(begin):
                current = line[len(begin) :]
                body = []
            elif line.startswith(probe_mark):
                probe = line[len(probe_mark) :]
            elif line == done:
                complete = True
            elif line:
                issues.append(f"stray output outside any section: {line[:80]!r}")
            continue
        if line.startswith(end):
            fields = line[len(end) :].split(" ", 3)
            if len(fields) == 4 and fields[3] == current:
                rc_text, state, cap_text, name = fields
                # The collector writes a newline of its own before END; splitting on "\n"
                # consumed it, so the joined body is the content byte for byte.
                content = "\n".join(body)
                try:
                    rc = int(rc_text)
                except ValueError:
                    rc, state = -1, "error"
                if state not in SECTION_STATES:
                    issues.append(f"section {name!r}: unknown state {state!r}")
                    state = "error"
                truncated = False
                cap = int(cap_text) if cap_text.isdigit() else None
                raw = content.encode("utf-8", errors="replace")
                if cap is not None and len(raw) > cap:
                    content = raw[:cap].decode("utf-8", errors="replace")
                    truncated = True
                if name in sections:
                    issues.append(f"section {name!r} repeated; keeping the first")
                else:
                    sections[name] = Section(name, state, rc, content, truncated, probe)
                current = None
                continue
            issues.append(f"malformed end of section {current!r}")
        if line.startswith(begin):
            issues.append(f"section {current!r} never ended")
            current = line[len(begin) :]
            body = []
            continue
        body.append(line)
    if current is not None:
        issues.append(f"section {current!r} cut off (stream ended)")
        sections.setdefault(current, Section(current, "missing", -1, "\n".join(body), True, probe))
    if not complete:
        issues.append("the collector did not finish (no DONE marker)")
    return SplitResult(Sections(sections), complete, tuple(issues))

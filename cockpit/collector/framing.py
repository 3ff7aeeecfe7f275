"""Split the collector's output into sections.

Only a line that is exactly `<boundary> BEGIN <name>` opens a section, and only
`<boundary> END <rc> <state> <name>` with the same name closes it. The boundary holds 128
random bits chosen for this run, so no file content can forge one, however hostile.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.snapshot import SECTION_STATES, Section, Sections

_STATES = frozenset(SECTION_STATES)


@dataclass(frozen=True)
class SplitResult:
    sections: Sections
    complete: bool  # the DONE marker arrived: the script ran to its end
    issues: tuple[str, ...]


def split_output(data: bytes | str, boundary: str) -> SplitResult:
    """Total: any input gives sections plus a list of framing issues, never an exception.

    Each END line carries the section's byte cap: the collector sends one byte beyond it,
    so truncation is visible here without counting on the host.

    The result is always `split_lines`'s (the line-by-line definition); this is a faster
    way to the same answer. A fleet splits ~40 KB a host a refresh, and a Python step per
    content line was the client's largest cost after the transport: here one `str.split`
    on "newline + boundary" cuts the stream at every framing line, and a well-formed
    answer needs a few steps per section. Anything unusual (stray text, a section that
    never ends, a line of this run's boundary inside a section) is handed to
    `split_marks`, which visits every framing line and agrees with the definition too.
    """
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if not boundary or "\n" in boundary:
        return split_lines(text, boundary)
    pieces = ("\n" + text).split("\n" + boundary + " ")
    if pieces[0]:
        return split_marks(text, boundary)  # output before the first framing line
    probe = ""
    sections: dict[str, Section] = {}
    issues: list[str] = []
    complete = False
    current: str | None = None
    content = ""
    known = _KNOWN
    for piece in pieces[1:]:
        # piece = the framing line without "<boundary> ", then the text up to the next
        # framing line (its newline excluded): a section's content, or nothing.
        head, _, rest = piece.partition("\n")
        if current is not None:
            if rest or not head.startswith("END "):
                return split_marks(text, boundary)
            key = (head, probe, content)
            section = known.get(key)
            if section is not None and section.name == current and current not in sections:
                sections[current] = section
                current = None
                continue
            fields = head[4:].split(" ", 3)
            if len(fields) != 4 or fields[3] != current:
                return split_marks(text, boundary)
            rc_text, state, cap_text, name = fields
            if (
                state in _STATES
                and rc_text.isdigit()
                and rc_text.isascii()
                and cap_text.isdigit()
                and cap_text.isascii()
                and content.isascii()
                and len(content) <= int(cap_text)
                and name not in sections
            ):
                # the usual section, inline: a function call per section is measurable
                section = Section(name, state, int(rc_text), content, False, probe)
                sections[name] = section
                known.put(key, section)
            else:
                _close(sections, issues, fields, content, probe)
            current = None
        elif head.startswith("BEGIN "):
            current = head[6:]
            content = rest
        elif rest:
            return split_marks(text, boundary)
        elif head.startswith("PROBE "):
            probe = head[6:]
        elif head == "DONE":
            complete = True
        else:
            return split_marks(text, boundary)
    if current is not None:
        return split_marks(text, boundary)
    if not complete:
        issues.append("the collector did not finish (no DONE marker)")
    return _result(sections, complete, issues)


class _Known:
    """Sections split before, by (END line, probe, content): everything a well-formed
    section is made of, so a hit is exactly the Section a fresh split would make.

    Most sections are byte-identical from one refresh to the next (and across similar
    hosts): a hit costs a hash of the content instead of validating the END line and
    building a Section, and hands out the SAME object, so the cadence's and the parse
    memo's comparisons downstream are identity checks. Sections are frozen, so sharing
    is safe. Bounded: two generations of at most LIMIT bytes of content each; a hit in
    the old one moves to the new one, so what is still in use survives the rotation.
    """

    LIMIT = 32 * 1024 * 1024
    PER_ENTRY = 200  # rough bytes of a key and a Section besides the content

    def __init__(self) -> None:
        self.new: dict[tuple[str, str, str], Section] = {}
        self.old: dict[tuple[str, str, str], Section] = {}
        self.size = 0

    def get(self, key: tuple[str, str, str]) -> Section | None:
        section = self.new.get(key)
        if section is None:
            section = self.old.get(key)
            if section is not None:
                self.put(key, section)
        return section

    def put(self, key: tuple[str, str, str], section: Section) -> None:
        self.new[key] = section
        self.size += len(key[2]) + self.PER_ENTRY
        if self.size > self.LIMIT:
            self.old, self.new, self.size = self.new, {}, 0


_KNOWN = _Known()


def split_marks(data: bytes | str, boundary: str) -> SplitResult:
    """Like `split_lines`, but visits only the lines that start with the boundary (found
    with `str.find`); a section's content is one slice between its BEGIN and END."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if not boundary or "\n" in boundary:
        return split_lines(text, boundary)
    mark = boundary + " "
    begin = boundary + " BEGIN "
    end = boundary + " END "
    done = boundary + " DONE"
    probe_mark = boundary + " PROBE "
    nl_mark = "\n" + mark
    probe = ""
    sections: dict[str, Section] = {}
    issues: list[str] = []
    complete = False
    current: str | None = None
    body_start = 0  # where the open section's content starts
    gap_start = 0  # where text outside any section (stray unless empty) starts
    start = 0 if text.startswith(mark) else _next_mark(text, nl_mark, 0)
    while start >= 0:
        eol = text.find("\n", start)
        line = text[start:] if eol < 0 else text[start:eol]
        if current is None:
            if start > gap_start:
                _stray(text[gap_start : start - 1], issues)
            if line.startswith(begin):
                current = line[len(begin) :]
                body_start = len(text) + 1 if eol < 0 else eol + 1
            elif line.startswith(probe_mark):
                probe = line[len(probe_mark) :]
            elif line == done:
                complete = True
            else:
                issues.append(f"stray output outside any section: {line[:80]!r}")
        elif line.startswith(end):
            fields = line[len(end) :].split(" ", 3)
            if len(fields) == 4 and fields[3] == current:
                _close(sections, issues, fields, text[body_start : start - 1], probe)
                current = None
            else:
                issues.append(f"malformed end of section {current!r}")
        elif line.startswith(begin):
            issues.append(f"section {current!r} never ended")
            current = line[len(begin) :]
            body_start = len(text) + 1 if eol < 0 else eol + 1
        # any other line inside a section (PROBE, DONE, a foreign mark) is content
        if eol < 0:
            gap_start = len(text) + 1
            break
        gap_start = eol + 1
        start = _next_mark(text, nl_mark, eol)
    if current is None:
        if gap_start <= len(text):
            _stray(text[gap_start:], issues)
    else:
        issues.append(f"section {current!r} cut off (stream ended)")
        rest = text[body_start:]
        sections.setdefault(current, Section(current, "missing", -1, rest, True, probe))
    if not complete:
        issues.append("the collector did not finish (no DONE marker)")
    return _result(sections, complete, issues)


def _next_mark(text: str, nl_mark: str, at: int) -> int:
    """Start of the next line that begins with the boundary, or -1."""
    found = text.find(nl_mark, at)
    return found + 1 if found >= 0 else -1


def _stray(gap: str, issues: list[str]) -> None:
    """Text between sections: every non-empty line of it is reported."""
    if gap:
        for line in gap.split("\n"):
            if line:
                issues.append(f"stray output outside any section: {line[:80]!r}")


def _close(
    sections: dict[str, Section],
    issues: list[str],
    fields: list[str],
    content: str,
    probe: str,
) -> None:
    """Record the section an END line closed (the first of a repeated name wins)."""
    rc_text, state, cap_text, name = fields
    try:
        rc = int(rc_text)
    except ValueError:
        rc, state = -1, "error"
    if state not in SECTION_STATES:
        issues.append(f"section {name!r}: unknown state {state!r}")
        state = "error"
    content, truncated = _capped(content, cap_text)
    if name in sections:
        issues.append(f"section {name!r} repeated; keeping the first")
    else:
        sections[name] = Section(name, state, rc, content, truncated, probe)


def _capped(content: str, cap_text: str) -> tuple[str, bool]:
    """The content within its byte cap, and whether it was cut. ASCII text (the usual
    case) is measured without encoding it."""
    if not (cap_text.isascii() and cap_text.isdigit()):
        return content, False  # (int() refuses some Unicode digits: "²")
    cap = int(cap_text)
    if content.isascii():
        if len(content) <= cap:
            return content, False
        return content[:cap], True
    raw = content.encode("utf-8", errors="replace")
    if len(raw) > cap:
        return raw[:cap].decode("utf-8", errors="replace"), True
    return content, False


def split_lines(data: bytes | str, boundary: str) -> SplitResult:
    """The reference splitter: every line through one state machine. Kept as the
    definition `split_output` must match (tests compare the two on hostile input), and
    used for boundaries the fast path cannot search for."""
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
                # The collector writes a newline of its own before END; splitting on "\n"
                # consumed it, so the joined body is the content byte for byte.
                _close(sections, issues, fields, "\n".join(body), probe)
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
    return _result(sections, complete, issues)


#: Sections the collector's `_batch` sends: many files read by one capped `head -v`.
BATCH_PREFIX = ":batch:"


def _result(sections: dict[str, Section], complete: bool, issues: list[str]) -> SplitResult:
    """The split, with every batch section replaced, in place, by its files' sections."""
    if any(name.startswith(BATCH_PREFIX) for name in sections):
        sections = _expand_batches(sections, issues)
    return SplitResult(Sections(sections), complete, tuple(issues))


def _expand_batches(sections: dict[str, Section], issues: list[str]) -> dict[str, Section]:
    out: dict[str, Section] = {}
    for name, sec in sections.items():
        if not name.startswith(BATCH_PREFIX):
            if name in out:
                issues.append(f"section {name!r} repeated; keeping the first")
            else:
                out[name] = sec
            continue
        for sub in split_batch(sec, issues):
            if sub.name in out:
                issues.append(f"section {sub.name!r} repeated; keeping the first")
            else:
                out[sub.name] = sub
    return out


def split_batch(sec: Section, issues: list[str]) -> list[Section]:
    """The files of one batch section (see `_batch` in collector/sh/30-emit.sh):

        <count> <cap> <sentinel>\n  (<marked path>\t<name>\n) * count  <head -v output>

    `head -v` opens each file's content with `==> <marked path> <==` (after a newline, but
    the first). The marked paths hold a run of "./" and "/" drawn from the run's random
    boundary, so no file content can hold another file's header: each header is found by
    plain search, in order. A file whose header never comes (head could not open it) is
    `error`; so is the last one when the sentinel's header never comes (head was cut off).
    Total: odd input gives `error` sections and an issue, never an exception."""
    body = sec.text
    first, _, rest = body.partition("\n")
    fields = first.split(" ", 2)
    if len(fields) != 3 or not all(f.isascii() and f.isdigit() for f in fields[:2]):
        issues.append(f"section {sec.name!r}: malformed batch header")
        return []
    count, cap, sentinel = int(fields[0]), fields[1], fields[2]
    entries: list[tuple[str, str]] = []
    for _ in range(count):
        line, sep, rest = rest.partition("\n")
        arg, tab, name = line.rpartition("\t")
        if not sep or not tab or not name:
            issues.append(f"section {sec.name!r}: malformed batch manifest")
            break
        entries.append((arg, name))
    found: dict[str, str | None] = {}
    pos = 0
    opened: str | None = None
    opened_at = 0
    started = False
    for arg, name in [*entries, (sentinel, "")]:
        header = f"==> {arg} <==\n"
        if not started and rest.startswith(header):
            at, start = 0, len(header)
        else:
            hit = rest.find("\n" + header, pos)
            if hit < 0:
                found.setdefault(name, None)
                continue
            at, start = hit, hit + 1 + len(header)
        if opened is not None:
            found[opened] = rest[opened_at:at]
        started = True
        opened, opened_at, pos = (name or None), start, start
    out: list[Section] = []
    for _, name in entries:
        content = found.get(name)
        if content is None:
            out.append(Section(name, "error", sec.rc, "", False, sec.probe))
            continue
        text, truncated = _capped(content, cap)
        out.append(Section(name, "ok", sec.rc, text, truncated, sec.probe))
    return out

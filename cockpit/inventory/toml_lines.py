"""Where things are in a TOML file, since tomllib returns values without line numbers.

How: one pass over the text, line by line, tracking the current table the way TOML
does. `[[host]]` headers are counted, so the N-th one (0-based) is path ("host", N); a
`[defaults]` header is ("defaults",); a sub-table header `[host.x]` belongs to the last
`[[host]]`, i.e. ("host", N, "x"). A line starting with a key (`name =`, `"name" =`,
`a.b =`) records (current table path + key path). Lines inside a multi-line string
(\"\"\" or ''') are skipped so text in them is never taken for a key; lines of a multi-line
array do not start with `key =` and are ignored. Only the first line of a path is kept
(a path defined twice is a TOML syntax error that tomllib reports itself). A lookup that
finds nothing falls back to the nearest enclosing table's line, then to line 1: a
problem is always reported with a line, at worst the table's header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Path = tuple[object, ...]

_KEY_PART = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_ARRAY_HEADER = re.compile(rf"\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"\s*\[\s*({_DOTTED})\s*\]")
_KEY_LINE = re.compile(rf"\s*({_DOTTED})\s*=(.*)")
_PART = re.compile(_KEY_PART)


def _split_dotted(text: str) -> list[str]:
    parts = []
    for raw in _PART.findall(text):
        if raw[:1] in ('"', "'"):
            raw = raw[1:-1]
        parts.append(raw)
    return parts


@dataclass
class TomlLines:
    """Line numbers of tables and keys, by path; see the module docstring."""

    lines: dict[Path, int] = field(default_factory=dict)

    def of(self, *path: object) -> int:
        """The line of `path`, else of its nearest recorded ancestor, else 1."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def locate(text: str) -> TomlLines:
    found = TomlLines()
    current: Path = ()
    arrays: dict[tuple[str, ...], int] = {}
    closing: str | None = None  # the delimiter that ends the multi-line string we are in
    for lineno, line in enumerate(text.splitlines(), 1):
        if closing is not None:
            if line.count(closing) % 2 == 1:
                closing = None
            continue
        header = _ARRAY_HEADER.match(line)
        table = None if header else _TABLE_HEADER.match(line)
        if header:
            keys = tuple(_split_dotted(header.group(1)))
            arrays[keys] = arrays.get(keys, -1) + 1
            current = (*keys, arrays[keys])
            found.lines.setdefault(current, lineno)
            found.lines.setdefault(keys, lineno)
        elif table:
            keys = tuple(_split_dotted(table.group(1)))
            if keys[:1] == ("host",) and ("host",) in arrays:
                current = ("host", arrays[("host",)], *keys[1:])
            else:
                current = keys
            found.lines.setdefault(current, lineno)
        else:
            key = _KEY_LINE.match(line)
            if key is None:
                continue
            path = (*current, *_split_dotted(key.group(1)))
            found.lines.setdefault(path, lineno)
            value = key.group(2)
            for delim in ('"""', "'''"):
                if value.count(delim) % 2 == 1:
                    closing = delim
                    break
    return found

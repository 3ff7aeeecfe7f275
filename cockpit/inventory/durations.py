"""Refresh periods as people write them: "10s", "1m", "1h30m", "500ms"."""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_WHOLE = re.compile(r"(?:\d+(?:\.\d+)?(?:ms|s|m|h))+")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}

DURATION_HINT = 'write it as a number and a unit: "500ms", "10s", "1m" or "1h30m"'


def parse_duration(text: str) -> float | None:
    """Seconds, or None if `text` is not a positive duration in that syntax."""
    compact = text.strip()
    if not _WHOLE.fullmatch(compact):
        return None
    seconds = sum(float(n) * _UNIT_S[unit] for n, unit in _PART.findall(compact))
    return seconds if seconds > 0 else None

"""`cockpit check --format NAME`: one table from format names to renderers, so the
parser's choices, the completion scripts and the output cannot disagree."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

from cockpit.render import json_out, nagios, openmetrics, text_out
from cockpit.state import HostState

#: (states, verbose, generated) -> the whole output.
Renderer = Callable[[Sequence[HostState], bool, datetime], str]


def _json(states: Sequence[HostState], verbose: bool, generated: datetime) -> str:
    return json.dumps(json_out.document(states, generated), indent=2, ensure_ascii=True) + "\n"


RENDERERS: dict[str, Renderer] = {
    "text": lambda states, verbose, generated: text_out.render(states, verbose),
    "nagios": lambda states, verbose, generated: nagios.render(states),
    "json": _json,
    "openmetrics": lambda states, verbose, generated: openmetrics.render(states, generated),
}
FORMATS = tuple(RENDERERS)


def render(name: str, states: Sequence[HostState], verbose: bool, generated: datetime) -> str:
    return RENDERERS[name](states, verbose, generated)

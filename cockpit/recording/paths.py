"""Where interactive sessions are recorded by default: the XDG state directory."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from platformdirs import user_state_path


def recordings_dir() -> Path:
    """`$XDG_STATE_HOME/cockpit/recordings` (~/.local/state/cockpit/recordings)."""
    return user_state_path("cockpit") / "recordings"


def default_recording_path(now: datetime) -> Path:
    """A new file per session: UTC stamp (sorts by time, same on every client) + pid
    (two sessions started in the same second never share a file)."""
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return recordings_dir() / f"{stamp}-{os.getpid()}.jsonl"

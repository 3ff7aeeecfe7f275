"""Recording: the session on the record (raw snapshots as deltas, and events), and replay."""

from cockpit.recording.events import (
    ActionEvent,
    Blocker,
    ErrorEvent,
    Event,
    GuardEvent,
    GuardHost,
    NoteEvent,
    RecordedReboot,
    SnapshotEvent,
)
from cockpit.recording.format import RecordedHost, RecordingError
from cockpit.recording.paths import default_recording_path
from cockpit.recording.reader import Recording, open_recording
from cockpit.recording.session_log import NullLog, SessionLog
from cockpit.recording.writer import JsonlRecorder

__all__ = [
    "ActionEvent",
    "Blocker",
    "ErrorEvent",
    "Event",
    "GuardEvent",
    "GuardHost",
    "JsonlRecorder",
    "NoteEvent",
    "NullLog",
    "RecordedHost",
    "RecordedReboot",
    "Recording",
    "RecordingError",
    "SessionLog",
    "SnapshotEvent",
    "default_recording_path",
    "open_recording",
]

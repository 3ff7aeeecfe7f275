"""Recording: the session on the record (raw snapshots as deltas, and events), and replay."""

from cockpit.recording.session_log import NullLog, SessionLog

__all__ = ["NullLog", "SessionLog"]

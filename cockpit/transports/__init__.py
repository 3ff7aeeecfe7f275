"""Where a collector run goes: this machine, an offline root, ssh, and replay."""

from cockpit.transports.base import CollectError, Transport, collect
from cockpit.transports.local import LocalTransport
from cockpit.transports.offline import OfflineRootTransport

__all__ = [
    "CollectError",
    "LocalTransport",
    "OfflineRootTransport",
    "Transport",
    "collect",
]

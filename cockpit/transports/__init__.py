"""Where a collector run goes: this machine, an offline root, ssh, and replay."""

from cockpit.transports.base import CollectError, HostSpec, Transport, collect
from cockpit.transports.local import LocalTransport
from cockpit.transports.offline import OfflineRootTransport

__all__ = [
    "CollectError",
    "HostSpec",
    "LocalTransport",
    "OfflineRootTransport",
    "Transport",
    "collect",
]
